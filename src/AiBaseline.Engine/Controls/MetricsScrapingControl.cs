using System.Collections.Immutable;
using AiBaseline.Api.V1Alpha1;

namespace AiBaseline.Engine.Controls;

/// <summary>
/// MetricsScraping: the model server's metrics (its internal states: queue depth, cache use, latency, errors) are
/// collected by Prometheus, so they can counter threats and serve later security analysis.
/// <para>Reads: the labels and container ports of the workload's pod templates; the Services of the namespace that select
/// those pods (labels, port names); the Prometheus Operator ServiceMonitors and PodMonitors whose namespaceSelector takes in
/// the namespace (selector, namespaceSelector, jobLabel, endpoint ports); whether their CRDs are installed; the profile's
/// monitoring.requireScrape.</para>
/// <para>Passes when a ServiceMonitor selects a Service that selects the pods and scrapes a port that Service has, or a
/// PodMonitor selects the pods and scrapes a port their containers name. Fails when none does, saying what to add.
/// Unknown when the operator sees that the monitoring.coreos.com CRDs are not installed: nothing can scrape the model
/// until they are. A workload of several pod templates passes when the pods of one of them are scraped (the server that
/// exposes the model's metrics). Which Prometheus picks a monitor up (its serviceMonitorSelector) and how long it keeps
/// the series are not read. When the profile does not require it, the control does not apply and the provision awaits
/// attestation.</para>
/// <para>Serves EN 304 223 5.4.2-3 (monitor the system's internal states).</para>
/// </summary>
public sealed class MetricsScrapingControl : IControl
{
    /// <summary>A ServiceMonitor or PodMonitor scrapes the model's pods.</summary>
    public const string ScrapedReason = "Scraped";

    /// <summary>No ServiceMonitor or PodMonitor scrapes the model's pods.</summary>
    public const string NotScrapedReason = "NotScraped";

    /// <summary>The Prometheus Operator's CRDs are not installed in the cluster.</summary>
    public const string MonitoringNotInstalledReason = "MonitoringNotInstalled";

    /// <summary>The profile does not require the check.</summary>
    public const string NotRequiredReason = "NotRequired";

    public string Name => "MetricsScraping";

    public string ConditionType => ConditionTypes.MetricsScraped;

    public ImmutableArray<string> Provisions { get; } = ["5.4.2-3"];

    /// <inheritdoc/>
    public bool AnyTemplate => true;

    public ControlOutcome Evaluate(EvaluationContext context)
    {
        if (context.WorkloadGate() is { } gate)
        {
            return gate;
        }

        if (!context.Profile.Monitoring.RequireScrape)
        {
            return ControlOutcome.NotApplicable(NotRequiredReason, "spec.monitoring.requireScrape is false") with { Unverified = Provisions };
        }

        if (!context.Snapshot.Monitoring.Installed)
        {
            return ControlOutcome.Unknown(MonitoringNotInstalledReason, NotInstalledMessage("spec.monitoring.requireScrape"));
        }

        var scrapes = Scrapes.Of(context.Snapshot);
        if (scrapes.Found.Count > 0)
        {
            return ControlOutcome.Met(ScrapedReason, string.Join("; ", scrapes.Found.Select(s => s.ToString())));
        }

        return ControlOutcome.NotMet(NotScrapedReason, scrapes.Missing(context));
    }

    /// <summary>Why the control cannot be judged in a cluster without the Prometheus Operator's CRDs.</summary>
    internal static string NotInstalledMessage(string field) =>
        $"the Prometheus Operator's CRDs (servicemonitors and podmonitors.monitoring.coreos.com) are not installed in the cluster, so nothing scrapes the model's metrics: install the Prometheus Operator, or set {field}: false in the profile";
}

/// <summary>One way the model's pods are scraped: the monitor, the Service it goes through (ServiceMonitor), and the job label of the series.</summary>
internal sealed record Scrape(MetricsMonitor Monitor, string? Service, string Job)
{
    public override string ToString() => Service is null
        ? $"{Monitor} scrapes the model's pods (job {Job})"
        : Job == Service ? $"{Monitor} scrapes Service {Service}" : $"{Monitor} scrapes Service {Service} (job {Job})";
}

/// <summary>The scrapes of a snapshot's pods, and the monitors that select them but scrape a port they do not have.</summary>
internal sealed record Scrapes(List<Scrape> Found, List<string> WrongPort)
{
    public static Scrapes Of(Snapshot snapshot)
    {
        var labels = snapshot.Workload?.Template.Metadata?.Labels ?? new Dictionary<string, string>();
        var containerPorts = (snapshot.Workload?.Template.Spec?.Containers ?? []).SelectMany(c => c.Ports ?? []).Select(p => p.Name).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var ns = snapshot.Deployment.Metadata.NamespaceProperty ?? "default";
        var found = new List<Scrape>();
        var wrongPort = new List<string>();
        foreach (var monitor in snapshot.Monitoring.Monitors.Where(m => m.Watches(ns)).OrderBy(m => m.ToString(), StringComparer.Ordinal))
        {
            if (monitor.Kind == "PodMonitor")
            {
                if (!LabelSelectors.Matches(monitor.Selector, labels))
                {
                    continue;
                }

                if (monitor.Ports.IsDefaultOrEmpty)
                {
                    wrongPort.Add($"{monitor} selects the model's pods but has no podMetricsEndpoints");
                }
                else if (Scrapable(monitor.Ports, containerPorts))
                {
                    var job = monitor.JobLabel is { } key && labels.TryGetValue(key, out var value) ? value : $"{monitor.Namespace}/{monitor.Name}";
                    found.Add(new Scrape(monitor, null, job));
                }
                else
                {
                    wrongPort.Add($"{monitor} selects the model's pods but scrapes port {string.Join(", ", monitor.Ports)}, which no container names");
                }

                continue;
            }

            foreach (var service in snapshot.ExposedServices.Where(s => LabelSelectors.Matches(monitor.Selector, s.Labels)).OrderBy(s => s.Name, StringComparer.Ordinal))
            {
                if (monitor.Ports.IsDefaultOrEmpty)
                {
                    wrongPort.Add($"{monitor} selects Service {service.Name} but has no endpoints");
                }
                else if (Scrapable(monitor.Ports, service.PortNames))
                {
                    var job = monitor.JobLabel is { } key && service.Labels.TryGetValue(key, out var value) ? value : service.Name;
                    found.Add(new Scrape(monitor, service.Name, job));
                }
                else
                {
                    wrongPort.Add($"{monitor} selects Service {service.Name} but scrapes port {string.Join(", ", monitor.Ports)}, which the Service does not name");
                }
            }
        }

        return new Scrapes(found, wrongPort);
    }

    /// <summary>Why nothing scrapes the pods, and what to add.</summary>
    public string Missing(EvaluationContext context)
    {
        var labels = LabelSelectors.Describe(context.Snapshot.Workload?.Template.Metadata?.Labels);
        var services = context.Snapshot.ExposedServices.Select(s => s.Name).Order(StringComparer.Ordinal).ToList();
        var add = services.Count > 0
            ? $"add a ServiceMonitor in namespace {context.Namespace} whose selector matches the labels of Service {string.Join(", ", services)} and whose endpoints scrape its metrics port, or a PodMonitor selecting the pods ({labels})"
            : $"add a PodMonitor in namespace {context.Namespace} selecting the pods ({labels}) on their metrics port, or a Service selecting them with a ServiceMonitor";
        return WrongPort.Count > 0
            ? $"{string.Join("; ", WrongPort)}: {add}"
            : $"no ServiceMonitor or PodMonitor selects the model's pods, so its metrics are not collected: {add}";
    }

    /// <summary>An endpoint scrapes when it names no port (by number) or one of <paramref name="names"/>.</summary>
    private static bool Scrapable(ImmutableArray<string> ports, IEnumerable<string> names) =>
        ports.Any(p => p == MetricsMonitor.UnnamedPort || names.Contains(p, StringComparer.Ordinal));
}
