using System.Net;
using AiBaseline.Api.V1Alpha1;
using k8s;
using k8s.Autorest;

namespace AiBaseline.Cli.Tests.Crds;

/// <summary>
/// The checked-in crds/ served by the in-process API server: they load as CustomResourceDefinitions and a
/// mistake in a user's manifest is refused over HTTP with the field named.
/// </summary>
public sealed class CrdApiServerTests
{
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

    private static async Task<KubeEmulator.KubeEmulator> StartAsync()
    {
        var api = await KubeEmulator.KubeEmulator.StartAsync();
        Assert.Equal(2, api.ApplyCrdsFrom(RepositoryPaths.Crds));
        return api;
    }
}
