using AiBaseline.Engine;

namespace AiBaseline.Provenance.ModelSigning;

/// <summary>What comparing an artifact's layers with a signed manifest found.</summary>
/// <param name="Outcome">Verified, Failed (a layer definitely differs), or Unavailable (some layers cannot be compared).</param>
/// <param name="Reason">Verified, FileMismatch, FileNotSigned, FileMissing or LayerNotComparable.</param>
/// <param name="Message">What matched, or the first file that does not.</param>
internal sealed record LayerComparisonResult(VerificationOutcome Outcome, string Reason, string Message);

/// <summary>
/// Compares the files an OMS manifest signs with the layers of a model's OCI artifact, by digest, without reading a
/// layer: a layer that is the file has the file's sha256 as its digest. What a layer proves comes first (a digest
/// that differs, a file nobody signed), since it holds whatever else the other layers hold; then layers that are
/// not the file leave the verdict open; only when every layer was compared is a signed file without a layer missing.
/// </summary>
internal static class LayerComparison
{
    public static LayerComparisonResult Compare(ModelManifest signed, IReadOnlyList<ModelLayer> layers, IReadOnlyCollection<string> ignorePaths)
    {
        var counted = layers.Where(l => l.Path is null || !ignorePaths.Any(i => ModelLayer.IsUnder(l.Path, i))).ToList();
        var files = counted.Where(l => l.NotTheFile is null).OrderBy(l => l.Path, StringComparer.Ordinal).ToList();
        var archives = counted.Where(l => l.NotTheFile is not null).ToList();

        // A model signed as one file lists it as "."; its one layer is that file, whatever the layer's name.
        if (signed.Files.Count == 1 && signed.Files.ContainsKey(".") && counted.Count == 1 && files.Count == 1)
        {
            var only = files[0];
            return only.FileSha256 == signed.Files["."]
                ? new(VerificationOutcome.Verified, VerificationReasons.Verified, $"layer {only} is the signed file")
                : new(VerificationOutcome.Failed, ModelVerifier.FileMismatch, $"layer {only} has digest {only.Descriptor.Digest}, and the signed file's sha256 is {signed.Files["."]}");
        }

        foreach (var layer in files)
        {
            if (!signed.Files.TryGetValue(layer.Path!, out var digest))
            {
                return new(VerificationOutcome.Failed, VerificationReasons.FileNotSigned,
                    $"layer {layer} is not in the signed manifest (list it in spec.models[].ignorePaths if it is not part of the model)");
            }

            if (digest != layer.FileSha256)
            {
                return new(VerificationOutcome.Failed, ModelVerifier.FileMismatch,
                    $"layer {layer} has digest {layer.Descriptor.Digest}, and the signed manifest lists sha256:{digest} for it");
            }
        }

        if (archives.Count > 0)
        {
            var first = archives[0];
            return new(VerificationOutcome.Unavailable, VerificationReasons.LayerNotComparable,
                $"layer {first} cannot be compared with the signed files: {first.NotTheFile}"
                + (archives.Count > 1 ? $" ({archives.Count} such layers)" : "")
                + ". Push each file as its own uncompressed layer (ModelPack media type application/vnd.cncf.model.*.v1.raw with "
                + $"{ModelLayer.FilePathAnnotation}, as `modctl build --raw` does, or `oras push` of each file) so each layer's digest is the file's sha256, "
                + "or verify the files where they are (a pvc:// source, or `aibaseline audit --verify --model-root`)");
        }

        var present = files.Select(l => l.Path!).ToHashSet(StringComparer.Ordinal);
        var missing = signed.Files.Keys.FirstOrDefault(name => !present.Contains(name));
        if (missing is not null)
        {
            return new(VerificationOutcome.Failed, VerificationReasons.FileMissing, $"{missing} is signed, but no layer of the artifact holds it");
        }

        return new(VerificationOutcome.Verified, VerificationReasons.Verified,
            $"{files.Count} {(files.Count == 1 ? "layer is the file" : "layers are the files")} of the signed manifest");
    }
}
