using System.Collections.Immutable;
using AiBaseline.Provenance.Oci;

namespace AiBaseline.Provenance.Signing;

/// <summary>
/// Finds the cosign signatures for one digest and checks each: against the trusted keys, and, for layers that carry a
/// signing certificate, against the certificate signers (keyless identities, private chains).
/// </summary>
internal sealed class SignatureSearch(RegistryClient registry, ImageReference image, string digest, TrustPolicy policy, RegistryCredentials? credentials, DateTimeOffset now)
{
    public async Task<(ImmutableArray<string> SignedBy, VerificationFailure? Failure)> RunAsync(CancellationToken ct)
    {
        var layers = await FindSignatureLayersAsync(ct).ConfigureAwait(false);
        var where = $"image {image.Name}@{digest}";
        if (layers.Count == 0)
        {
            return ([], new VerificationFailure(VerificationReasons.SignatureMissing,
                $"{where}: registry {image.Registry} holds no cosign signature ({Digests.CosignTag(digest, "sig")})"));
        }

        var signers = new SortedSet<string>(StringComparer.Ordinal);
        var worst = LayerVerdict.UntrustedSigner;
        KeylessLayerResult? keylessFailure = null;
        var certificateLayers = 0;
        var payloads = await Task.WhenAll(layers.Select(l => registry.GetBlobAsync(image, l.Digest, credentials, ct))).ConfigureAwait(false);
        for (var i = 0; i < layers.Count; i++)
        {
            var (layer, payload) = (layers[i], payloads[i]);
            if (payload is null)
            {
                worst = Min(worst, LayerVerdict.SignatureInvalid);
                continue;
            }

            if (!policy.Keys.IsEmpty)
            {
                var (verdict, keys) = SimpleSigningCheck.Check(payload.Bytes, layer.Annotations.GetValueOrDefault(SimpleSigningCheck.SignatureAnnotation), digest, policy.Keys);
                signers.UnionWith(keys);
                worst = verdict == LayerVerdict.Verified ? worst : Min(worst, verdict);
            }

            if (!policy.CertificateSigners.IsEmpty && layer.Annotations.ContainsKey(KeylessLayerCheck.CertificateAnnotation))
            {
                certificateLayers++;
                var keyless = KeylessLayerCheck.Check(payload.Bytes, layer.Annotations, digest, policy.CertificateSigners, now);
                signers.UnionWith(keyless.Signers);
                if (keyless.Verdict is { } verdict && verdict != LayerVerdict.Verified)
                {
                    worst = Min(worst, verdict);
                }

                keylessFailure = keyless.Signers.Count > 0 || keylessFailure is { Verdict: LayerVerdict.PayloadMismatch } ? keylessFailure : keyless;
            }
        }

        if (signers.Count > 0)
        {
            return ([.. signers], null);
        }

        var found = $"{where}: {layers.Count} signature(s) found";
        if (worst == LayerVerdict.PayloadMismatch)
        {
            return ([], new VerificationFailure(VerificationReasons.PayloadMismatch,
                $"{found}, but the signed payload does not name this digest as a container image signature"));
        }

        if (keylessFailure is { Reason: { } reason })
        {
            return ([], new VerificationFailure(reason, $"{found}, none from a trusted signer: {keylessFailure.Message}"));
        }

        return ([], worst switch
        {
            LayerVerdict.SignatureInvalid => new VerificationFailure(VerificationReasons.SignatureInvalid,
                $"{found}, but a signature or its payload cannot be decoded"),
            _ => new VerificationFailure(VerificationReasons.UntrustedSigner, $"{found}, none verifies with {Trusted(certificateLayers)}"),
        });
    }

    /// <summary>Whom the policy trusts, for the message when nothing verified.</summary>
    private string Trusted(int certificateLayers)
    {
        var parts = new List<string>();
        if (!policy.Keys.IsEmpty)
        {
            parts.Add($"a trusted key ({string.Join(", ", policy.Keys.Select(k => k.Name))}); signed by another key or altered");
        }

        if (!policy.CertificateSigners.IsEmpty && certificateLayers == 0)
        {
            parts.Add($"a certificate: none carries one ({KeylessLayerCheck.CertificateAnnotation}), and the policy trusts "
                + string.Join("; ", policy.CertificateSigners.Select(s => s.Name is null ? s.Policy.Description : $"{s.Name} ({s.Policy.Description})")));
        }

        return string.Join(", or ", parts);
    }

    private async Task<IReadOnlyList<OciDescriptor>> FindSignatureLayersAsync(CancellationToken ct)
    {
        var content = await registry.GetManifestAsync(image, Digests.CosignTag(digest, "sig"), credentials, ct).ConfigureAwait(false);
        if (content is not null)
        {
            return SigningLayers(content);
        }

        // cosign's OCI 1.1 mode on registries without the referrers API stores an index under the bare digest tag.
        var fallback = await registry.GetManifestAsync(image, digest.Replace(':', '-'), credentials, ct).ConfigureAwait(false);
        if (fallback is null || OciManifest.TryParse(fallback) is not { } index)
        {
            return [];
        }

        var layers = new List<OciDescriptor>();
        foreach (var entry in index.Manifests.Where(m => m.ArtifactType == OciMediaTypes.CosignSignatureArtifact))
        {
            var manifest = await registry.GetManifestAsync(image, entry.Digest, credentials, ct).ConfigureAwait(false);
            if (manifest is not null)
            {
                layers.AddRange(SigningLayers(manifest));
            }
        }

        return layers;
    }

    private List<OciDescriptor> SigningLayers(OciContent content)
    {
        var manifest = OciManifest.TryParse(content)
            ?? throw new RegistryException(RegistryFailure.Malformed, $"registry {image.Registry}: the signature manifest of {image.Repository}@{digest} is not JSON");
        return [.. manifest.Layers.Where(l => l.MediaType == OciMediaTypes.SimpleSigning)];
    }

    private static LayerVerdict Min(LayerVerdict a, LayerVerdict b) => a < b ? a : b;
}
