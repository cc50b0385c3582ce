using System.Collections.Immutable;
using System.Text.Json.Nodes;
using AiBaseline.Api.V1Alpha1;
using AiBaseline.Engine.Controls;
using Microsoft.Extensions.Time.Testing;
using static AiBaseline.Engine.Tests.Builders;
using static AiBaseline.Engine.Tests.ControlHarness;

namespace AiBaseline.Engine.Tests;

/// <summary>MetricsScraping (5.4.2-3) and PerformanceTracking (5.4.2-4) from ServiceMonitors, PodMonitors and PrometheusRules.</summary>
public sealed class MonitoringControlTests
{
    // The model's pods carry app: scorer and name a container port "metrics" (below); its Service (Builders.MetricsService) names "metrics" too.
    private const string ServiceMonitor = """{"metadata": {"name": "scorer"}, "spec": {"selector": {"matchLabels": {"app": "scorer"}}, "endpoints": [{"port": "metrics", "interval": "30s"}]}}""";
    private const string ServiceMonitorByExpression = """{"metadata": {"name": "servers"}, "spec": {"selector": {"matchExpressions": [{"key": "app", "operator": "In", "values": ["scorer", "ranker"]}]}, "endpoints": [{"port": "metrics"}]}}""";
    private const string ServiceMonitorWrongPort = """{"metadata": {"name": "scorer"}, "spec": {"selector": {"matchLabels": {"app": "scorer"}}, "endpoints": [{"port": "prometheus"}]}}""";
    private const string ServiceMonitorOtherApp = """{"metadata": {"name": "web"}, "spec": {"selector": {"matchLabels": {"app": "web"}}, "endpoints": [{"port": "metrics"}]}}""";
    private const string ServiceMonitorJobLabel = """{"metadata": {"name": "scorer"}, "spec": {"jobLabel": "app", "selector": {"matchLabels": {"app": "scorer"}}, "endpoints": [{"port": "metrics"}]}}""";
    private const string ServiceMonitorTierLabel = """{"metadata": {"name": "scorer"}, "spec": {"jobLabel": "tier", "selector": {"matchLabels": {"app": "scorer"}}, "endpoints": [{"port": "metrics"}]}}""";
    private const string CentralAny = """{"metadata": {"name": "everything"}, "spec": {"namespaceSelector": {"any": true}, "selector": {}, "endpoints": [{"port": "metrics"}]}}""";
    private const string CentralMatchNames = """{"metadata": {"name": "ml-servers"}, "spec": {"namespaceSelector": {"matchNames": ["ml"]}, "selector": {"matchLabels": {"app": "scorer"}}, "endpoints": [{"port": "metrics"}]}}""";
    private const string CentralOwnNamespace = """{"metadata": {"name": "scorer"}, "spec": {"selector": {"matchLabels": {"app": "scorer"}}, "endpoints": [{"port": "metrics"}]}}""";
    private const string CentralOtherNames = """{"metadata": {"name": "other"}, "spec": {"namespaceSelector": {"matchNames": ["web"]}, "selector": {}, "endpoints": [{"port": "metrics"}]}}""";
    private const string PodMonitor = """{"metadata": {"name": "scorer-pods"}, "spec": {"selector": {"matchLabels": {"app": "scorer"}}, "podMetricsEndpoints": [{"port": "metrics"}]}}""";
    private const string PodMonitorWrongPort = """{"metadata": {"name": "scorer-pods"}, "spec": {"selector": {"matchLabels": {"app": "scorer"}}, "podMetricsEndpoints": [{"port": "prom"}]}}""";
    private const string PodMonitorByNumber = """{"metadata": {"name": "scorer-pods"}, "spec": {"selector": {"matchLabels": {"app": "scorer"}}, "podMetricsEndpoints": [{"portNumber": 8000}]}}""";
    private const string RuleOnJob = """{"metadata": {"name": "scorer-alerts"}, "spec": {"groups": [{"name": "scorer", "rules": [{"record": "job:errors:rate5m", "expr": "rate(errors_total{job=\"other\"}[5m])"}, {"alert": "ScorerErrors", "expr": "rate(request_failure_total{job=\"scorer\"}[5m]) > 0.1", "for": "10m"}]}]}}""";
    private const string RuleOnRegex = """{"metadata": {"name": "fleet-alerts"}, "spec": {"groups": [{"name": "fleet", "rules": [{"alert": "ServerLatency", "expr": "histogram_quantile(0.9, rate(latency_bucket{job=~'scor.*|rank.*'}[5m])) > 1"}]}]}}""";
    private const string RuleOnNamespace = """{"metadata": {"name": "ns-alerts"}, "spec": {"groups": [{"name": "ns", "rules": [{"alert": "ThroughputDrop", "expr": "sum(rate(requests_total{namespace=\"ml\"}[1h])) < 0.5 * sum(rate(requests_total{namespace=\"ml\"}[1h] offset 1d))"}]}]}}""";
    private const string RuleNegated = """{"metadata": {"name": "others"}, "spec": {"groups": [{"name": "x", "rules": [{"alert": "NotScorer", "expr": "up{job!=\"scorer\"} == 0"}]}]}}""";
    private const string RuleUnscoped = """{"metadata": {"name": "generic"}, "spec": {"groups": [{"name": "x", "rules": [{"alert": "AnyDown", "expr": "up == 0"}]}]}}""";
    private const string RecordingOnly = """{"metadata": {"name": "recording"}, "spec": {"groups": [{"name": "x", "rules": [{"record": "scorer:latency:p99", "expr": "histogram_quantile(0.99, rate(latency_bucket{job=\"scorer\"}[5m]))"}]}]}}""";

    [Theory]
    [InlineData("service-monitor", ControlResult.Met, MetricsScrapingControl.ScrapedReason, "ServiceMonitor ml/scorer scrapes Service scorer", "a ServiceMonitor selecting the model's Service on its metrics port")]
    [InlineData("service-monitor-expression", ControlResult.Met, MetricsScrapingControl.ScrapedReason, "ServiceMonitor ml/servers scrapes Service scorer", "matchExpressions select the Service too")]
    [InlineData("service-monitor-job-label", ControlResult.Met, MetricsScrapingControl.ScrapedReason, "ServiceMonitor ml/scorer scrapes Service scorer", "jobLabel takes the job from the Service's label (here equal to its name)")]
    [InlineData("service-monitor-tier-label", ControlResult.Met, MetricsScrapingControl.ScrapedReason, "ServiceMonitor ml/scorer scrapes Service scorer (job model-servers)", "a job taken from another label is named")]
    [InlineData("pod-monitor", ControlResult.Met, MetricsScrapingControl.ScrapedReason, "PodMonitor ml/scorer-pods scrapes the model's pods (job ml/scorer-pods)", "a PodMonitor selects the pods directly; its job is namespace/name")]
    [InlineData("pod-monitor-by-number", ControlResult.Met, MetricsScrapingControl.ScrapedReason, "PodMonitor ml/scorer-pods", "an endpoint by port number scrapes whatever listens there")]
    [InlineData("central-any", ControlResult.Met, MetricsScrapingControl.ScrapedReason, "ServiceMonitor monitoring/everything scrapes Service scorer", "namespaceSelector any: true, with an empty selector, takes in every Service")]
    [InlineData("central-match-names", ControlResult.Met, MetricsScrapingControl.ScrapedReason, "ServiceMonitor monitoring/ml-servers", "namespaceSelector.matchNames naming the model's namespace")]
    [InlineData("nothing", ControlResult.NotMet, MetricsScrapingControl.NotScrapedReason, "no ServiceMonitor or PodMonitor selects the model's pods, so its metrics are not collected: add a ServiceMonitor in namespace ml whose selector matches the labels of Service scorer", "nothing scrapes the model")]
    [InlineData("service-monitor-other-app", ControlResult.NotMet, MetricsScrapingControl.NotScrapedReason, "no ServiceMonitor or PodMonitor selects", "a monitor of another app does not scrape this model")]
    [InlineData("central-own-namespace", ControlResult.NotMet, MetricsScrapingControl.NotScrapedReason, "no ServiceMonitor", "without a namespaceSelector a monitor selects only in its own namespace")]
    [InlineData("central-other-names", ControlResult.NotMet, MetricsScrapingControl.NotScrapedReason, "no ServiceMonitor", "matchNames of other namespaces")]
    [InlineData("service-monitor-wrong-port", ControlResult.NotMet, MetricsScrapingControl.NotScrapedReason, "ServiceMonitor ml/scorer selects Service scorer but scrapes port prometheus, which the Service does not name", "a port the Service does not have scrapes nothing")]
    [InlineData("pod-monitor-wrong-port", ControlResult.NotMet, MetricsScrapingControl.NotScrapedReason, "PodMonitor ml/scorer-pods selects the model's pods but scrapes port prom, which no container names", "a port no container names scrapes nothing")]
    [InlineData("no-service pod-monitor", ControlResult.Met, MetricsScrapingControl.ScrapedReason, "PodMonitor ml/scorer-pods", "a PodMonitor needs no Service")]
    [InlineData("no-service service-monitor", ControlResult.NotMet, MetricsScrapingControl.NotScrapedReason, "add a PodMonitor in namespace ml selecting the pods (app=scorer)", "a ServiceMonitor needs a Service that selects the pods")]
    public void MetricsScraping_judges_whether_the_model_is_scraped(string objects, ControlResult result, string reason, string fragment, string why) =>
        AssertRow(new MetricsScrapingControl(), why, With(objects), null, result, reason, fragment);

    [Theory]
    [InlineData("service-monitor rule-on-job", ControlResult.Met, PerformanceTrackingControl.AlertRulesPresentReason, "PrometheusRule ml/scorer-alerts alerts on them (ScorerErrors)", "an alert on the scraped job; the recording rule beside it is not an alert")]
    [InlineData("central-any rule-on-regex", ControlResult.Met, PerformanceTrackingControl.AlertRulesPresentReason, "PrometheusRule monitoring/fleet-alerts alerts on them (ServerLatency)", "a regular expression matching the job, in the monitor's namespace")]
    [InlineData("pod-monitor rule-on-namespace", ControlResult.Met, PerformanceTrackingControl.AlertRulesPresentReason, "(ThroughputDrop)", "a matcher on the model's namespace")]
    [InlineData("service-monitor-job-label rule-on-job", ControlResult.Met, PerformanceTrackingControl.AlertRulesPresentReason, "(ScorerErrors)", "the job from jobLabel")]
    [InlineData("service-monitor", ControlResult.NotMet, PerformanceTrackingControl.NoAlertRuleReason, "the model's metrics are scraped (job scorer) but no alerting rule tracks them: no PrometheusRule was found; add a PrometheusRule in namespace ml with an alerting rule whose expr selects {job=\"scorer\"}", "scraped but not alerted on")]
    [InlineData("service-monitor rule-negated", ControlResult.NotMet, PerformanceTrackingControl.NoAlertRuleReason, "PrometheusRule ml/others selects none of them", "job!= excludes the model")]
    [InlineData("service-monitor rule-unscoped", ControlResult.NotMet, PerformanceTrackingControl.NoAlertRuleReason, "PrometheusRule ml/generic selects none of them", "a rule over every series cannot be told from one about other servers")]
    [InlineData("service-monitor recording-only", ControlResult.NotMet, PerformanceTrackingControl.NoAlertRuleReason, "PrometheusRule ml/recording selects none", "a recording rule raises no alert")]
    [InlineData("pod-monitor rule-on-job", ControlResult.NotMet, PerformanceTrackingControl.NoAlertRuleReason, "(job ml/scorer-pods)", "a PodMonitor's job is namespace/name, not the app label")]
    [InlineData("rule-on-job", ControlResult.NotMet, MetricsScrapingControl.NotScrapedReason, "the model's metrics are not scraped, so no alert can track its performance", "an alert on series nobody scrapes tracks nothing")]
    public void PerformanceTracking_judges_whether_an_alert_tracks_the_model(string objects, ControlResult result, string reason, string fragment, string why) =>
        AssertRow(new PerformanceTrackingControl(), why, With(objects), null, result, reason, fragment);

    [Fact]
    public void Without_the_Prometheus_Operator_both_are_Unknown_and_say_what_to_install_or_set()
    {
        var snapshot = With("service-monitor rule-on-job") with { Monitoring = new MonitoringState(false, [], []) };

        var scraping = Evaluate(new MetricsScrapingControl(), snapshot);
        var tracking = Evaluate(new PerformanceTrackingControl(), snapshot);

        Assert.Equal((ControlResult.Unknown, MetricsScrapingControl.MonitoringNotInstalledReason), (scraping.Result, scraping.Reason));
        Assert.Contains("install the Prometheus Operator, or set spec.monitoring.requireScrape: false", scraping.Message, StringComparison.Ordinal);
        Assert.Equal((ControlResult.Unknown, MetricsScrapingControl.MonitoringNotInstalledReason), (tracking.Result, tracking.Reason));
        Assert.Contains("spec.monitoring.requireAlertRules: false", tracking.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_profile_that_does_not_require_monitoring_leaves_the_provisions_to_attestation_not_to_not_applicable()
    {
        var profile = Profile(p => p.Monitoring = new MonitoringPolicy { RequireScrape = false, RequireAlertRules = false });

        var status = BaselineEngine.Evaluate(With("nothing"), profile, new FakeTimeProvider(Now));

        Assert.Equal(ProvisionResult.Attestation, status.Provision("5.4.2-3")?.Result);
        Assert.Equal(ProvisionResult.Attestation, status.Provision("5.4.2-4")?.Result);
        Assert.Equal(MetricsScrapingControl.NotRequiredReason, status.Controls!.Single(c => c.Name == "MetricsScraping").Reason);
        Assert.DoesNotContain(status.Conditions!, c => c.Type is ConditionTypes.MetricsScraped or ConditionTypes.PerformanceTracked);
    }

    [Fact]
    public void Engine_decides_5_4_2_3_and_5_4_2_4_apart()
    {
        var scrapedOnly = BaselineEngine.Evaluate(With("service-monitor"), Profile(), new FakeTimeProvider(Now));
        var neither = BaselineEngine.Evaluate(With("nothing"), Profile(), new FakeTimeProvider(Now));

        Assert.Equal((ProvisionResult.Met, ProvisionResult.NotMet), (scrapedOnly.Provision("5.4.2-3")?.Result, scrapedOnly.Provision("5.4.2-4")?.Result));
        Assert.Equal((ProvisionResult.NotMet, ProvisionResult.NotMet), (neither.Provision("5.4.2-3")?.Result, neither.Provision("5.4.2-4")?.Result));
        Assert.Equal(ProvisionResult.Met, BaselineEngine.Evaluate(Snapshot(), Profile(), new FakeTimeProvider(Now)).Provision("5.4.2-4")?.Result);
    }

    [Fact]
    public void A_workload_of_several_templates_is_scraped_when_one_template_is()
    {
        var leader = Workload().Template;
        var worker = new k8s.Models.V1PodTemplateSpec
        {
            Metadata = new k8s.Models.V1ObjectMeta { Labels = new Dictionary<string, string> { ["role"] = "worker" } },
            Spec = Workload().Template.Spec,
        };
        var workload = WorkloadState.Of(WorkloadKind.LeaderWorkerSet, "scorer", 1, [new PodTemplate("leader", leader), new PodTemplate("worker", worker)]);
        var snapshot = Gathering.SnapshotAssembler.Assemble(Deployment(), new TemplatesState(workload, Snapshot()));

        var outcome = BaselineEngine.Evaluate(snapshot, Profile(), new FakeTimeProvider(Now)).Conditions!.Single(c => c.Type == ConditionTypes.MetricsScraped);

        Assert.Equal(("True", MetricsScrapingControl.ScrapedReason), (outcome.Status, outcome.Reason));
        Assert.StartsWith("leader template: ServiceMonitor ml/scorer scrapes Service scorer", outcome.Message, StringComparison.Ordinal);
    }

    private static Snapshot With(string objects)
    {
        var monitors = ImmutableArray.CreateBuilder<MetricsMonitor>();
        var rules = ImmutableArray.CreateBuilder<AlertRuleSet>();
        var services = ImmutableArray.Create(MetricsService() with { Labels = MetricsService().Labels.Add("tier", "model-servers") });
        foreach (var name in objects.Split(' '))
        {
            switch (name)
            {
                case "nothing": break;
                case "no-service": services = []; break;
                case "service-monitor": monitors.Add(MonitoringReader.Monitor("ServiceMonitor", "ml", Json(ServiceMonitor))); break;
                case "service-monitor-expression": monitors.Add(MonitoringReader.Monitor("ServiceMonitor", "ml", Json(ServiceMonitorByExpression))); break;
                case "service-monitor-wrong-port": monitors.Add(MonitoringReader.Monitor("ServiceMonitor", "ml", Json(ServiceMonitorWrongPort))); break;
                case "service-monitor-other-app": monitors.Add(MonitoringReader.Monitor("ServiceMonitor", "ml", Json(ServiceMonitorOtherApp))); break;
                case "service-monitor-job-label": monitors.Add(MonitoringReader.Monitor("ServiceMonitor", "ml", Json(ServiceMonitorJobLabel))); break;
                case "service-monitor-tier-label": monitors.Add(MonitoringReader.Monitor("ServiceMonitor", "ml", Json(ServiceMonitorTierLabel))); break;
                case "central-any": monitors.Add(MonitoringReader.Monitor("ServiceMonitor", "monitoring", Json(CentralAny))); break;
                case "central-match-names": monitors.Add(MonitoringReader.Monitor("ServiceMonitor", "monitoring", Json(CentralMatchNames))); break;
                case "central-own-namespace": monitors.Add(MonitoringReader.Monitor("ServiceMonitor", "monitoring", Json(CentralOwnNamespace))); break;
                case "central-other-names": monitors.Add(MonitoringReader.Monitor("ServiceMonitor", "monitoring", Json(CentralOtherNames))); break;
                case "pod-monitor": monitors.Add(MonitoringReader.Monitor("PodMonitor", "ml", Json(PodMonitor))); break;
                case "pod-monitor-wrong-port": monitors.Add(MonitoringReader.Monitor("PodMonitor", "ml", Json(PodMonitorWrongPort))); break;
                case "pod-monitor-by-number": monitors.Add(MonitoringReader.Monitor("PodMonitor", "ml", Json(PodMonitorByNumber))); break;
                case "rule-on-job": rules.Add(MonitoringReader.Rules("ml", Json(RuleOnJob))); break;
                case "rule-on-regex": rules.Add(MonitoringReader.Rules("monitoring", Json(RuleOnRegex))); break;
                case "rule-on-namespace": rules.Add(MonitoringReader.Rules("ml", Json(RuleOnNamespace))); break;
                case "rule-negated": rules.Add(MonitoringReader.Rules("ml", Json(RuleNegated))); break;
                case "rule-unscoped": rules.Add(MonitoringReader.Rules("ml", Json(RuleUnscoped))); break;
                case "recording-only": rules.Add(MonitoringReader.Rules("ml", Json(RecordingOnly))); break;
                default: throw new ArgumentException("no such object in the table: " + name);
            }
        }

        var workload = Workload();
        workload.Template.Spec.Containers[0].Ports = [new k8s.Models.V1ContainerPort { Name = "metrics", ContainerPort = 8000 }];
        return Snapshot(workload: workload) with { ExposedServices = services, Monitoring = new MonitoringState(true, monitors.ToImmutable(), rules.ToImmutable()) };
    }

    private static JsonObject Json(string text) => JsonNode.Parse(text)!.AsObject();

    /// <summary>A cluster of one workload and the state of <paramref name="like"/> (its Service and monitoring).</summary>
    private sealed class TemplatesState(WorkloadState workload, Snapshot like) : Gathering.IClusterState
    {
        public WorkloadState? Workload(WorkloadKind kind, string ns, string name) => workload;

        public IReadOnlyList<k8s.Models.V1NetworkPolicy> NetworkPolicies(string ns) => like.NetworkPolicies;

        public IReadOnlyList<SecretMetadata> Secrets(string ns) => [];

        public k8s.Models.V1ConfigMap? ConfigMap(string ns, string name) => null;

        public k8s.Models.V1ServiceAccount? ServiceAccount(string ns, string name) => like.ServiceAccount;

        public IReadOnlyList<string> ServiceNames(string ns) => ["scorer"];

        public IReadOnlyList<ExposedService> ExposedServices(string ns) => like.ExposedServices;

        public MonitoringState Monitoring(string ns) => like.Monitoring;

        public IReadOnlyList<string> PersistentVolumeClaimNames(string ns) => [];

        public IReadOnlyList<k8s.Models.V1RoleBinding> RoleBindings(string ns) => [];

        public IReadOnlyList<k8s.Models.V1ClusterRoleBinding> ClusterRoleBindings() => [];

        public k8s.Models.V1Role? Role(string ns, string name) => null;

        public k8s.Models.V1ClusterRole? ClusterRole(string name) => null;

        public IReadOnlyList<k8s.Models.V1ClusterRole> ClusterRoles() => [];
    }
}
