using System.Net;
using AiBaseline.Api.V1Alpha1;
using AiBaseline.Crds;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace AiBaseline.Cli.Tests.Crds;

/// <summary>
/// The checked-in crds/ served by the in-process API server: a user's manifest is stored, a mistake is
/// refused with the field named, and the operator's status write lands on the status subresource.
/// </summary>
public sealed class CrdApiServerTests
{
    [Fact]
    public async Task Deployment_is_stored_and_its_status_subresource_accepts_the_operator_status()
    {
        await using var api = await StartAsync();
        using var client = api.CreateClient();
        var deployments = new GenericClient(client, ApiGroup.Group, ApiGroup.Version, ApiGroup.AIModelDeploymentPlural, disposeClient: false);
        var deployment = new AIModelDeployment
        {
            Metadata = new V1ObjectMeta { Name = "scorer", NamespaceProperty = "default" },
            Spec = new AIModelDeploymentSpec { Stage = LifecycleStage.Development, Owners = [new Owner { Name = "ml-platform" }] },
        };

        var created = await deployments.CreateNamespacedAsync(deployment, "default", TestContext.Current.CancellationToken);
        created.Status = new AIModelDeploymentStatus
        {
            ObservedGeneration = created.Metadata.Generation,
            Stage = LifecycleStage.Development,
            Compliance = "0/0",
            Conditions = [new V1Condition { Type = ConditionTypes.Ready, Status = "Unknown", Reason = ReadyReasons.EvidenceUnavailable, Message = "", LastTransitionTime = DateTime.UtcNow }],
        };
        await client.CustomObjects.ReplaceNamespacedCustomObjectStatusAsync(
            created, ApiGroup.Group, ApiGroup.Version, "default", ApiGroup.AIModelDeploymentPlural, "scorer", cancellationToken: TestContext.Current.CancellationToken);
        var read = await deployments.ReadNamespacedAsync<AIModelDeployment>("default", "scorer", TestContext.Current.CancellationToken);

        Assert.Equal("scorer", read.Metadata.Name);
        Assert.Equal(LifecycleStage.Development, read.Spec.Stage);
        Assert.Equal("ml-platform", Assert.Single(read.Spec.Owners!).Name);
        Assert.Equal(ConditionTypes.Ready, Assert.Single(read.Status!.Conditions!).Type);
    }

    [Fact]
    public async Task Deployment_with_an_unknown_stage_is_refused_naming_the_field()
    {
        await using var api = await StartAsync();
        using var client = api.CreateClient();
        var body = new Dictionary<string, object>
        {
            ["apiVersion"] = ApiGroup.GroupVersion,
            ["kind"] = ApiGroup.AIModelDeploymentKind,
            ["metadata"] = new Dictionary<string, object> { ["name"] = "scorer" },
            ["spec"] = new Dictionary<string, object> { ["stage"] = "Production" },
        };

        var error = await Assert.ThrowsAsync<HttpOperationException>(() => client.CustomObjects.CreateNamespacedCustomObjectAsync(
            body, ApiGroup.Group, ApiGroup.Version, "default", ApiGroup.AIModelDeploymentPlural, cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, error.Response.StatusCode);
        Assert.Contains("spec.stage", error.Response.Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Profile_is_cluster_scoped()
    {
        await using var api = await StartAsync();
        using var client = api.CreateClient();
        var profiles = new GenericClient(client, ApiGroup.Group, ApiGroup.Version, ApiGroup.BaselineProfilePlural, disposeClient: false);

        await profiles.CreateAsync(new BaselineProfile { Metadata = new V1ObjectMeta { Name = ApiGroup.DefaultProfileName } }, TestContext.Current.CancellationToken);
        var read = await profiles.ReadAsync<BaselineProfile>(ApiGroup.DefaultProfileName, TestContext.Current.CancellationToken);

        Assert.Equal(ApiGroup.DefaultProfileName, read.Metadata.Name);
        Assert.Null(read.Metadata.NamespaceProperty);
    }

    private static async Task<KubeEmulator.KubeEmulator> StartAsync()
    {
        var api = await KubeEmulator.KubeEmulator.StartAsync();
        Assert.Equal(CrdDefinition.All.Length, api.ApplyCrdsFrom(RepositoryPaths.Crds));
        return api;
    }
}
