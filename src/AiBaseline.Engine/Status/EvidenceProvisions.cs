using System.Collections.Immutable;
using AiBaseline.Api.V1Alpha1;
using AiBaseline.Engine.Catalog;

namespace AiBaseline.Engine.Status;

/// <summary>
/// Judges the provisions no control decides from the references in spec.evidence. Only references that count are
/// considered: not dated in the future, and with the digest and approver the profile requires for their type. Of
/// those that cover a provision (<see cref="EvidenceCoverage"/>), the newest decides: fresh, it meets the provision
/// until its expiry date; stale, the provision awaits attestation and says which evidence expired when. A provision
/// that only the cluster can show is never met here.
/// </summary>
internal sealed class EvidenceProvisions(AIModelDeployment deployment, BaselineProfileSpec profile, DateTimeOffset now)
{
    private readonly ImmutableArray<EvidenceReference> counting =
        [.. (deployment.Spec.Evidence ?? []).Where(e => !EvidenceFreshness.IsInFuture(e, now) && EvidenceRequirements.IsComplete(e, profile.Evidence))];

    private readonly DateOnly today = EvidenceFreshness.Today(now);

    /// <summary>The references that count, in spec order.</summary>
    public ImmutableArray<EvidenceReference> Counting => counting;

    /// <summary>The result of <paramref name="provision"/> from evidence alone.</summary>
    public ProvisionStatus Judge(Provision provision)
    {
        EvidenceReference? newest = null;
        foreach (var reference in counting)
        {
            if ((newest is null || reference.Date > newest.Date) && EvidenceCoverage.Covers(reference, provision))
            {
                newest = reference;
            }
        }

        if (newest is null)
        {
            return new ProvisionStatus(provision.Id, ProvisionResult.Attestation, null);
        }

        var expiresAt = EvidenceFreshness.ExpiresAt(newest, profile.Evidence.MaxAgeDays);
        return expiresAt >= today
            ? new ProvisionStatus(provision.Id, ProvisionResult.Met, newest.Type.ToString()) { ExpiresAt = expiresAt }
            : new ProvisionStatus(provision.Id, ProvisionResult.Attestation, newest.Type.ToString()) { ExpiredAt = expiresAt };
    }
}
