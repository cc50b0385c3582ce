using System.Text.Json.Nodes;
using AiBaseline.Api.V1Alpha1;
using k8s;
using k8s.Models;

namespace AiBaseline.Operator.Tests.Scenarios;

/// <summary>
/// Provisions the operator decides from what watches the model, through informers that run while the CRDs exist:
/// 5.4.2-3 (MetricsScraping) and 5.4.2-4 (PerformanceTracking) from the Prometheus Operator's ServiceMonitors and
/// PrometheusRules, 5.4.1-1 (VulnerabilityFixes) from Trivy Operator's VulnerabilityReports. The clusters hold the
/// projects' real CRDs (tests/vendor/monitoring-crds), so the API server validates every object created here.
/// </summary>
public abstract class MonitoringScenarios(ClusterTarget target)
{
    private const string Chat = "llama-chat";
    private const string Vllm = "registry.acme.example/mirror/vllm/vllm-openai";
    private const string VllmDigest = "sha256:c4a8e2f6b0d3a7c1e5f9b2d6a0c4e8f1b5d9a3c7e0f4b8d2a6c1e5f9b3d7a0c4";
    private const string Puller = "registry.acme.example/ml-platform/model-puller";
    private const string PullerDigest = "sha256:9b2e4d6f8a0c1e3b5d7f9a2c4e6b8d0f1a3c5e7b9d2f4a6c8e0b1d3f5a7c9e2b";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_compliant_example_is_scraped_and_alerted_on_until_its_ServiceMonitor_is_deleted()
    {
        await using var ns = await ScenarioNamespace.CreateAsync(target);
        await ns.ApplyExampleAsync("llm-inference-compliant");
        await ns.StartOperatorAsync();
        await ns.ConditionBecomesAsync(Chat, ConditionTypes.MetricsScraped, "True");
        await ns.ConditionBecomesAsync(Chat, ConditionTypes.PerformanceTracked, "True");
        Assert.StartsWith($"ServiceMonitor {ns.Name}/llama-chat scrapes Service llama-chat", (await ns.ConditionAsync(Chat, ConditionTypes.MetricsScraped))!.Message, StringComparison.Ordinal);
        Assert.Equal("True", (await ns.ConditionAsync(Chat, ConditionTypes.Ready))!.Status);

        await ns.Client.CustomObjects.DeleteNamespacedCustomObjectAsync("monitoring.coreos.com", "v1", ns.Name, "servicemonitors", Chat, cancellationToken: Ct);

        await ns.ConditionFollowsAsync(Chat, ConditionTypes.MetricsScraped, "False");
        Assert.Equal("NotScraped", (await ns.ConditionAsync(Chat, ConditionTypes.MetricsScraped))!.Reason);
        var status = (await ns.GetAsync(Chat))!.Status!;
        Assert.Equal(ProvisionResult.NotMet, status.Provision("5.4.2-3")?.Result);
        Assert.Equal(ProvisionResult.NotMet, status.Provision("5.4.2-4")?.Result);
    }

    [Fact]
    public async Task Trivy_reports_decide_5_4_1_1_once_the_profile_requires_them()
    {
        await using var ns = await ScenarioNamespace.CreateAsync(target);
        await ns.ApplyExampleAsync("llm-inference-compliant");
        var require = """{"spec": {"vulnerabilities": {"requireReports": true, "maxFixableCriticalAgeDays": 30}}}""";
        await ns.Client.CustomObjects.PatchClusterCustomObjectAsync(new V1Patch(require, V1Patch.PatchType.MergePatch), ApiGroup.Group, ApiGroup.Version, ApiGroup.BaselineProfilePlural, ns.Profile, cancellationToken: Ct);
        await ns.StartOperatorAsync();

        // Trivy Operator is installed (its CRD is there) but has not scanned the images yet.
        await ns.ConditionBecomesAsync(Chat, ConditionTypes.VulnerabilitiesFixed, "Unknown");
        Assert.Equal("ReportMissing", (await ns.ConditionAsync(Chat, ConditionTypes.VulnerabilitiesFixed))!.Reason);

        await CreateReportAsync(ns, "fetch-model", Puller, PullerDigest);
        await CreateReportAsync(ns, "vllm", Vllm, VllmDigest, ("CVE-2026-1111", "2026-01-15T00:00:00Z"));
        await ns.ConditionFollowsAsync(Chat, ConditionTypes.VulnerabilitiesFixed, "False");
        var stale = (await ns.ConditionAsync(Chat, ConditionTypes.VulnerabilitiesFixed))!;
        Assert.Equal("FixableCriticalVulnerabilities", stale.Reason);
        Assert.Contains($"container vllm: image {Vllm}@{VllmDigest} has 1 fixable critical vulnerability published more than 30 days ago (CVE-2026-1111", stale.Message, StringComparison.Ordinal);
        Assert.Equal(ProvisionResult.NotMet, (await ns.GetAsync(Chat))!.Status!.Provision("5.4.1-1")?.Result);

        // The image is rebuilt on the fixed version and scanned again: Trivy Operator writes the report anew.
        await ns.Client.CustomObjects.DeleteNamespacedCustomObjectAsync(VulnerabilityReports.Group, "v1alpha1", ns.Name, "vulnerabilityreports", ReportName("vllm"), cancellationToken: Ct);
        await CreateReportAsync(ns, "vllm", Vllm, VllmDigest);
        await ns.ConditionFollowsAsync(Chat, ConditionTypes.VulnerabilitiesFixed, "True");
        Assert.Equal("FixesDelivered", (await ns.ConditionAsync(Chat, ConditionTypes.VulnerabilitiesFixed))!.Reason);
    }

    private static string ReportName(string container) => $"replicaset-llama-chat-5d8f-{container}";

    private static async Task CreateReportAsync(ScenarioNamespace ns, string container, string repository, string digest, params (string Id, string Published)[] critical)
    {
        var slash = repository.IndexOf('/', StringComparison.Ordinal);
        var report = new JsonObject
        {
            ["apiVersion"] = "aquasecurity.github.io/v1alpha1",
            ["kind"] = "VulnerabilityReport",
            ["metadata"] = new JsonObject
            {
                ["name"] = ReportName(container),
                ["namespace"] = ns.Name,
                ["labels"] = new JsonObject
                {
                    ["trivy-operator.container.name"] = container,
                    ["trivy-operator.resource.kind"] = "ReplicaSet",
                    ["trivy-operator.resource.name"] = "llama-chat-5d8f",
                    ["trivy-operator.resource.namespace"] = ns.Name,
                },
            },
            ["report"] = new JsonObject
            {
                ["updateTimestamp"] = "2026-11-23T08:00:00Z",
                ["scanner"] = new JsonObject { ["name"] = "Trivy", ["vendor"] = "Aqua Security", ["version"] = "0.60.0" },
                ["os"] = new JsonObject { ["family"] = "debian", ["name"] = "12.5" },
                ["registry"] = new JsonObject { ["server"] = repository[..slash] },
                ["artifact"] = new JsonObject { ["repository"] = repository[(slash + 1)..], ["digest"] = digest },
                ["summary"] = new JsonObject { ["criticalCount"] = critical.Length, ["highCount"] = 0, ["mediumCount"] = 0, ["lowCount"] = 0, ["unknownCount"] = 0 },
                ["vulnerabilities"] = new JsonArray([.. critical.Select(c => (JsonNode?)new JsonObject
                {
                    ["vulnerabilityID"] = c.Id,
                    ["severity"] = "CRITICAL",
                    ["fixedVersion"] = "3.0.2",
                    ["installedVersion"] = "3.0.1",
                    ["resource"] = "libssl3",
                    ["title"] = "",
                    ["publishedDate"] = c.Published,
                    ["lastModifiedDate"] = c.Published,
                })]),
            },
        };
        await ns.Client.CustomObjects.CreateNamespacedCustomObjectAsync(report, VulnerabilityReports.Group, "v1alpha1", ns.Name, "vulnerabilityreports", cancellationToken: Ct);
    }

    private static class VulnerabilityReports
    {
        public const string Group = "aquasecurity.github.io";
    }
}

/// <summary>On the in-process API emulator: part of every CI run.</summary>
public sealed class EmulatedMonitoringScenarios(EmulatedCluster cluster) : MonitoringScenarios(cluster), IClassFixture<EmulatedCluster>;

/// <summary>On the cluster named by <c>AIBASELINE_E2E_KUBECONFIG</c>, where the API server validates the objects against the real CRDs.</summary>
public sealed class RealMonitoringScenarios(RealCluster cluster) : MonitoringScenarios(cluster), IClassFixture<RealCluster>;

/// <summary>
/// Where the Prometheus Operator is not installed, the operator says so (Unknown) rather than failing the model, and
/// picks the monitors up once the CRDs are installed, without a restart. On the emulator, whose CRDs a test may install
/// and nobody else shares.
/// </summary>
public sealed class MonitoringInstalledLaterScenarios(EmulatedClusterWithoutMonitoring cluster) : IClassFixture<EmulatedClusterWithoutMonitoring>
{
    private const string Chat = "llama-chat";

    [Fact]
    public async Task Monitoring_is_Unknown_without_the_Prometheus_Operator_and_judged_once_its_CRDs_are_installed()
    {
        await using var ns = await ScenarioNamespace.CreateAsync(cluster);
        await ns.ApplyExampleAsync(o => o is not MonitoringDocument, "llm-inference-compliant");
        await ns.StartOperatorAsync();

        await ns.ConditionBecomesAsync(Chat, ConditionTypes.MetricsScraped, "Unknown");
        var missing = (await ns.ConditionAsync(Chat, ConditionTypes.MetricsScraped))!;
        Assert.Equal("MonitoringNotInstalled", missing.Reason);
        Assert.Contains("install the Prometheus Operator, or set spec.monitoring.requireScrape: false in the profile", missing.Message, StringComparison.Ordinal);
        Assert.Equal(("Unknown", "EvidenceUnavailable"), ((await ns.ConditionAsync(Chat, ConditionTypes.Ready))!.Status, (await ns.ConditionAsync(Chat, ConditionTypes.Ready))!.Reason));

        await ClusterTarget.InstallVendoredCrdsAsync(cluster, "monitoring-crds", TestContext.Current.CancellationToken);
        await ns.ConditionBecomesAsync(Chat, ConditionTypes.MetricsScraped, "False");
        Assert.Equal("NotScraped", (await ns.ConditionAsync(Chat, ConditionTypes.MetricsScraped))!.Reason);

        await ns.CreateAsync(Manifests.Example("llm-inference-compliant", ns.Name, ns.Profile).OfType<MonitoringDocument>());
        await ns.ConditionBecomesAsync(Chat, ConditionTypes.MetricsScraped, "True");
        await ns.ConditionBecomesAsync(Chat, ConditionTypes.PerformanceTracked, "True");
        Assert.Equal("True", (await ns.ConditionAsync(Chat, ConditionTypes.Ready))!.Status);
    }
}
