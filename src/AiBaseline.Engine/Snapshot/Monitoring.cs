using System.Collections.Immutable;
using System.Text.Json.Nodes;
using k8s.Models;
using static AiBaseline.Engine.JsonReading;

namespace AiBaseline.Engine;

/// <summary>A Prometheus Operator ServiceMonitor or PodMonitor, as MetricsScraping reads it.</summary>
/// <param name="Kind">ServiceMonitor or PodMonitor.</param>
/// <param name="Namespace">Its namespace.</param>
/// <param name="Name">Its name.</param>
/// <param name="Selector">spec.selector: the Services (ServiceMonitor) or pods (PodMonitor) it selects; empty selects all.</param>
/// <param name="AnyNamespace">spec.namespaceSelector.any: it selects in every namespace.</param>
/// <param name="MatchNames">spec.namespaceSelector.matchNames; with neither, only its own namespace.</param>
/// <param name="JobLabel">spec.jobLabel: the label of the Service (or pod) whose value becomes the job label.</param>
/// <param name="Ports">The named ports its endpoints scrape (endpoints[].port, podMetricsEndpoints[].port); an endpoint by number or targetPort is "#".</param>
public sealed record MetricsMonitor(
    string Kind, string Namespace, string Name, V1LabelSelector Selector, bool AnyNamespace, ImmutableArray<string> MatchNames, string? JobLabel,
    ImmutableArray<string> Ports)
{
    /// <summary>An endpoint that names no port by name: by number (portNumber) or by the deprecated targetPort.</summary>
    public const string UnnamedPort = "#";

    /// <summary>Whether its namespaceSelector takes in <paramref name="ns"/>.</summary>
    public bool Watches(string ns) => AnyNamespace || (MatchNames.IsDefaultOrEmpty ? Namespace == ns : MatchNames.Contains(ns, StringComparer.Ordinal));

    /// <summary>"Kind namespace/name", for messages.</summary>
    public override string ToString() => $"{Kind} {Namespace}/{Name}";
}

/// <summary>A label matcher of a PromQL expression on job, service or namespace: <c>job="chat"</c>, <c>job=~"chat.*"</c>.</summary>
/// <param name="Label">job, service or namespace.</param>
/// <param name="Regex">Whether it is <c>=~</c> (otherwise <c>=</c>).</param>
/// <param name="Value">The quoted value.</param>
public sealed record LabelMatcher(string Label, bool Regex, string Value);

/// <summary>An alerting rule: its name, and the job, service and namespace matchers of its expression, read once.</summary>
public sealed record AlertRule(string Name, ImmutableArray<LabelMatcher> Matchers)
{
    private static readonly System.Text.RegularExpressions.Regex Matcher = new(
        """\b(job|service|namespace)\s*(=~|=)\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)')""",
        System.Text.RegularExpressions.RegexOptions.CultureInvariant,
        TimeSpan.FromMilliseconds(100));

    /// <summary>The rule named <paramref name="name"/> with the PromQL expression <paramref name="expr"/>.</summary>
    public static AlertRule Of(string name, string expr)
    {
        try
        {
            return new AlertRule(name, [.. Matcher.Matches(expr).Select(m => new LabelMatcher(m.Groups[1].Value, m.Groups[2].Value == "=~", m.Groups[3].Success ? m.Groups[3].Value : m.Groups[4].Value))]);
        }
        catch (System.Text.RegularExpressions.RegexMatchTimeoutException)
        {
            return new AlertRule(name, []);
        }
    }
}

/// <summary>A PrometheusRule's alerting rules (recording rules are left out), as PerformanceTracking reads them.</summary>
/// <param name="Namespace">Its namespace.</param>
/// <param name="Name">Its name.</param>
/// <param name="Alerts">Each alerting rule, with the matchers of its expression.</param>
public sealed record AlertRuleSet(string Namespace, string Name, ImmutableArray<AlertRule> Alerts)
{
    /// <summary>"PrometheusRule namespace/name", for messages.</summary>
    public override string ToString() => $"PrometheusRule {Namespace}/{Name}";
}

/// <summary>What the snapshot knows of the Prometheus Operator around the model: monitors, alert rules, and whether it is installed.</summary>
/// <param name="Installed">
/// Whether ServiceMonitors and PodMonitors can exist: in the cluster, whether their CustomResourceDefinitions are served; in
/// the audit always, since the manifests are judged as they would be applied.
/// </param>
/// <param name="Monitors">The ServiceMonitors and PodMonitors whose namespaceSelector takes in the model's namespace.</param>
/// <param name="AlertRules">The PrometheusRules of the model's namespace and of the namespaces of those monitors.</param>
public sealed record MonitoringState(bool Installed, ImmutableArray<MetricsMonitor> Monitors, ImmutableArray<AlertRuleSet> AlertRules)
{
    /// <summary>Nothing monitors the namespace, and the Prometheus Operator is installed (the audit's default).</summary>
    public static MonitoringState None { get; } = new(true, [], []);
}

/// <summary>Reads ServiceMonitors, PodMonitors and PrometheusRules from their JSON, the same for manifests and for the cluster.</summary>
public static class MonitoringReader
{
    /// <summary>The API group of the Prometheus Operator's resources.</summary>
    public const string Group = "monitoring.coreos.com";

    /// <summary>A ServiceMonitor or PodMonitor.</summary>
    public static MetricsMonitor Monitor(string kind, string ns, JsonObject obj)
    {
        var spec = obj["spec"] as JsonObject ?? [];
        var selector = Selector(spec["selector"] as JsonObject);
        var namespaces = spec["namespaceSelector"] as JsonObject;
        var any = At(namespaces, "any") is JsonValue a && a.TryGetValue<bool>(out var all) && all;
        var names = (At(namespaces, "matchNames") as JsonArray ?? []).Select(Text).OfType<string>().ToImmutableArray();
        var endpoints = spec[kind == "PodMonitor" ? "podMetricsEndpoints" : "endpoints"] as JsonArray ?? [];
        var ports = endpoints.OfType<JsonObject>().Select(e => Text(e["port"]) is { Length: > 0 } port ? port : MetricsMonitor.UnnamedPort).Distinct(StringComparer.Ordinal);
        return new MetricsMonitor(kind, ns, Name(obj), selector, any, names, Text(spec["jobLabel"]), [.. ports]);
    }

    /// <summary>A PrometheusRule: its alerting rules.</summary>
    public static AlertRuleSet Rules(string ns, JsonObject obj)
    {
        var alerts = ImmutableArray.CreateBuilder<AlertRule>();
        foreach (var group in (At(obj, "spec", "groups") as JsonArray ?? []).OfType<JsonObject>())
        {
            foreach (var rule in (group["rules"] as JsonArray ?? []).OfType<JsonObject>())
            {
                if (Text(rule["alert"]) is { Length: > 0 } alert)
                {
                    alerts.Add(AlertRule.Of(alert, Text(rule["expr"]) ?? ""));
                }
            }
        }

        return new AlertRuleSet(ns, Name(obj), alerts.ToImmutable());
    }

    /// <summary>The parts of a ServiceMonitor, PodMonitor or PrometheusRule these readers use, for caches that keep nothing else.</summary>
    public static JsonObject? TrimSpec(string kind, JsonObject? spec) => spec is null ? null : kind switch
    {
        "PrometheusRule" => new JsonObject
        {
            ["groups"] = new JsonArray([.. (spec["groups"] as JsonArray ?? []).OfType<JsonObject>().Select(g => (JsonNode?)new JsonObject
            {
                ["rules"] = new JsonArray([.. (g["rules"] as JsonArray ?? []).OfType<JsonObject>().Where(r => r["alert"] is not null)
                    .Select(r => (JsonNode?)new JsonObject { ["alert"] = r["alert"]?.DeepClone(), ["expr"] = r["expr"]?.DeepClone() })]),
            })]),
        },
        _ => new JsonObject
        {
            ["selector"] = spec["selector"]?.DeepClone(),
            ["namespaceSelector"] = spec["namespaceSelector"]?.DeepClone(),
            ["jobLabel"] = spec["jobLabel"]?.DeepClone(),
            [kind == "PodMonitor" ? "podMetricsEndpoints" : "endpoints"] = new JsonArray([.. (spec[kind == "PodMonitor" ? "podMetricsEndpoints" : "endpoints"] as JsonArray ?? [])
                .OfType<JsonObject>().Select(e => (JsonNode?)new JsonObject { ["port"] = e["port"]?.DeepClone() })]),
        },
    };

    private static V1LabelSelector Selector(JsonObject? selector)
    {
        if (selector is null)
        {
            return new V1LabelSelector();
        }

        var labels = (selector["matchLabels"] as JsonObject ?? []).Where(p => Text(p.Value) is not null).ToDictionary(p => p.Key, p => Text(p.Value)!, StringComparer.Ordinal);
        var expressions = (selector["matchExpressions"] as JsonArray ?? []).OfType<JsonObject>().Select(e => new V1LabelSelectorRequirement
        {
            Key = Text(e["key"]) ?? "",
            OperatorProperty = Text(e["operator"]) ?? "",
            Values = (e["values"] as JsonArray)?.Select(Text).OfType<string>().ToList(),
        }).ToList();
        return new V1LabelSelector { MatchLabels = labels.Count > 0 ? labels : null, MatchExpressions = expressions.Count > 0 ? expressions : null };
    }

    private static string Name(JsonObject obj) => Text(At(obj, "metadata", "name")) ?? "";
}
