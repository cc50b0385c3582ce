using AiBaseline.Provenance.Oci;

namespace AiBaseline.Provenance.ModelSigning;

/// <summary>
/// One layer of a model packaged as an OCI artifact, read as a file of the model: its path from the
/// ModelPack annotation <c>org.cncf.model.filepath</c> or ORAS's <c>org.opencontainers.image.title</c>, and whether
/// the layer's bytes are the file itself, so that its sha256 digest is the file's and can be compared with a signed
/// manifest without downloading it.
/// </summary>
/// <param name="Path">The file's path relative to the model's root, '/'-separated; null when no annotation names one.</param>
/// <param name="Descriptor">The layer as the manifest lists it.</param>
/// <param name="NotTheFile">Why the layer's digest is not the file's sha256 (an archive, compressed, another hash); null when it is.</param>
public sealed record ModelLayer(string? Path, OciDescriptor Descriptor, string? NotTheFile)
{
    /// <summary>ModelPack's layer annotation for the file's path.</summary>
    public const string FilePathAnnotation = "org.cncf.model.filepath";

    /// <summary>The OCI title annotation, which ORAS sets to the file name it pushed.</summary>
    public const string TitleAnnotation = "org.opencontainers.image.title";

    /// <summary>ORAS marks a directory pushed as a gzipped tar with this annotation.</summary>
    private const string OrasUnpackAnnotation = "io.deis.oras.content.unpack";

    private const string ModelPackPrefix = "application/vnd.cncf.model.";

    /// <summary>The sha256 hex of the file, when the layer is the file.</summary>
    public string? FileSha256 => NotTheFile is null ? Descriptor.Digest["sha256:".Length..].ToLowerInvariant() : null;

    /// <summary>Reads a layer descriptor.</summary>
    public static ModelLayer Of(OciDescriptor layer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        var path = Normalize(layer.Annotations.GetValueOrDefault(FilePathAnnotation) ?? layer.Annotations.GetValueOrDefault(TitleAnnotation));
        var mediaType = layer.MediaType;
        string? notTheFile = null;
        if (path is null)
        {
            notTheFile = $"it has no {FilePathAnnotation} or {TitleAnnotation} annotation, so it names no file";
        }
        else if (mediaType.StartsWith(ModelPackPrefix, StringComparison.Ordinal) && !mediaType.EndsWith(".raw", StringComparison.Ordinal))
        {
            // ModelPack's tar, tar+gzip and tar+zstd layers (modctl's default) wrap the file in an archive.
            notTheFile = $"its media type {mediaType} is a {(mediaType.Contains('+', StringComparison.Ordinal) ? "compressed " : "")}tar archive, whose digest is the archive's";
        }
        else if (layer.Annotations.GetValueOrDefault(OrasUnpackAnnotation) == "true")
        {
            notTheFile = "it is a directory packed as a gzipped tar (oras push of a directory), whose digest is the archive's";
        }
        else if (!layer.Digest.StartsWith("sha256:", StringComparison.Ordinal) || layer.Digest.Length != "sha256:".Length + 64)
        {
            notTheFile = $"its digest {layer.Digest} is not a sha256 digest, and the signature lists sha256 digests";
        }

        return new ModelLayer(path, layer, notTheFile);
    }

    /// <summary>How messages name the layer: its path, or its digest when it has none.</summary>
    public override string ToString() => Path ?? Descriptor.Digest;

    /// <summary>Whether <paramref name="path"/> is <paramref name="ignored"/> or under it.</summary>
    public static bool IsUnder(string path, string ignored) =>
        path == ignored || path.StartsWith(ignored + "/", StringComparison.Ordinal);

    /// <summary>A relative path as OMS names files: '/'-separated, without a leading "./" or "/" or a trailing "/".</summary>
    public static string? Normalize(string? path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            return null;
        }

        var parts = path.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries).Where(p => p != ".").ToArray();
        return parts.Length == 0 ? null : string.Join('/', parts);
    }
}
