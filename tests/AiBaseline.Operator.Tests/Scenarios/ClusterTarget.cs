using System.Text.Json.Nodes;
using AiBaseline.KubeEmulator;
using k8s;
using k8s.Models;
using Emulator = AiBaseline.KubeEmulator.KubeEmulator;

namespace AiBaseline.Operator.Tests.Scenarios;

/// <summary>
/// The API server the operator scenarios run against: the in-process emulator in CI, or a real cluster named by
/// <c>AIBASELINE_E2E_KUBECONFIG</c>. Scenarios only talk to it through the Kubernetes API, so both run the same code.
/// </summary>
public abstract class ClusterTarget : IAsyncLifetime
{
    /// <summary>Field manager of everything the scenarios apply.</summary>
    public const string FieldManager = "aibaseline-scenarios";

    /// <summary>Says why the scenarios cannot run here, or null when they can.</summary>
    public virtual string? SkipReason => null;

    /// <summary>A kubeconfig file for this server (kubectl uses it too).</summary>
    public abstract string KubeconfigPath { get; }

    /// <summary>How long a running operator may take to reflect one change in a condition, on any cluster.</summary>
    public static readonly TimeSpan ChangePatience = TimeSpan.FromSeconds(10);

    /// <summary>How long a scenario waits for larger steps: start-up, convergence, clean-up.</summary>
    public abstract TimeSpan Patience { get; }

    /// <summary>How many deployments the convergence scenario creates.</summary>
    public abstract int ManyDeployments { get; }

    /// <summary>The emulator behind this target, for fault injection; null on a real cluster.</summary>
    public virtual Emulator? Emulator => null;

    /// <summary>A fresh client configuration for this server.</summary>
    public KubernetesClientConfiguration Configuration() => KubernetesClientConfiguration.BuildConfigFromConfigFile(KubeconfigPath);

    public virtual async ValueTask InitializeAsync()
    {
        if (SkipReason is not null)
        {
            return;
        }

        await StartAsync();
        await InstallCrdsAsync(TestContext.Current.CancellationToken);
        if (InstallsMonitoringCrds)
        {
            await InstallVendoredCrdsAsync(this, "monitoring-crds", TestContext.Current.CancellationToken);
        }
    }

    /// <summary>
    /// Whether the cluster has the Prometheus Operator's and Trivy Operator's CRDs, as a cluster running them has (the
    /// examples carry a ServiceMonitor or PodMonitor and a PrometheusRule). A target without them shows what the
    /// operator says where they are missing.
    /// </summary>
    protected virtual bool InstallsMonitoringCrds => true;

    /// <summary>
    /// Installs the vendored CRDs of <c>tests/vendor/<paramref name="folder"/></c> by server-side apply, as JSON straight from
    /// the YAML (the client's typed model would drop schema extensions), and waits until each is served.
    /// </summary>
    public static async Task InstallVendoredCrdsAsync(ClusterTarget target, string folder, CancellationToken cancellationToken)
    {
        using var client = new Kubernetes(target.Configuration());
        var served = new List<(string Group, string Version, string Plural)>();
        foreach (var file in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, folder), "*.yaml").Order(StringComparer.Ordinal))
        {
            var yaml = (await File.ReadAllTextAsync(file, cancellationToken)).Split("\n---", StringSplitOptions.RemoveEmptyEntries).Single(d => d.Contains("kind: CustomResourceDefinition", StringComparison.Ordinal));
            var body = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(new YamlDotNet.Serialization.DeserializerBuilder().WithAttemptingUnquotedStringTypeDeserialization().Build().Deserialize<object>(yaml)))!.AsObject();
            body.Remove("status");
            await client.ApiextensionsV1.PatchCustomResourceDefinitionAsync(
                new V1Patch(body.ToJsonString(), V1Patch.PatchType.ApplyPatch), (string)body["metadata"]!["name"]!, fieldManager: FieldManager, force: true, cancellationToken: cancellationToken);
            var spec = body["spec"]!;
            served.Add(((string)spec["group"]!, (string)spec["versions"]![0]!["name"]!, (string)spec["names"]!["plural"]!));
        }

        foreach (var (group, version, plural) in served)
        {
            await Waiting.UntilAsync(
                async () =>
                {
                    try
                    {
                        await client.CustomObjects.ListClusterCustomObjectAsync(group, version, plural, limit: 1, cancellationToken: cancellationToken);
                        return true;
                    }
                    catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
                    {
                        return false;
                    }
                },
                target.Patience,
                $"the {plural}.{group} CRD is served");
        }
    }

    public abstract ValueTask DisposeAsync();

    /// <summary>Brings the server up (or finds it).</summary>
    protected abstract Task StartAsync();

    /// <summary>
    /// Installs the shipped CRDs by server-side apply, as a GitOps tool would, and waits until their resources are
    /// served. CRDs are never removed afterwards: deleting one would delete every object of its kind in the cluster.
    /// </summary>
    private async Task InstallCrdsAsync(CancellationToken cancellationToken)
    {
        using var client = new Kubernetes(Configuration());
        foreach (var file in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "crds"), "*.yaml").Order(StringComparer.Ordinal))
        {
            var crd = KubernetesYaml.Deserialize<V1CustomResourceDefinition>(await File.ReadAllTextAsync(file, cancellationToken));
            var body = JsonNode.Parse(KubernetesJson.Serialize(crd))!.AsObject();
            body.Remove("status");
            await client.ApiextensionsV1.PatchCustomResourceDefinitionAsync(
                new V1Patch(body.ToJsonString(), V1Patch.PatchType.ApplyPatch), crd.Metadata.Name, fieldManager: FieldManager, force: true, cancellationToken: cancellationToken);
        }

        await Waiting.UntilAsync(
            async () =>
            {
                try
                {
                    await client.CustomObjects.ListClusterCustomObjectAsync(Api.V1Alpha1.ApiGroup.Group, Api.V1Alpha1.ApiGroup.Version, Api.V1Alpha1.ApiGroup.AIModelDeploymentPlural, limit: 1, cancellationToken: cancellationToken);
                    await client.CustomObjects.ListClusterCustomObjectAsync(Api.V1Alpha1.ApiGroup.Group, Api.V1Alpha1.ApiGroup.Version, Api.V1Alpha1.ApiGroup.BaselineProfilePlural, limit: 1, cancellationToken: cancellationToken);
                    return true;
                }
                catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
                {
                    return false;
                }
            },
            Patience,
            "the CustomResourceDefinitions from crds/ are served");
    }
}

/// <summary>The in-process API emulator, one per test class.</summary>
public class EmulatedCluster : ClusterTarget
{
    private Emulator? server;
    private string kubeconfig = "";

    public override string KubeconfigPath => kubeconfig;

    public override TimeSpan Patience => TimeSpan.FromSeconds(30);

    public override int ManyDeployments => 1000;

    public override Emulator Emulator => server ?? throw new InvalidOperationException("the emulator has not started");

    public override async ValueTask DisposeAsync()
    {
        if (server is not null)
        {
            await server.DisposeAsync();
        }

        File.Delete(kubeconfig);
        GC.SuppressFinalize(this);
    }

    protected override async Task StartAsync()
    {
        server = await Emulator.StartAsync(new KubeEmulatorOptions(), TestContext.Current.CancellationToken);
        kubeconfig = server.WriteKubeconfig(Path.Combine(Path.GetTempPath(), $"aibaseline-emulator-{Guid.NewGuid():N}.kubeconfig"));
    }
}

/// <summary>The in-process API emulator without the Prometheus Operator's and Trivy Operator's CRDs, until a test installs them.</summary>
public sealed class EmulatedClusterWithoutMonitoring : EmulatedCluster
{
    protected override bool InstallsMonitoringCrds => false;
}

/// <summary>
/// A real cluster from <c>AIBASELINE_E2E_KUBECONFIG</c> (its current context). Every scenario works in its own
/// namespace. A cluster where aibaseline itself runs is refused up front: both operators would write the statuses.
/// </summary>
public sealed class RealCluster : ClusterTarget
{
    /// <summary>The variable that turns the tier on.</summary>
    public const string Variable = "AIBASELINE_E2E_KUBECONFIG";

    private readonly string? path;

    /// <summary>The cluster named by <see cref="Variable"/>, as the test fixture uses it.</summary>
    public RealCluster()
        : this(Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value ? value : null)
    {
    }

    internal RealCluster(string? kubeconfig) => path = kubeconfig;

    public override string? SkipReason => path is null
        ? $"{Variable} is not set: the real-cluster tier runs against a cluster named by a kubeconfig, which tests/run.sh starts itself when KUBEBUILDER_ASSETS names the control plane's binaries (see README, \"Testing against a real cluster\")"
        : null;

    public override string KubeconfigPath => path ?? throw new InvalidOperationException(SkipReason);

    public override TimeSpan Patience => TimeSpan.FromSeconds(90);

    public override int ManyDeployments => 200;

    public override ValueTask DisposeAsync() => ValueTask.CompletedTask;

    protected override async Task StartAsync()
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{Variable} names {path}, which does not exist", path);
        }

        using var client = new Kubernetes(Configuration());
        if (await RunningOperatorAsync(client, TestContext.Current.CancellationToken) is { } running)
        {
            throw new InvalidOperationException(
                $"aibaseline already runs in this cluster ({running}): it would evaluate the scenarios' deployments too and their counts of writes would be wrong; run the tier on a cluster without it");
        }
    }

    /// <summary>
    /// A running operator: a Deployment labelled as the chart and kustomize base label it with a ready replica, or a
    /// leader Lease that is held and renewed within its duration. An install whose pods never ran (a cluster without
    /// nodes) and a Lease released by a clean stop are not running operators.
    /// </summary>
    private static async Task<string?> RunningOperatorAsync(Kubernetes client, CancellationToken ct)
    {
        var deployments = await client.AppsV1.ListDeploymentForAllNamespacesAsync(labelSelector: "app.kubernetes.io/name=aibaseline", cancellationToken: ct);
        if (deployments.Items.FirstOrDefault(d => d.Status?.ReadyReplicas > 0) is { } deployment)
        {
            return $"Deployment {deployment.Metadata.NamespaceProperty}/{deployment.Metadata.Name} with {deployment.Status.ReadyReplicas} ready";
        }

        var leases = await client.CoordinationV1.ListLeaseForAllNamespacesAsync(fieldSelector: "metadata.name=aibaseline-leader", cancellationToken: ct);
        var live = leases.Items.FirstOrDefault(l =>
            !string.IsNullOrEmpty(l.Spec.HolderIdentity)
            && l.Spec.RenewTime is { } renewed
            && DateTime.UtcNow - renewed.ToUniversalTime() < TimeSpan.FromSeconds(l.Spec.LeaseDurationSeconds ?? 60));
        return live is null ? null : $"Lease {live.Metadata.NamespaceProperty}/aibaseline-leader held by {live.Spec.HolderIdentity}";
    }
}
