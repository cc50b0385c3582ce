using System.Text.Json.Nodes;
using AiBaseline.Deploy.Tests.Infrastructure;

namespace AiBaseline.Deploy.Tests;

/// <summary>The Grafana dashboard and the alerts query only metrics the operator exports, and cover what an operator team watches.</summary>
public sealed class MonitoringTests
{
    private const string Dashboard = "deploy/monitoring/grafana-dashboard.json";

    public static TheoryData<string> RuleFiles() => ["deploy/monitoring/prometheusrule.yaml", "charts/aibaseline/files/alert-groups.yaml"];

    [Theory]
    [InlineData("sum by (controller, result) (rate(controller_runtime_reconcile_total[5m]))", "controller_runtime_reconcile_total", "grouping labels are not metrics")]
    [InlineData("histogram_quantile(0.99, sum by (le) (rate(a_seconds_bucket{job=\"x\"}[$__rate_interval])))", "a_seconds_bucket", "functions, numbers, matchers and Grafana variables are not metrics")]
    [InlineData("sum(aibaseline_deployments{ready=\"false\"}) > 0", "aibaseline_deployments", "a comparison with a number")]
    [InlineData("a_total / on (name) group_left b_total", "a_total b_total", "both sides of a binary operation")]
    [InlineData("max(up) == 0 and absent(foo)", "foo up", "keywords are not metrics")]
    public void Metric_names_are_read_from_promql(string expression, string expected, string reason)
    {
        Assert.True(expected == string.Join(' ', PromQl.MetricNames(expression)), $"{reason}: {expression} gave {string.Join(' ', PromQl.MetricNames(expression))}");
    }

    [Fact]
    public void Dashboard_queries_only_exported_metrics()
    {
        var expressions = DashboardExpressions();
        Assert.NotEmpty(expressions);
        var unknown = expressions
            .SelectMany(e => PromQl.MetricNames(e.Expr).Select(name => (e.Panel, Name: name)))
            .Where(use => !OperatorMetrics.Names().Contains(use.Name))
            .Select(use => $"panel \"{use.Panel}\": {use.Name}")
            .ToList();
        Assert.True(unknown.Count == 0, $"{Dashboard} queries metrics the operator does not export: {string.Join("; ", unknown)}");
    }

    [Theory]
    [MemberData(nameof(RuleFiles))]
    public void Alerts_query_only_exported_metrics(string file)
    {
        var rules = AlertRules(file);
        Assert.NotEmpty(rules);
        foreach (var (alert, expr, _) in rules)
        {
            var unknown = PromQl.MetricNames(expr).Where(name => !OperatorMetrics.Names().Contains(name)).ToList();
            Assert.True(unknown.Count == 0, $"{file}: alert {alert} queries {string.Join(", ", unknown)}, which the operator does not export");
        }
    }

    [Theory]
    [InlineData("aibaseline_control_results", "compliance by control")]
    [InlineData("aibaseline_provision_results", "compliance by provision")]
    [InlineData("controller_runtime_reconcile_total", "reconcile rate")]
    [InlineData("controller_runtime_reconcile_errors_total", "reconcile errors")]
    [InlineData("workqueue_depth", "queue depth")]
    [InlineData("controller_runtime_reconcile_time_seconds_bucket", "reconcile latency")]
    public void Dashboard_shows(string metric, string topic)
    {
        Assert.True(DashboardExpressions().Any(e => PromQl.MetricNames(e.Expr).Contains(metric)), $"{Dashboard}: no panel for {topic} ({metric})");
    }

    [Fact]
    public void Dashboard_shows_reconcile_latency_p99_and_has_unique_panel_ids()
    {
        Assert.Contains(DashboardExpressions(), e => e.Expr.StartsWith("histogram_quantile(0.99", StringComparison.Ordinal) && e.Expr.Contains("controller_runtime_reconcile_time_seconds_bucket", StringComparison.Ordinal));
        var ids = Panels().Select(p => (int)p["id"]!).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    [Theory]
    [InlineData("AIModelDeploymentNotCompliant", "aibaseline_deployments", "15m", "a deployment not compliant for 15 minutes")]
    [InlineData("AIBaselineReconcileErrors", "controller_runtime_reconcile_errors_total", "15m", "reconciles keep failing")]
    [InlineData("AIBaselineInformerNotSynced", "aibaseline_informer_synced", "10m", "a cache never synced: the operator sees nothing")]
    public void Alert_fires_on(string alert, string metric, string duration, string reason)
    {
        var rule = Assert.Single(AlertRules("deploy/monitoring/prometheusrule.yaml"), r => r.Alert == alert);
        Assert.True(PromQl.MetricNames(rule.Expr).Contains(metric), $"{alert} ({reason}) does not query {metric}");
        Assert.Equal(duration, rule.For);
    }

    private static List<JsonObject> Panels()
    {
        var dashboard = JsonNode.Parse(Repo.Read(Dashboard))!.AsObject();
        return dashboard["panels"]!.AsArray().Select(p => p!.AsObject()).ToList();
    }

    private static List<(string Panel, string Expr)> DashboardExpressions() =>
        Panels().SelectMany(panel => (panel["targets"]?.AsArray() ?? [])
            .Select(target => ((string)panel["title"]!, (string)target!["expr"]!))).ToList();

    private static List<(string Alert, string Expr, string? For)> AlertRules(string file)
    {
        var root = Yaml.Load(Repo.Read(file));
        var groups = (Yaml.Node(root, "spec", "groups") ?? Yaml.Node(root, "groups")) as YamlDotNet.RepresentationModel.YamlSequenceNode;
        Assert.True(groups is not null, $"{file}: no rule groups");
        return groups.Children
            .SelectMany(group => ((YamlDotNet.RepresentationModel.YamlSequenceNode)Yaml.Node(group, "rules")!).Children)
            .Select(rule => (Yaml.Scalar(rule, "alert")!, Yaml.Scalar(rule, "expr")!, Yaml.Scalar(rule, "for")))
            .ToList();
    }
}
