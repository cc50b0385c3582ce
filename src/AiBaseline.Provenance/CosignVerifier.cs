using System.Collections.Immutable;
using AiBaseline.Engine;
using AiBaseline.Provenance.Oci;
using AiBaseline.Provenance.Signing;

namespace AiBaseline.Provenance;

/// <summary>
/// Verifies cosign signatures and attestations stored in the registry beside the artifact: the
/// <c>sha256-&lt;hex&gt;.sig</c> and <c>.att</c> tags (and the OCI 1.1 referrers fallback tag for signatures), made with
/// a key or with a certificate (keyless, or a private PKI; see <see cref="Signing.KeylessLayerCheck"/>), and Sigstore
/// bundles attached as OCI referrers (see <see cref="Signing.BundleSearch"/>).
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

            // Signatures, attestations and bundle referrers live under separate tags: fetch them at once to save round trips.
            var now = time.GetUtcNow();
            var signatureSearch = new SignatureSearch(registry, image, digest, policy, credentials, now).RunAsync(ct);
            var bundleSearch = new BundleSearch(registry, image, digest, policy, credentials, now).RunAsync(ct);
            var attestationSearch = new AttestationSearch(registry, image, digest, policy, credentials, now).RunAsync(bundleSearch, ct);
            await Task.WhenAll(signatureSearch, bundleSearch, attestationSearch).ConfigureAwait(false);
            var (legacySigners, legacyFailure) = await signatureSearch.ConfigureAwait(false);
            var bundles = await bundleSearch.ConfigureAwait(false);
            var attestations = await attestationSearch.ConfigureAwait(false);
            ImmutableArray<string> signedBy = [.. legacySigners.Union(bundles.SignedBy, StringComparer.Ordinal).Order(StringComparer.Ordinal)];
            if (signedBy.IsEmpty)
            {
                // A bundle that failed says more than a missing .sig tag; a .sig that failed says more than no bundle.
                var failure = legacyFailure!.Reason == VerificationReasons.SignatureMissing && bundles.Failure is { } bundleFailure ? bundleFailure : legacyFailure;
                return Result(reference, digest, VerificationOutcome.Failed, failure.Reason, failure.Message);
            }

            if (attestations.Failure is { } missing)
            {
                return Result(reference, digest, VerificationOutcome.Failed, missing.Reason, missing.Message, signedBy, attestations.Types);
            }

            return Result(reference, digest, VerificationOutcome.Verified, VerificationReasons.Verified,
                $"image {image.Name}@{digest}: signed by {string.Join(", ", signedBy)}"
                + (attestations.Types.IsEmpty ? "" : $"; attestations {string.Join(", ", attestations.Types)}"),
                signedBy, attestations.Types);
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
