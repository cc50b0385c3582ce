using System.Collections.Immutable;
using System.Text.RegularExpressions;
using AiBaseline.Api.V1Alpha1;

namespace AiBaseline.Engine.Controls;

/// <summary>
/// PerformanceTracking: the model's performance is tracked over time, so a sudden or gradual change of behaviour (latency,
/// errors, throughput, output quality signals) raises an alert.
/// <para>Reads: what MetricsScraping reads (which monitors scrape the model's pods, and the job label of their series);
/// the alerting rules (alert, expr) of PrometheusRules in the model's namespace and in the namespaces of those monitors;
/// the profile's monitoring.requireAlertRules.</para>
/// <para>Passes when the model's metrics are scraped and an alerting rule's expression selects the model's series by a
/// label matcher: <c>job</c> equal to (or a regular expression matching) the job of a scrape, <c>service</c> naming the
/// scraped Service, or <c>namespace</c> naming the model's namespace. Fails when the metrics are not scraped (nothing
/// can be tracked) or no rule selects them, naming the rules that were read. A rule over every series of a metric, with
/// no such matcher, is not counted: it cannot be told from a rule about other servers. Unknown when the operator sees
/// that the monitoring.coreos.com CRDs are not installed. Whether Prometheus loads the rule (its ruleSelector) and where
/// Alertmanager routes the alert are not read. When the profile does not require it, the control does not apply and
/// the provision awaits attestation.</para>
/// <para>Serves EN 304 223 5.4.2-4 (track model and system performance over time to spot behaviour changes).</para>
/// </summary>
public sealed class PerformanceTrackingControl : IControl
{
    /// <summary>An alerting rule tracks the model's scraped metrics.</summary>
    public const string AlertRulesPresentReason = "AlertRulesPresent";

    /// <summary>The model's metrics are scraped, but no alerting rule selects them.</summary>
    public const string NoAlertRuleReason = "NoAlertRule";

    public string Name => "PerformanceTracking";

    public string ConditionType => ConditionTypes.PerformanceTracked;

    public ImmutableArray<string> Provisions { get; } = ["5.4.2-4"];

    /// <inheritdoc/>
    public bool AnyTemplate => true;

    public ControlOutcome Evaluate(EvaluationContext context)
    {
        if (context.WorkloadGate() is { } gate)
        {
            return gate;
        }

        if (!context.Profile.Monitoring.RequireAlertRules)
        {
            return ControlOutcome.NotApplicable(MetricsScrapingControl.NotRequiredReason, "spec.monitoring.requireAlertRules is false") with { Unverified = Provisions };
        }

        if (!context.Snapshot.Monitoring.Installed)
        {
            return ControlOutcome.Unknown(MetricsScrapingControl.MonitoringNotInstalledReason, MetricsScrapingControl.NotInstalledMessage("spec.monitoring.requireAlertRules"));
        }

        var scrapes = Scrapes.Of(context.Snapshot);
        if (scrapes.Found.Count == 0)
        {
            return ControlOutcome.NotMet(MetricsScrapingControl.NotScrapedReason, "the model's metrics are not scraped, so no alert can track its performance: scrape them first (MetricsScraping), then add a PrometheusRule alerting on them");
        }

        var namespaces = scrapes.Found.Select(s => s.Monitor.Namespace).Append(context.Namespace).ToHashSet(StringComparer.Ordinal);
        var rules = context.Snapshot.Monitoring.AlertRules.Where(r => namespaces.Contains(r.Namespace)).OrderBy(r => r.ToString(), StringComparer.Ordinal).ToList();
        var tracking = new List<string>();
        foreach (var rule in rules)
        {
            var alerts = rule.Alerts.Where(a => Selects(a, scrapes.Found, context.Namespace)).Select(a => a.Name).Distinct(StringComparer.Ordinal).ToList();
            if (alerts.Count > 0)
            {
                tracking.Add($"{rule} alerts on them ({alerts[0]}{(alerts.Count > 1 ? $" and {alerts.Count - 1} more" : "")})");
            }
        }

        if (tracking.Count > 0)
        {
            return ControlOutcome.Met(AlertRulesPresentReason, string.Join("; ", tracking));
        }

        var job = scrapes.Found[0].Job;
        var read = rules.Count == 0 ? "no PrometheusRule was found" : $"{string.Join(", ", rules.Select(r => r.ToString()))} select{(rules.Count == 1 ? "s" : "")} none of them";
        return ControlOutcome.NotMet(NoAlertRuleReason, $"the model's metrics are scraped (job {string.Join(", ", scrapes.Found.Select(s => s.Job).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))}) but no alerting rule tracks them: {read}; add a PrometheusRule in namespace {context.Namespace} with an alerting rule whose expr selects {{job=\"{job}\"}}, such as one on request latency or errors rising");
    }

    /// <summary>Whether an alerting rule's expression has a label matcher that selects the model's series.</summary>
    internal static bool Selects(AlertRule rule, IReadOnlyList<Scrape> scrapes, string ns)
    {
        foreach (var matcher in rule.Matchers)
        {
            var candidates = matcher.Label switch
            {
                "job" => scrapes.Select(s => s.Job),
                "service" => scrapes.Select(s => s.Service).OfType<string>(),
                _ => [ns],
            };
            if (candidates.Any(c => matcher.Regex ? FullMatch(matcher.Value, c) : c == matcher.Value))
            {
                return true;
            }
        }

        return false;
    }

    private static bool FullMatch(string pattern, string value)
    {
        try
        {
            // PromQL regular expressions are anchored at both ends.
            return Regex.IsMatch(value, $"^(?:{pattern})$", RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));
        }
        catch (Exception e) when (e is ArgumentException or RegexMatchTimeoutException)
        {
            return false;
        }
    }
}
