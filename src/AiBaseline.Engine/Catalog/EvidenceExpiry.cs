using System.Collections.Immutable;
using AiBaseline.Api.V1Alpha1;

namespace AiBaseline.Engine.Catalog;

/// <summary>A reference that counts now and stops counting after <see cref="ExpiresAt"/>, within the warning window.</summary>
public sealed record ExpiringEvidence(EvidenceReference Reference, DateOnly ExpiresAt);

/// <summary>
/// When evidence changes what the engine says without anything else changing: a reference enters the profile's
/// warning window (<c>evidence.warnBeforeExpiryDays</c> before its expiry), expires, or reaches the date it is
/// dated (a reference dated in the future counts from then). Dates are UTC days, as in <see cref="EvidenceFreshness"/>.
/// </summary>
public static class EvidenceExpiry
{
    /// <summary>
    /// The newest counting reference of each type that expires within the warning window, soonest first. An older
    /// reference beside a newer one of the same type is not warned about: the newer one counts.
    /// </summary>
    public static ImmutableArray<ExpiringEvidence> Expiring(IEnumerable<EvidenceReference> evidence, EvidencePolicy policy, DateTimeOffset now)
    {
        if (policy.WarnBeforeExpiryDays <= 0)
        {
            return [];
        }

        var warnFrom = EvidenceFreshness.Today(now).AddDays(policy.WarnBeforeExpiryDays);
        return [.. Counting(evidence, policy, now)
            .Where(e => EvidenceFreshness.IsFresh(e, policy.MaxAgeDays, now))
            .GroupBy(e => e.Type)
            .Select(g => g.MaxBy(e => e.Date)!)
            .Select(e => new ExpiringEvidence(e, EvidenceFreshness.ExpiresAt(e, policy.MaxAgeDays)))
            .Where(e => e.ExpiresAt <= warnFrom)
            .OrderBy(e => e.ExpiresAt).ThenBy(e => e.Reference.Type)];
    }

    /// <summary>
    /// The next instant after <paramref name="now"/> at which the evaluation of <paramref name="deployment"/>'s evidence
    /// changes by the passing of time alone, or null when none will.
    /// </summary>
    public static DateTimeOffset? NextChange(AIModelDeployment deployment, EvidencePolicy policy, DateTimeOffset now)
    {
        var today = EvidenceFreshness.Today(now);
        DateOnly? next = null;
        void Consider(DateOnly day)
        {
            if (day > today && (next is null || day < next))
            {
                next = day;
            }
        }

        foreach (var reference in deployment.Spec.Evidence ?? [])
        {
            var expiresAt = EvidenceFreshness.ExpiresAt(reference, policy.MaxAgeDays);
            Consider(reference.Date);
            Consider(expiresAt.AddDays(1));
            if (policy.WarnBeforeExpiryDays > 0)
            {
                Consider(expiresAt.AddDays(-policy.WarnBeforeExpiryDays));
            }
        }

        return next is { } day ? new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : null;
    }

    private static IEnumerable<EvidenceReference> Counting(IEnumerable<EvidenceReference> evidence, EvidencePolicy policy, DateTimeOffset now) =>
        evidence.Where(e => !EvidenceFreshness.IsInFuture(e, now) && EvidenceRequirements.IsComplete(e, policy));
}
