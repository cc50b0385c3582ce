using System.Collections.Immutable;
using AiBaseline.Provenance.Oci;

namespace AiBaseline.Provenance.Signing;

/// <summary>Finds the cosign signatures for one digest and checks each against the trusted keys.</summary>
internal sealed class SignatureSearch(RegistryClient registry, ImageReference image, string digest, TrustPolicy policy, RegistryCredentials? credentials)
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
        foreach (var layer in layers)
        {
            var payload = await registry.GetBlobAsync(image, layer.Digest, credentials, ct).ConfigureAwait(false);
            if (payload is null)
            {
                worst = Min(worst, LayerVerdict.SignatureInvalid);
                continue;
            }

            var (verdict, keys) = SimpleSigningCheck.Check(payload.Bytes, layer.Annotations.GetValueOrDefault(SimpleSigningCheck.SignatureAnnotation), digest, policy.Keys);
            if (verdict == LayerVerdict.Verified)
            {
                signers.UnionWith(keys);
            }
            else
            {
                worst = Min(worst, verdict);
            }
        }

        if (signers.Count > 0)
        {
            return ([.. signers], null);
        }

        var trusted = string.Join(", ", policy.Keys.Select(k => k.Name));
        return ([], worst switch
        {
            LayerVerdict.PayloadMismatch => new VerificationFailure(VerificationReasons.PayloadMismatch,
                $"{where}: {layers.Count} signature(s) found, but the signed payload does not name this digest as a container image signature"),
            LayerVerdict.SignatureInvalid => new VerificationFailure(VerificationReasons.SignatureInvalid,
                $"{where}: {layers.Count} signature(s) found, but a signature or its payload cannot be decoded"),
            _ => new VerificationFailure(VerificationReasons.UntrustedSigner,
                $"{where}: {layers.Count} signature(s) found, none verifies with a trusted key ({trusted}); signed by another key or altered"),
        });
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
