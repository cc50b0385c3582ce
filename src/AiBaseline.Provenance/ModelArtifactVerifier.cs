using System.Collections.Immutable;
using AiBaseline.Engine;

namespace AiBaseline.Provenance;

/// <summary>
/// Verifies model artifacts: <c>oci://</c> sources exactly like images, plus their declared digest against the
/// registry's. Other schemes (s3, pvc, https, …) carry no signatures to check online and come back Unavailable
/// with reason NotVerifiable, never Verified.
/// </summary>
public sealed class ModelArtifactVerifier(IArtifactVerifier images, TimeProvider time)
{
    private const string OciScheme = "oci://";

    /// <summary>Verifies <paramref name="source"/> as written in the AIModelDeployment, and its declared digest.</summary>
    public async Task<ArtifactVerification> VerifyAsync(string source, string? declaredDigest, TrustPolicy policy, RegistryCredentials? credentials, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (!source.StartsWith(OciScheme, StringComparison.OrdinalIgnoreCase))
        {
            var scheme = source.Contains("://", StringComparison.Ordinal) ? source[..source.IndexOf("://", StringComparison.Ordinal)] : "(none)";
            return new ArtifactVerification(source, declaredDigest, VerificationOutcome.Unavailable, VerificationReasons.NotVerifiable,
                $"model {source}: scheme {scheme} has no signatures to verify online; only oci:// sources are verified", [], [], time.GetUtcNow());
        }

        var result = await images.VerifyAsync(source[OciScheme.Length..], policy, credentials, ct).ConfigureAwait(false);
        result = result with { Reference = source, Message = $"model {source}: {result.Message}" };
        if (declaredDigest is not null && result.Digest is not null && !string.Equals(declaredDigest, result.Digest, StringComparison.Ordinal))
        {
            return result with
            {
                Outcome = VerificationOutcome.Failed,
                Reason = VerificationReasons.DigestMismatch,
                Message = $"model {source}: declared digest {declaredDigest}, the registry serves {result.Digest}",
                SignedBy = ImmutableArray<string>.Empty,
            };
        }

        return result;
    }
}
