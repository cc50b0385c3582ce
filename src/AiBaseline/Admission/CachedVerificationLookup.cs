using System.Collections.Immutable;
using AiBaseline.Engine;
using AiBaseline.Operator;

namespace AiBaseline.Admission;

/// <summary>The webhook's lookups go to the reconciler's own verification cache, so a digest the operator verified answers at once.</summary>
internal sealed class CachedVerificationLookup(ProvenanceChecker checker) : IVerificationLookup
{
    public Task<IReadOnlyDictionary<string, ArtifactVerification>> LookupAsync(AdmissionSubject subject, ImmutableArray<string> references, CancellationToken ct) =>
        checker.LookupAsync(subject.Deployment, subject.Profile, references, ct);
}
