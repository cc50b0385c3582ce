using System.Text.Json.Nodes;

namespace AiBaseline.Cli.Tests.Audit;

/// <summary>
/// The audit reads the Prometheus Operator's ServiceMonitors, PodMonitors and PrometheusRules (MetricsScraping 5.4.2-3,
/// PerformanceTracking 5.4.2-4) and Trivy Operator's VulnerabilityReports (VulnerabilityFixes 5.4.1-1) from manifests,
/// beside the compliant example, whose monitoring.yaml holds a ServiceMonitor and a PrometheusRule.
/// </summary>
public sealed class MonitoringAuditTests
{
    private const string Vllm = "registry.acme.example/mirror/vllm/vllm-openai";
    private const string VllmDigest = "sha256:c4a8e2f6b0d3a7c1e5f9b2d6a0c4e8f1b5d9a3c7e0f4b8d2a6c1e5f9b3d7a0c4";
    private const string Puller = "registry.acme.example/ml-platform/model-puller";
    private const string PullerDigest = "sha256:9b2e4d6f8a0c1e3b5d7f9a2c4e6b8d0f1a3c5e7b9d2f4a6c8e0b1d3f5a7c9e2b";

    private const string CentralMonitor = """
        apiVersion: monitoring.coreos.com/v1
        kind: ServiceMonitor
        metadata: {name: model-servers, namespace: monitoring}
        spec:
          namespaceSelector: {matchNames: [llm-serving]}
          selector: {matchLabels: {app.kubernetes.io/name: llama-chat}}
          endpoints: [{port: http}]
        """;

    [Fact]
    public void The_compliant_example_is_scraped_and_alerted_on()
    {
        var run = Run(withMonitoring: true);

        var scraped = Condition(run, "MetricsScraped");
        var tracked = Condition(run, "PerformanceTracked");
        Assert.Equal(0, run.Exit);
        Assert.Equal(("True", "Scraped"), ((string?)scraped["status"], (string?)scraped["reason"]));
        Assert.Equal("ServiceMonitor llm-serving/llama-chat scrapes Service llama-chat", (string?)scraped["message"]);
        Assert.Equal(("True", "AlertRulesPresent"), ((string?)tracked["status"], (string?)tracked["reason"]));
        Assert.Contains("PrometheusRule llm-serving/llama-chat-behaviour alerts on them (LlamaChatLatencyHigh and 1 more)", (string?)tracked["message"], StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_ServiceMonitor_the_audit_says_what_to_add_and_fails()
    {
        var run = Run(withMonitoring: false);

        var scraped = Condition(run, "MetricsScraped");
        Assert.Equal(1, run.Exit);
        Assert.Equal(("False", "NotScraped"), ((string?)scraped["status"], (string?)scraped["reason"]));
        Assert.StartsWith("no ServiceMonitor or PodMonitor selects the model's pods, so its metrics are not collected: add a ServiceMonitor in namespace llm-serving whose selector matches the labels of Service llama-chat", (string?)scraped["message"], StringComparison.Ordinal);
        Assert.Equal(("False", "NotScraped"), ((string?)Condition(run, "PerformanceTracked")["status"], (string?)Condition(run, "PerformanceTracked")["reason"]));
    }

    [Fact]
    public void A_central_ServiceMonitor_naming_the_namespace_scrapes_it_but_alerts_must_still_select_its_job()
    {
        var run = Run(withMonitoring: false, extra: CentralMonitor);

        Assert.Equal(("True", "Scraped"), ((string?)Condition(run, "MetricsScraped")["status"], (string?)Condition(run, "MetricsScraped")["reason"]));
        Assert.Contains("ServiceMonitor monitoring/model-servers scrapes Service llama-chat", (string?)Condition(run, "MetricsScraped")["message"], StringComparison.Ordinal);
        var tracked = Condition(run, "PerformanceTracked");
        Assert.Equal(("False", "NoAlertRule"), ((string?)tracked["status"], (string?)tracked["reason"]));
        Assert.Contains("no PrometheusRule was found; add a PrometheusRule in namespace llm-serving with an alerting rule whose expr selects {job=\"llama-chat\"}", (string?)tracked["message"], StringComparison.Ordinal);
    }

    [Fact]
    public void Without_reports_in_the_input_5_4_1_1_awaits_attestation_and_the_control_says_why()
    {
        var run = Run(withMonitoring: true, requireReports: true);

        var control = Chat(run)["status"]!["controls"]!.AsArray().Single(c => (string?)c!["name"] == "VulnerabilityFixes")!;
        Assert.Equal(0, run.Exit);
        Assert.Equal(("NotApplicable", "ReportsNotInInput"), ((string?)control["result"], (string?)control["reason"]));
        Assert.Contains("kubectl get vulnerabilityreports -o yaml", (string?)control["message"], StringComparison.Ordinal);
        Assert.Contains(Chat(run)["status"]!["provisions"]!.AsArray(), g => (string?)g!["result"] == "Attestation" && g["ids"]!.AsArray().Any(i => (string?)i == "5.4.1-1"));
    }

    [Fact]
    public void Reports_saved_from_the_cluster_are_judged_naming_the_image_and_the_count()
    {
        var reports = Report("vllm", Vllm, VllmDigest, ("CVE-2026-1111", "2026-02-01T00:00:00Z"), ("CVE-2026-2222", "2026-11-20T00:00:00Z"))
            + "\n---\n" + Report("fetch-model", Puller, PullerDigest);

        var run = Run(withMonitoring: true, requireReports: true, reports);

        var fixes = Condition(run, "VulnerabilitiesFixed");
        Assert.Equal(1, run.Exit);
        Assert.Equal(("False", "FixableCriticalVulnerabilities"), ((string?)fixes["status"], (string?)fixes["reason"]));
        Assert.Contains($"container vllm: image {Vllm}@{VllmDigest} has 1 fixable critical vulnerability published more than 30 days ago (CVE-2026-1111", (string?)fixes["message"], StringComparison.Ordinal);
        Assert.DoesNotContain("CVE-2026-2222", (string?)fixes["message"], StringComparison.Ordinal);
    }

    [Fact]
    public void An_image_without_a_report_is_unknown_and_named()
    {
        var run = Run(withMonitoring: true, requireReports: true, Report("vllm", Vllm, VllmDigest));

        var fixes = Condition(run, "VulnerabilitiesFixed");
        Assert.Equal(("Unknown", "ReportMissing"), ((string?)fixes["status"], (string?)fixes["reason"]));
        Assert.StartsWith($"init container fetch-model: image {Puller}@{PullerDigest} has no VulnerabilityReport yet", (string?)fixes["message"], StringComparison.Ordinal);
    }

    private static AuditResult Run(bool withMonitoring, bool requireReports = false, string extra = "")
    {
        using var dir = new TempManifests();
        foreach (var file in Directory.GetFiles(AuditHarness.Examples("llm-inference-compliant"), "*.yaml"))
        {
            if (withMonitoring || Path.GetFileName(file) != "monitoring.yaml")
            {
                dir.Write(Path.GetFileName(file), File.ReadAllText(file));
            }
        }

        var profile = File.ReadAllText(AuditHarness.Examples("profiles/default.yaml"));
        var changed = profile.Replace("requireReports: false", "requireReports: true", StringComparison.Ordinal);
        Assert.NotEqual(profile, changed);
        dir.Write("profile.yaml", requireReports ? changed : profile);
        dir.Write("extra.yaml", extra);
        return AuditHarness.Run(dir.Dir, "-o", "json");
    }

    private static string Report(string container, string repository, string digest, params (string Id, string Published)[] critical)
    {
        var slash = repository.IndexOf('/', StringComparison.Ordinal);
        var vulnerabilities = string.Concat(critical.Select(c => $$"""

              - {vulnerabilityID: {{c.Id}}, severity: CRITICAL, fixedVersion: "2.0", installedVersion: "1.0", resource: libx, title: "", primaryLink: "", score: 9.8, publishedDate: "{{c.Published}}", lastModifiedDate: "{{c.Published}}"}
            """.TrimEnd()));
        return $$"""
            apiVersion: aquasecurity.github.io/v1alpha1
            kind: VulnerabilityReport
            metadata:
              name: replicaset-llama-chat-5d8f-{{container}}
              namespace: llm-serving
              labels: {trivy-operator.container.name: {{container}}, trivy-operator.resource.kind: ReplicaSet, trivy-operator.resource.name: llama-chat-5d8f, trivy-operator.resource.namespace: llm-serving}
            report:
              updateTimestamp: "2026-11-23T08:00:00Z"
              scanner: {name: Trivy, vendor: Aqua Security, version: 0.60.0}
              os: {family: debian, name: "12.5"}
              registry: {server: {{repository[..slash]}}}
              artifact: {repository: {{repository[(slash + 1)..]}}, digest: "{{digest}}"}
              summary: {criticalCount: {{critical.Length}}, highCount: 0, mediumCount: 0, lowCount: 0, unknownCount: 0}
              vulnerabilities:{{(critical.Length == 0 ? " []" : vulnerabilities)}}
            """;
    }

    private static JsonNode Chat(AuditResult run) =>
        JsonNode.Parse(run.Stdout)!["items"]!.AsArray().Single(i => (string?)i!["metadata"]!["name"] == "llama-chat")!;

    private static JsonNode Condition(AuditResult run, string type) =>
        Chat(run)["status"]!["conditions"]!.AsArray().Single(c => (string?)c!["type"] == type)!;
}
