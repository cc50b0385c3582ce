using AiBaseline.Provenance.Oci;

namespace AiBaseline.Provenance.ModelSigning;

/// <summary>A Sigstore bundle that may be a model's OMS signature, and where it was found (for messages).</summary>
/// <param name="Bytes">The bundle as stored.</param>
/// <param name="Where">"layer model.sig", "referrer sha256:…", or the signature artifact's reference.</param>
internal sealed record SignatureCandidate(byte[] Bytes, string Where);

/// <summary>The candidates found, the layer of the model that holds the signature (left out of the comparison), and notes on what was skipped.</summary>
internal sealed record SignatureSearchResult(IReadOnlyList<SignatureCandidate> Candidates, OciDescriptor? SignatureLayer, IReadOnlyList<string> Skipped);

/// <summary>
/// Finds the OMS signature of a model packaged as an OCI artifact, the ways tools store it:
/// <list type="bullet">
/// <item>a relative path (model.sig): the layer of the artifact with that path, when the signature was packed with
/// the files (model_signing sign, then modctl build or oras push of the directory); else a Sigstore bundle attached
/// to the artifact as an OCI referrer with that title or the bundle media type (<c>oras attach --artifact-type
/// application/vnd.dev.sigstore.bundle.v0.3+json</c>), through the referrers API or its fallback tag;</item>
/// <item>an <c>oci://</c> reference: an artifact whose layer is the bundle.</item>
/// </list>
/// Only the signature's blob is read, never a layer of the model; a blob larger than <see cref="MaxSignatureBytes"/> is skipped.
/// </summary>
internal sealed class OciSignatureSearch(RegistryClient registry, RegistryCredentials? credentials)
{
    /// <summary>A Sigstore bundle is a few kilobytes; anything far larger is not one, and is not downloaded.</summary>
    public const long MaxSignatureBytes = 1 << 20;

    /// <summary>Referrers looked at, at most, so an artifact with many attachments costs bounded requests.</summary>
    private const int MaxReferrers = 16;

    private const string BundleMediaTypePrefix = "application/vnd.dev.sigstore.bundle";

    private readonly List<string> skipped = [];

    /// <summary>The signature named by a path inside the model artifact (<paramref name="name"/>, normalized).</summary>
    public async Task<SignatureSearchResult> InArtifactAsync(ImageReference model, string digest, IReadOnlyList<OciDescriptor> layers, string name, CancellationToken ct)
    {
        var layer = layers.FirstOrDefault(l => ModelLayer.Of(l).Path == name);
        if (layer is not null)
        {
            var bytes = await BlobAsync(model, layer, $"layer {name}", ct).ConfigureAwait(false);
            return new([.. bytes is null ? [] : new[] { new SignatureCandidate(bytes, $"layer {name}") }], layer, skipped);
        }

        var index = await registry.GetReferrersAsync(model, digest, credentials, ct).ConfigureAwait(false)
            ?? await registry.GetManifestAsync(model, digest.Replace(':', '-'), credentials, ct).ConfigureAwait(false);
        var candidates = new List<SignatureCandidate>();
        foreach (var entry in (index is null ? null : OciManifest.TryParse(index))?.Manifests.Take(MaxReferrers) ?? [])
        {
            var manifest = await registry.GetManifestAsync(model, entry.Digest, credentials, ct).ConfigureAwait(false);
            foreach (var bundleLayer in (manifest is null ? null : OciManifest.TryParse(manifest))?.Layers
                .Where(l => l.MediaType.StartsWith(BundleMediaTypePrefix, StringComparison.Ordinal) || ModelLayer.Normalize(l.Annotations.GetValueOrDefault(ModelLayer.TitleAnnotation)) == name) ?? [])
            {
                if (await BlobAsync(model, bundleLayer, $"referrer {entry.Digest}", ct).ConfigureAwait(false) is { } bytes)
                {
                    candidates.Add(new SignatureCandidate(bytes, $"referrer {entry.Digest}"));
                }
            }
        }

        return new(candidates, null, skipped);
    }

    /// <summary>The signature stored as its own artifact at <paramref name="signature"/>: its bundle layers, or its only layer.</summary>
    public async Task<SignatureSearchResult> AtReferenceAsync(ImageReference signature, CancellationToken ct)
    {
        var content = await registry.GetManifestAsync(signature, signature.ManifestReference, credentials, ct).ConfigureAwait(false);
        var layers = (content is null ? null : OciManifest.TryParse(content))?.Layers ?? [];
        var bundles = layers.Where(l => l.MediaType.StartsWith(BundleMediaTypePrefix, StringComparison.Ordinal)).ToList();
        var candidates = new List<SignatureCandidate>();
        foreach (var layer in bundles.Count > 0 ? bundles : layers.Length == 1 ? [layers[0]] : [])
        {
            if (await BlobAsync(signature, layer, $"oci://{signature}", ct).ConfigureAwait(false) is { } bytes)
            {
                candidates.Add(new SignatureCandidate(bytes, $"oci://{signature}"));
            }
        }

        if (content is not null && candidates.Count == 0 && skipped.Count == 0)
        {
            skipped.Add($"oci://{signature} has {layers.Length} layers and none of media type {BundleMediaTypePrefix}…");
        }

        return new(candidates, null, skipped);
    }

    private async Task<byte[]?> BlobAsync(ImageReference repository, OciDescriptor layer, string where, CancellationToken ct)
    {
        if (layer.Size > MaxSignatureBytes)
        {
            skipped.Add($"{where} is {layer.Size} bytes, too large for a Sigstore bundle, so it was not downloaded");
            return null;
        }

        var blob = await registry.GetBlobAsync(repository, layer.Digest, credentials, ct).ConfigureAwait(false);
        if (blob is null)
        {
            skipped.Add($"{where}: the registry has no blob {layer.Digest}");
        }

        return blob?.Bytes;
    }
}
