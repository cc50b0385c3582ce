using System.Collections.Immutable;
using AiBaseline.Api.V1Alpha1;

namespace AiBaseline.Engine.Catalog;

/// <summary>
/// What the profile asks of each reference besides its age: a digest of the document for the types in
/// <c>evidence.requireDigest</c>, an approver for those in <c>evidence.requireApproval</c>. A reference lacking one
/// of them counts for nothing, fresh or not. The provision roll-up and the Evidence control share this one definition.
/// </summary>
public static class EvidenceRequirements
{
    /// <summary>The fields <paramref name="reference"/> lacks under <paramref name="policy"/>: "digest", "approvedBy", or none.</summary>
    public static ImmutableArray<string> Missing(EvidenceReference reference, EvidencePolicy policy)
    {
        var missing = ImmutableArray.CreateBuilder<string>();
        if ((policy.RequireDigest?.Contains(reference.Type) ?? false) && string.IsNullOrEmpty(reference.Digest))
        {
            missing.Add("digest");
        }

        if ((policy.RequireApproval?.Contains(reference.Type) ?? false) && string.IsNullOrWhiteSpace(reference.ApprovedBy))
        {
            missing.Add("approvedBy");
        }

        return missing.ToImmutable();
    }

    /// <summary>True when <paramref name="reference"/> has everything <paramref name="policy"/> asks for its type.</summary>
    public static bool IsComplete(EvidenceReference reference, EvidencePolicy policy) => Missing(reference, policy).IsEmpty;
}
