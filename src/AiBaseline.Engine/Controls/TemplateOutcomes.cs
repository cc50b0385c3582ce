using System.Collections.Immutable;
using AiBaseline.Api.V1Alpha1;

namespace AiBaseline.Engine.Controls;

/// <summary>
/// Judges a workload of several pod templates (a LeaderWorkerSet's leader and workers, a RayCluster's head and worker
/// groups, an InferenceService's predictor and transformer) by running each control on every template and keeping the
/// worst result: one template that fails fails the workload. The message names the templates it comes from.
/// </summary>
internal static class TemplateOutcomes
{
    /// <summary>The control's outcome over every template of <paramref name="snapshot"/>.</summary>
    public static ControlOutcome Evaluate(IControl control, Snapshot snapshot, BaselineProfileSpec profile, DateTimeOffset now)
    {
        if (snapshot.PerTemplate.IsDefaultOrEmpty)
        {
            return control.Evaluate(new EvaluationContext(snapshot, profile, now));
        }

        var parts = snapshot.PerTemplate.Select(t => (t.Role, Outcome: control.Evaluate(new EvaluationContext(t.Snapshot, profile, now)))).ToList();
        if (control.AnyTemplate && parts.Where(p => p.Outcome.Result == ControlResult.Met).ToList() is { Count: > 0 } met && met.Count < parts.Count)
        {
            // One template meeting it meets it for the workload: the message says which.
            return met[0].Outcome with { Message = Headed(met) };
        }

        return Merge(parts);
    }

    /// <summary>
    /// One outcome from the templates' outcomes: when they all agree, that outcome; otherwise the worst result (NotMet,
    /// then Unknown, Met, NotApplicable), the reason of the first template with it, and each distinct message of those
    /// templates headed by the roles that gave it.
    /// </summary>
    public static ControlOutcome Merge(IReadOnlyList<(string Role, ControlOutcome Outcome)> parts)
    {
        var first = parts[0].Outcome;
        var unverified = parts.SelectMany(p => p.Outcome.Unverified.IsDefault ? [] : p.Outcome.Unverified).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToImmutableArray();
        if (parts.All(p => p.Outcome.Result == first.Result && p.Outcome.Reason == first.Reason && p.Outcome.Message == first.Message))
        {
            return first with { Unverified = unverified };
        }

        var worst = parts.Select(p => p.Outcome.Result).MaxBy(Severity);
        var chosen = parts.Where(p => p.Outcome.Result == worst).ToList();
        return new ControlOutcome(worst, chosen[0].Outcome.Reason, Headed(chosen)) { Unverified = unverified };
    }

    /// <summary>Each distinct message of <paramref name="parts"/>, headed by the roles of the templates that gave it.</summary>
    private static string Headed(IEnumerable<(string Role, ControlOutcome Outcome)> parts) => string.Join("; ", parts
        .GroupBy(p => p.Outcome.Message, StringComparer.Ordinal)
        .Select(g => $"{string.Join(", ", g.Select(p => p.Role))} template{(g.Count() > 1 ? "s" : "")}: {g.Key}"));

    private static int Severity(ControlResult result) => result switch
    {
        ControlResult.NotMet => 4,
        ControlResult.Unknown => 3,
        ControlResult.Met => 2,
        ControlResult.Waived => 1,
        _ => 0,
    };
}
