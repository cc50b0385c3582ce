using System.Collections.Immutable;
using AiBaseline.Provenance.Oci;
using AiBaseline.Provenance.Sigstore;

namespace AiBaseline.Provenance.Signing;

/// <summary>What the Sigstore bundles attached to an image proved.</summary>
/// <param name="SignedBy">The certificate signers and key names of the bundles that verified.</param>
/// <param name="Attestations">The in-toto statements of the verified DSSE bundles, for the required attestations.</param>
/// <param name="Found">How many bundles the registry holds for the digest.</param>
/// <param name="Failure">Why none verified, when some were found.</param>
internal sealed record BundleSearchResult(ImmutableArray<string> SignedBy, ImmutableArray<VerifiedAttestation> Attestations, int Found, VerificationFailure? Failure)
{
    public static BundleSearchResult None { get; } = new([], [], 0, null);
}

/// <summary>
/// Finds Sigstore bundles (cosign's --new-bundle-format) attached to one digest as OCI referrers, through the
/// referrers API or, on registries without it, the referrers tag (<c>sha256-&lt;hex&gt;</c>), and verifies each against
/// the certificate signers (bundles with a certificate) or the trusted keys (bundles whose verification material is a
/// public key): a DSSE bundle's in-toto statement must name the digest (and counts as that attestation);
/// a message-signature bundle must sign the manifest digest itself.
/// </summary>
internal sealed class BundleSearch(RegistryClient registry, ImageReference image, string digest, TrustPolicy policy, RegistryCredentials? credentials, DateTimeOffset now)
{
    public async Task<BundleSearchResult> RunAsync(CancellationToken ct)
    {
        if (!policy.HasSigners)
        {
            return BundleSearchResult.None;
        }

        var index = await registry.GetReferrersAsync(image, digest, credentials, ct).ConfigureAwait(false)
            ?? await registry.GetManifestAsync(image, digest.Replace(':', '-'), credentials, ct).ConfigureAwait(false);
        var entries = (index is null ? null : OciManifest.TryParse(index))?.Manifests
            .Where(m => m.ArtifactType is null or OciMediaTypes.SigstoreBundle or OciMediaTypes.Empty).ToList() ?? [];
        var bundles = new List<byte[]>();
        foreach (var entry in entries)
        {
            var manifest = await registry.GetManifestAsync(image, entry.Digest, credentials, ct).ConfigureAwait(false);
            var layer = manifest is null ? null : OciManifest.TryParse(manifest)?.Layers.FirstOrDefault(l => l.MediaType == OciMediaTypes.SigstoreBundle);
            if (layer is not null && await registry.GetBlobAsync(image, layer.Digest, credentials, ct).ConfigureAwait(false) is { } blob)
            {
                bundles.Add(blob.Bytes);
            }
        }

        var signers = new SortedSet<string>(StringComparer.Ordinal);
        var attestations = ImmutableArray.CreateBuilder<VerifiedAttestation>();
        SigstoreVerificationException? furthest = null;
        foreach (var bytes in bundles)
        {
            try
            {
                var bundle = SigstoreBundle.Parse(bytes);
                IEnumerable<(string? Name, SigstorePolicy Policy, Func<string, string> Describe)> trusted = bundle.HasCertificate
                    ? policy.CertificateSigners.Select(c => (c.Name, c.Policy, (Func<string, string>)c.Describe))
                    : policy.Keys.Select(k => ((string?)k.Name, k.Bundles, (Func<string, string>)(_ => k.Name)));
                if (!trusted.Any())
                {
                    furthest = KeylessLayerCheck.Further(furthest, new SigstoreVerificationException(SigstoreReasons.UntrustedKey, bundle.HasCertificate
                        ? "the bundle is signed with a certificate, and the policy trusts only keys"
                        : "the bundle is signed with a key, and the policy trusts only certificate signers"));
                }

                foreach (var signer in trusted)
                {
                    try
                    {
                        var (name, attestation) = Verify(bundle, signer.Policy, signer.Describe);
                        signers.Add(name);
                        if (attestation is not null)
                        {
                            attestations.Add(attestation);
                        }
                    }
                    catch (SigstoreVerificationException e)
                    {
                        furthest = KeylessLayerCheck.Further(furthest, signer.Name is null ? e : new SigstoreVerificationException(e.Reason, $"{signer.Name}: {e.Message}"));
                    }
                }
            }
            catch (SigstoreVerificationException e)
            {
                furthest = KeylessLayerCheck.Further(furthest, e);
            }
        }

        var failure = signers.Count > 0 || bundles.Count == 0 ? null : new VerificationFailure(furthest!.Reason,
            $"image {image.Name}@{digest}: {bundles.Count} Sigstore bundle(s) attached, none from a trusted signer: {furthest.Message}");
        return new BundleSearchResult([.. signers], attestations.ToImmutable(), bundles.Count, failure);
    }

    private (string Signer, VerifiedAttestation? Attestation) Verify(SigstoreBundle bundle, SigstorePolicy signer, Func<string, string> describe)
    {
        byte[]? manifestDigest = null;
        if (bundle.MessageSignature is not null)
        {
            manifestDigest = digest.StartsWith("sha256:", StringComparison.Ordinal) ? Convert.FromHexString(digest["sha256:".Length..]) : null;
            if (manifestDigest is null)
            {
                throw new SigstoreVerificationException(SigstoreReasons.SignatureMismatch, $"a message-signature bundle cannot sign {digest}, which is not a sha256 digest");
            }
        }

        var verified = SigstoreVerifier.Verify(bundle, signer, manifestDigest, now);
        var name = describe(verified.Signer);
        if (verified.Envelope is not { } envelope)
        {
            return (name, null);
        }

        var (attestation, problem) = DsseCheck.CheckVerified(envelope.PayloadType, envelope.Payload, digest, name);
        return attestation is not null ? (name, attestation)
            : throw new SigstoreVerificationException(VerificationReasons.PayloadMismatch, $"the bundle's DSSE payload is signed, but {problem}");
    }
}
