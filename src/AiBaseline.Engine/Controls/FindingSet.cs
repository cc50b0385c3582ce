using AiBaseline.Api.V1Alpha1;

namespace AiBaseline.Engine.Controls;

/// <summary>
/// The problems a control found, turned into one outcome: NotMet when any finding is not met (NotMet wins
/// over Unknown), otherwise Unknown when any could not be checked, otherwise null so the control reports its
/// own Met. Messages are de-duplicated, sorted and capped, so the outcome does not depend on the order
/// objects were listed in. The reason is the one of the most important finding: the lowest rank the control
/// gives it, then the first message in order.
/// </summary>
internal sealed class FindingSet(int maxShown = FindingSet.DefaultMaxShown)
{
    /// <summary>Long lists are cut so status stays small; the count of the rest is kept.</summary>
    public const int DefaultMaxShown = 5;

    private List<Finding>? notMet;
    private List<Finding>? unknown;

    public bool HasNotMet => notMet is not null;

    public void NotMet(string reason, string message, int rank = 0) => (notMet ??= []).Add(new(rank, reason, message));

    public void Unknown(string reason, string message, int rank = 0) => (unknown ??= []).Add(new(rank, reason, message));

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

    private (string Reason, string Message) Summarise(List<Finding> findings)
    {
        findings.Sort(static (a, b) => string.CompareOrdinal(a.Message, b.Message));
        var lead = findings[0];
        var messages = new List<string>(Math.Min(findings.Count, maxShown));
        var distinct = 0;
        string? previous = null;
        foreach (var finding in findings)
        {
            if (finding.Rank < lead.Rank)
            {
                lead = finding;
            }

            if (finding.Message == previous)
            {
                continue;
            }

            previous = finding.Message;
            if (++distinct <= maxShown)
            {
                messages.Add(finding.Message);
            }
        }

        var message = string.Join("; ", messages);
        return (lead.Reason, distinct > maxShown ? $"{message}; and {distinct - maxShown} more" : message);
    }

    private readonly record struct Finding(int Rank, string Reason, string Message);
}
