using AiBaseline.Api.V1Alpha1;

namespace AiBaseline.Engine.Controls;

/// <summary>
/// The problems a control found, turned into one outcome: NotMet when any finding is not met (NotMet wins
/// over Unknown), otherwise Unknown when any could not be checked, otherwise null so the control reports its
/// own Met. Messages are sorted so the outcome does not depend on the order objects were listed in.
/// </summary>
internal sealed class FindingSet
{
    /// <summary>Long lists are cut so status stays small; the count of the rest is kept.</summary>
    private const int MaxShown = 5;

    private List<(string Reason, string Message)>? notMet;
    private List<(string Reason, string Message)>? unknown;

    public bool HasNotMet => notMet is not null;

    public void NotMet(string reason, string message) => (notMet ??= []).Add((reason, message));

    public void Unknown(string reason, string message) => (unknown ??= []).Add((reason, message));

    /// <summary>The outcome of the findings, or null when there are none.</summary>
    public ControlOutcome? Outcome()
    {
        if (notMet is not null)
        {
            var (reason, message) = Summarise(notMet);
            return new ControlOutcome(ControlResult.NotMet, reason, message);
        }

        if (unknown is not null)
        {
            var (reason, message) = Summarise(unknown);
            return new ControlOutcome(ControlResult.Unknown, reason, message);
        }

        return null;
    }

    private static (string Reason, string Message) Summarise(List<(string Reason, string Message)> findings)
    {
        findings.Sort(static (a, b) => string.CompareOrdinal(a.Message, b.Message));
        if (findings.Count == 1)
        {
            return findings[0];
        }

        var shown = Math.Min(findings.Count, MaxShown);
        var parts = new string[shown];
        for (var i = 0; i < shown; i++)
        {
            parts[i] = findings[i].Message;
        }

        var message = string.Join("; ", parts);
        if (findings.Count > shown)
        {
            message += $"; and {findings.Count - shown} more";
        }

        return (findings[0].Reason, message);
    }
}
