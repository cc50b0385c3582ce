namespace AiBaseline.Engine.Controls;

/// <summary>
/// The problems one control found, each with the reason it maps to. Controls add findings as they check;
/// the outcome lists them sorted and capped, so a message is the same for the same state, and takes the
/// reason of the most important kind found (the lowest rank the control gives).
/// </summary>
internal sealed class FindingList(int maxShown = FindingList.DefaultMaxShown)
{
    /// <summary>How many findings a message lists before it says "and N more".</summary>
    public const int DefaultMaxShown = 8;

    private List<string>? messages;
    private string? reason;
    private int reasonRank = int.MaxValue;

    public int Count => messages?.Count ?? 0;

    /// <summary>Records one problem. <paramref name="rank"/> orders reasons: the lowest found names the outcome.</summary>
    public void Add(int rank, string findingReason, string message)
    {
        (messages ??= []).Add(message);
        if (rank < reasonRank)
        {
            reasonRank = rank;
            reason = findingReason;
        }
    }

    /// <summary>NotMet with every finding, sorted and capped; or null when nothing was found.</summary>
    public ControlOutcome? ToNotMet()
    {
        if (messages is null || reason is null)
        {
            return null;
        }

        var sorted = messages.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var shown = string.Join("; ", sorted.Take(maxShown));
        return ControlOutcome.NotMet(reason, sorted.Count > maxShown ? $"{shown}; and {sorted.Count - maxShown} more" : shown);
    }
}
