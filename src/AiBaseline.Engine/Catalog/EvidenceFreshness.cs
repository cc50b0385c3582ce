using AiBaseline.Api.V1Alpha1;

namespace AiBaseline.Engine.Catalog;

/// <summary>
/// When an evidence reference counts: dated no earlier than the profile's maximum age before today and
/// not after today (UTC). A document dated in the future has not been reviewed yet, so it meets nothing.
/// The provision roll-up and the Evidence control share this one definition.
/// </summary>
public static class EvidenceFreshness
{
    /// <summary>Today's date in UTC at <paramref name="now"/>.</summary>
    public static DateOnly Today(DateTimeOffset now) => DateOnly.FromDateTime(now.UtcDateTime);

    /// <summary>The oldest date still fresh at <paramref name="now"/> under <paramref name="maxAgeDays"/>.</summary>
    public static DateOnly Oldest(DateTimeOffset now, int maxAgeDays) => Today(now).AddDays(-maxAgeDays);

    /// <summary>True when <paramref name="reference"/> is fresh at <paramref name="now"/>.</summary>
    public static bool IsFresh(EvidenceReference reference, int maxAgeDays, DateTimeOffset now) =>
        reference.Date >= Oldest(now, maxAgeDays) && !IsInFuture(reference, now);

    /// <summary>The last day (UTC) <paramref name="reference"/> is fresh: its date plus <paramref name="maxAgeDays"/>.</summary>
    public static DateOnly ExpiresAt(EvidenceReference reference, int maxAgeDays) => reference.Date.AddDays(maxAgeDays);

    /// <summary>True when <paramref name="reference"/> is dated after today.</summary>
    public static bool IsInFuture(EvidenceReference reference, DateTimeOffset now) => reference.Date > Today(now);
}
