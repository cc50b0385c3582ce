using AiBaseline.Api.V1Alpha1;
using k8s;
using k8s.Models;
using Emulator = AiBaseline.KubeEmulator.KubeEmulator;

namespace AiBaseline.Operator.Tests.Scenarios;

/// <summary>
/// The real-cluster target's own set-up, run in CI through a kubeconfig at an emulator: it installs the CRDs by
/// server-side apply, and refuses a cluster where aibaseline already runs.
/// </summary>
public sealed class RealClusterTargetTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Through_a_kubeconfig_it_installs_the_CRDs_until_their_resources_are_served()
    {
        await using var server = await Emulator.StartAsync(cancellationToken: Ct);
        var kubeconfig = server.WriteKubeconfig(Path.Combine(Path.GetTempPath(), $"e2e-{Guid.NewGuid():N}.kubeconfig"));
        try
        {
            await using var cluster = new RealCluster(kubeconfig);
            await cluster.InitializeAsync();

            using var client = new Kubernetes(cluster.Configuration());
            var crd = await client.ApiextensionsV1.ReadCustomResourceDefinitionAsync($"{ApiGroup.AIModelDeploymentPlural}.{ApiGroup.Group}", cancellationToken: Ct);
            Assert.Equal(ApiGroup.AIModelDeploymentKind, crd.Spec.Names.Kind);
            var served = (System.Text.Json.JsonElement)await client.CustomObjects.ListClusterCustomObjectAsync(ApiGroup.Group, ApiGroup.Version, ApiGroup.AIModelDeploymentPlural, cancellationToken: Ct);
            Assert.Equal(0, served.GetProperty("items").GetArrayLength());
        }
        finally
        {
            File.Delete(kubeconfig);
        }
    }

    [Theory]
    [InlineData("deployment", "Deployment aibaseline-system/aibaseline", "installed by the chart or kustomize")]
    [InlineData("lease", "Lease platform/aibaseline-leader held by aibaseline-7d9f", "run some other way, but leading")]
    public async Task It_refuses_a_cluster_where_aibaseline_already_runs(string sign, string named, string why)
    {
        await using var server = await Emulator.StartAsync(new KubeEmulator.KubeEmulatorOptions { AutoCreateNamespaces = true }, Ct);
        if (sign == "deployment")
        {
            server.Create(new V1Deployment
            {
                Metadata = new V1ObjectMeta { Name = "aibaseline", NamespaceProperty = "aibaseline-system", Labels = new Dictionary<string, string> { ["app.kubernetes.io/name"] = "aibaseline" } },
                Spec = new V1DeploymentSpec { Replicas = 2, Selector = new V1LabelSelector(), Template = new V1PodTemplateSpec() },
            });
            await ReportReadyAsync(server, 2);
        }
        else
        {
            server.Create(new V1Lease
            {
                Metadata = new V1ObjectMeta { Name = "aibaseline-leader", NamespaceProperty = "platform" },
                Spec = new V1LeaseSpec { HolderIdentity = "aibaseline-7d9f", RenewTime = DateTime.UtcNow, LeaseDurationSeconds = 15 },
            });
        }

        var kubeconfig = server.WriteKubeconfig(Path.Combine(Path.GetTempPath(), $"e2e-{Guid.NewGuid():N}.kubeconfig"));
        try
        {
            await using var cluster = new RealCluster(kubeconfig);
            var refused = await Assert.ThrowsAsync<InvalidOperationException>(async () => await cluster.InitializeAsync());

            Assert.True(refused.Message.Contains(named, StringComparison.Ordinal), $"{why}: {refused.Message}");
        }
        finally
        {
            File.Delete(kubeconfig);
        }
    }

    [Theory]
    [InlineData("pending", "installed, but its pods never ran (a cluster without nodes)")]
    [InlineData("released", "its last leader stopped cleanly and released the Lease")]
    public async Task It_accepts_a_cluster_where_aibaseline_is_installed_but_not_running(string sign, string why)
    {
        await using var server = await Emulator.StartAsync(new KubeEmulator.KubeEmulatorOptions { AutoCreateNamespaces = true }, Ct);
        if (sign == "pending")
        {
            server.Create(new V1Deployment
            {
                Metadata = new V1ObjectMeta { Name = "aibaseline", NamespaceProperty = "aibaseline-system", Labels = new Dictionary<string, string> { ["app.kubernetes.io/name"] = "aibaseline" } },
                Spec = new V1DeploymentSpec { Replicas = 2, Selector = new V1LabelSelector(), Template = new V1PodTemplateSpec() },
            });
            await ReportReadyAsync(server, 0);
        }
        else
        {
            server.Create(new V1Lease
            {
                Metadata = new V1ObjectMeta { Name = "aibaseline-leader", NamespaceProperty = "platform" },
                Spec = new V1LeaseSpec { HolderIdentity = "", RenewTime = DateTime.UtcNow, LeaseDurationSeconds = 1 },
            });
        }

        var kubeconfig = server.WriteKubeconfig(Path.Combine(Path.GetTempPath(), $"e2e-{Guid.NewGuid():N}.kubeconfig"));
        try
        {
            await using var cluster = new RealCluster(kubeconfig);
            var exception = await Record.ExceptionAsync(async () => await cluster.InitializeAsync());

            Assert.True(exception is null, $"{why}: {exception?.Message}");
        }
        finally
        {
            File.Delete(kubeconfig);
        }
    }

    /// <summary>What the Deployment controller reports once the pods run (or do not).</summary>
    private static async Task ReportReadyAsync(Emulator server, int ready)
    {
        using var client = (Kubernetes)server.CreateClient();
        var deployment = await client.AppsV1.ReadNamespacedDeploymentAsync("aibaseline", "aibaseline-system", cancellationToken: Ct);
        deployment.Status = new V1DeploymentStatus { Replicas = 2, ReadyReplicas = ready };
        await client.AppsV1.ReplaceNamespacedDeploymentStatusAsync(deployment, "aibaseline", "aibaseline-system", cancellationToken: Ct);
    }
}
