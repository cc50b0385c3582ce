using System.Collections.Immutable;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using AiBaseline.Controller.Api;
using AiBaseline.Engine;

namespace AiBaseline.Operator;

/// <summary>
/// What watches the model from outside its workload: a Prometheus Operator ServiceMonitor, PodMonitor or PrometheusRule,
/// or a Trivy Operator VulnerabilityReport, kept as the little JSON their readers use (<see cref="MonitoringReader"/>,
/// <see cref="VulnerabilityReportReader"/>): a monitor's selectors, job label and endpoint ports; a rule's alert names and
/// expressions; a report's image and its fixable critical vulnerabilities. Nothing else of them is kept.
/// </summary>
internal sealed class MonitoringObject : JsonSpecObject
{
    /// <summary>A VulnerabilityReport's body (it has no spec).</summary>
    [JsonPropertyName("report")]
    public JsonObject? Report { get; set; }

    /// <summary>
    /// The object as its reader reads it (a <see cref="MetricsMonitor"/>, <see cref="AlertRuleSet"/> or
    /// <see cref="ImageVulnerabilityReport"/>), read once when it is cached rather than at every evaluation.
    /// </summary>
    [JsonIgnore]
    public object? Read { get; private set; }

    /// <summary>The object as the readers read it.</summary>
    public JsonObject ToJson() => new()
    {
        ["metadata"] = new JsonObject
        {
            ["name"] = Metadata.Name,
            ["labels"] = Metadata.Labels is { } labels ? new JsonObject(labels.Select(l => KeyValuePair.Create(l.Key, (JsonNode?)l.Value))) : null,
        },
        ["spec"] = Spec?.DeepClone(),
        ["report"] = Report?.DeepClone(),
    };

    /// <summary>Leaves out what the readers do not use; <paramref name="kind"/> is the object's kind.</summary>
    public MonitoringObject Trim(string kind)
    {
        Kind = kind;
        Metadata.ManagedFields = null;
        Metadata.Annotations = null;
        Metadata.Labels = kind == "VulnerabilityReport" && Metadata.Labels?.TryGetValue(VulnerabilityReportReader.ContainerLabel, out var container) == true
            ? new Dictionary<string, string>(StringComparer.Ordinal) { [VulnerabilityReportReader.ContainerLabel] = container }
            : null;
        Spec = MonitoringReader.TrimSpec(kind, Spec);
        Report = VulnerabilityReportReader.Trim(Report);
        var ns = Metadata.NamespaceProperty ?? "";
        Read = kind switch
        {
            "ServiceMonitor" or "PodMonitor" => MonitoringReader.Monitor(kind, ns, ToJson()),
            "PrometheusRule" => MonitoringReader.Rules(ns, ToJson()),
            _ => VulnerabilityReportReader.Read(ns, ToJson()),
        };
        return this;
    }
}

/// <summary>A kind of <see cref="MonitoringObject"/>, which comes with a CustomResourceDefinition and is watched only while it exists.</summary>
/// <param name="Kind">Its kind.</param>
/// <param name="Resource">Where it lives in the API.</param>
internal sealed record MonitoringType(string Kind, ResourceType Resource)
{
    /// <summary>The CustomResourceDefinition's name.</summary>
    public string CrdName => $"{Resource.Plural}.{Resource.Group}";

    public static MonitoringType ServiceMonitor { get; } = new("ServiceMonitor", new ResourceType(MonitoringReader.Group, "v1", "servicemonitors", Namespaced: true));

    public static MonitoringType PodMonitor { get; } = new("PodMonitor", new ResourceType(MonitoringReader.Group, "v1", "podmonitors", Namespaced: true));

    public static MonitoringType PrometheusRule { get; } = new("PrometheusRule", new ResourceType(MonitoringReader.Group, "v1", "prometheusrules", Namespaced: true));

    public static MonitoringType VulnerabilityReport { get; } = new("VulnerabilityReport", new ResourceType(VulnerabilityReportReader.Group, "v1alpha1", "vulnerabilityreports", Namespaced: true));

    public static ImmutableArray<MonitoringType> All { get; } = [ServiceMonitor, PodMonitor, PrometheusRule, VulnerabilityReport];
}
