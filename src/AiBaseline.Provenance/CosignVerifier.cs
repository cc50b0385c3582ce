using System.Collections.Immutable;
using AiBaseline.Engine;
using AiBaseline.Provenance.Oci;
using AiBaseline.Provenance.Signing;

namespace AiBaseline.Provenance;

/// <summary>
/// Verifies cosign signatures and attestations stored in the registry beside the artifact: the
/// <c>sha256-&lt;hex&gt;.sig</c> and <c>.att</c> tags (and the OCI 1.1 referrers fallback tag for signatures), made with
/// a key or with a certificate (keyless, or a private PKI; see <see cref="Signing.KeylessLayerCheck"/>).
/// The user's reference is only read, never rewritten: a tag is resolved to a digest for the report.
/// </summary>
public sealed class CosignVerifier(RegistryClient registry, TimeProvider time) : IArtifactVerifier
{
    /// <inheritdoc />
    public async Task<ArtifactVerification> VerifyAsync(string reference, TrustPolicy policy, RegistryCredentials? credentials, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var image = ImageReference.TryParse(reference);
        if (image is null)
        {
            return Result(reference, null, VerificationOutcome.Failed, VerificationReasons.InvalidReference, $"\"{reference}\" is not a valid image reference");
        }

        string? digest = image.Digest;
        try
        {
            var manifest = await registry.GetManifestAsync(image, image.ManifestReference, credentials, ct).ConfigureAwait(false);
            if (manifest is null)
            {
                return Result(reference, digest, VerificationOutcome.Failed, VerificationReasons.ImageNotFound,
                    $"image {image}: registry {image.Registry} has no manifest for {image.ManifestReference}");
            }

            digest = manifest.Digest;
            if (!policy.HasSigners)
            {
                return Result(reference, digest, VerificationOutcome.Unavailable, VerificationReasons.NoTrustedKeys,
                    $"image {image}: the trust policy has no signature keys, identities or certificate chains to verify against");
            }

            // Signatures and attestations live under separate tags: fetch both at once to halve the round trips.
            var signatureSearch = new SignatureSearch(registry, image, digest, policy, credentials, time.GetUtcNow()).RunAsync(ct);
            var attestationSearch = new AttestationSearch(registry, image, digest, policy, credentials).RunAsync(ct);
            await Task.WhenAll(signatureSearch, attestationSearch).ConfigureAwait(false);
            var signatures = await signatureSearch.ConfigureAwait(false);
            var attestations = await attestationSearch.ConfigureAwait(false);
            if (signatures.Failure is { } failure)
            {
                return Result(reference, digest, VerificationOutcome.Failed, failure.Reason, failure.Message);
            }

            if (attestations.Failure is { } missing)
            {
                return Result(reference, digest, VerificationOutcome.Failed, missing.Reason, missing.Message, signatures.SignedBy, attestations.Types);
            }

            return Result(reference, digest, VerificationOutcome.Verified, VerificationReasons.Verified,
                $"image {image.Name}@{digest}: signed by {string.Join(", ", signatures.SignedBy)}"
                + (attestations.Types.IsEmpty ? "" : $"; attestations {string.Join(", ", attestations.Types)}"),
                signatures.SignedBy, attestations.Types);
        }
        catch (RegistryException e)
        {
            var (outcome, reason) = e.Failure switch
            {
                RegistryFailure.Unavailable => (VerificationOutcome.Unavailable, VerificationReasons.RegistryUnavailable),
                RegistryFailure.Unauthorized => (VerificationOutcome.Unavailable, VerificationReasons.RegistryUnauthorized),
                RegistryFailure.DigestMismatch => (VerificationOutcome.Failed, VerificationReasons.DigestMismatch),
                _ => (VerificationOutcome.Failed, VerificationReasons.MalformedArtifact),
            };
            return Result(reference, digest, outcome, reason, $"image {image}: {e.Message}");
        }
    }

    private ArtifactVerification Result(string reference, string? digest, VerificationOutcome outcome, string reason, string message,
        ImmutableArray<string>? signedBy = null, ImmutableArray<string>? types = null) =>
        new(reference, digest, outcome, reason, message, signedBy ?? [], types ?? [], time.GetUtcNow());
}

/// <summary>Why verification failed, in the result's terms.</summary>
internal sealed record VerificationFailure(string Reason, string Message);
