using System.Formats.Tar;
using System.Text;
using AiBaseline.Provenance.Oci;

namespace AiBaseline.Provenance.Tests.Support;

/// <summary>How a model's files become layers.</summary>
public enum LayerStyle
{
    /// <summary>ModelPack, one uncompressed layer per file (application/vnd.cncf.model.weight.v1.raw, org.cncf.model.filepath), as `modctl build --raw`.</summary>
    ModelPackRaw,

    /// <summary>ModelPack, one tar archive per file (application/vnd.cncf.model.weight.v1.tar), modctl's default.</summary>
    ModelPackTar,

    /// <summary>ORAS: each file's bytes under org.opencontainers.image.title, as `oras push REF FILE...`.</summary>
    Oras,
}

/// <summary>Pushes models as OCI artifacts the way ModelPack tools and ORAS lay them out, and Sigstore bundles beside them.</summary>
internal static class ModelPusher
{
    public const string ModelArtifactType = "application/vnd.cncf.model.manifest.v1+json";
    public const string BundleMediaType = "application/vnd.dev.sigstore.bundle.v0.3+json";

    /// <summary>The files of a model-transparency vector (its model.sig left out), by name.</summary>
    public static List<(string Path, byte[] Bytes)> VectorFiles(string vector) =>
        [.. Directory.GetFiles(SigstoreVectors.Model(vector)).Where(f => Path.GetFileName(f) != "model.sig").Order(StringComparer.Ordinal)
            .Select(f => (Path.GetFileName(f), File.ReadAllBytes(f)))];

    /// <summary>Pushes a model artifact of <paramref name="files"/> in <paramref name="style"/>; returns its manifest digest and size.</summary>
    public static async Task<(string Digest, int Size)> PushModelAsync(ImagePusher pusher, string repository, string tag, IEnumerable<(string Path, byte[] Bytes)> files, LayerStyle style)
    {
        var layers = new List<string>();
        foreach (var (path, bytes) in files)
        {
            var blob = style == LayerStyle.ModelPackTar ? Tar(path, bytes) : bytes;
            await pusher.PushBlobAsync(repository, blob);
            var (mediaType, annotation) = style switch
            {
                LayerStyle.ModelPackRaw => (path.EndsWith(".sig", StringComparison.Ordinal) ? "application/vnd.cncf.model.doc.v1.raw" : "application/vnd.cncf.model.weight.v1.raw", "org.cncf.model.filepath"),
                LayerStyle.ModelPackTar => ("application/vnd.cncf.model.weight.v1.tar", "org.cncf.model.filepath"),
                _ => ("application/vnd.oci.image.layer.v1.tar", "org.opencontainers.image.title"),
            };
            layers.Add($$"""{"mediaType":"{{mediaType}}","digest":"{{Digests.Sha256(blob)}}","size":{{blob.Length}},"annotations":{"{{annotation}}":"{{path}}"} }""");
        }

        var (configType, config) = style == LayerStyle.Oras
            ? (OciMediaTypes.Empty, "{}"u8.ToArray())
            : ("application/vnd.cncf.model.config.v1+json", Encoding.UTF8.GetBytes($$"""{"descriptor":{"name":"{{repository}}"},"modelfs":{"type":"layers","diffIds":[]},"config":{} }"""));
        await pusher.PushBlobAsync(repository, config);
        var artifactType = style == LayerStyle.Oras ? "application/vnd.unknown.artifact.v1" : ModelArtifactType;
        var manifest = Encoding.UTF8.GetBytes($$"""{"schemaVersion":2,"mediaType":"{{OciMediaTypes.OciManifest}}","artifactType":"{{artifactType}}","config":{"mediaType":"{{configType}}","digest":"{{Digests.Sha256(config)}}","size":{{config.Length}}},"layers":[{{string.Join(",", layers)}}]}""");
        return (await pusher.PushManifestAsync(repository, tag, manifest, OciMediaTypes.OciManifest), manifest.Length);
    }

    /// <summary>
    /// Attaches <paramref name="bundle"/> to the artifact <paramref name="subject"/> as `oras attach --artifact-type` does: a
    /// manifest with the subject and the bundle as a layer titled model.sig, listed in the referrers tag (sha256-&lt;hex&gt;)
    /// since distribution 2.8 has no referrers API.
    /// </summary>
    public static async Task<string> AttachAsync(ImagePusher pusher, string repository, (string Digest, int Size) subject, byte[] bundle, string title = "model.sig")
    {
        await pusher.PushBlobAsync(repository, bundle);
        var empty = "{}"u8.ToArray();
        await pusher.PushBlobAsync(repository, empty);
        var manifest = Encoding.UTF8.GetBytes($$"""{"schemaVersion":2,"mediaType":"{{OciMediaTypes.OciManifest}}","artifactType":"{{BundleMediaType}}","config":{"mediaType":"{{OciMediaTypes.Empty}}","digest":"{{Digests.Sha256(empty)}}","size":2},"layers":[{"mediaType":"{{BundleMediaType}}","digest":"{{Digests.Sha256(bundle)}}","size":{{bundle.Length}},"annotations":{"org.opencontainers.image.title":"{{title}}"} }],"subject":{"mediaType":"{{OciMediaTypes.OciManifest}}","digest":"{{subject.Digest}}","size":{{subject.Size}}} }""");
        var digest = await pusher.PushManifestAsync(repository, Digests.Sha256(manifest), manifest, OciMediaTypes.OciManifest);
        var index = Encoding.UTF8.GetBytes($$"""{"schemaVersion":2,"mediaType":"{{OciMediaTypes.OciIndex}}","manifests":[{"mediaType":"{{OciMediaTypes.OciManifest}}","digest":"{{digest}}","size":{{manifest.Length}},"artifactType":"{{BundleMediaType}}"}]}""");
        await pusher.PushManifestAsync(repository, digestTag(subject.Digest), index, OciMediaTypes.OciIndex);
        return digest;

        static string digestTag(string digest) => digest.Replace(':', '-');
    }

    /// <summary>Pushes <paramref name="bundle"/> as an artifact of its own (`oras push REF model.sig:application/vnd.dev.sigstore.bundle.v0.3+json`); returns its digest.</summary>
    public static async Task<string> PushSignatureAsync(ImagePusher pusher, string repository, string tag, byte[] bundle)
    {
        await pusher.PushBlobAsync(repository, bundle);
        var empty = "{}"u8.ToArray();
        await pusher.PushBlobAsync(repository, empty);
        var manifest = Encoding.UTF8.GetBytes($$"""{"schemaVersion":2,"mediaType":"{{OciMediaTypes.OciManifest}}","artifactType":"{{BundleMediaType}}","config":{"mediaType":"{{OciMediaTypes.Empty}}","digest":"{{Digests.Sha256(empty)}}","size":2},"layers":[{"mediaType":"{{BundleMediaType}}","digest":"{{Digests.Sha256(bundle)}}","size":{{bundle.Length}},"annotations":{"org.opencontainers.image.title":"model.sig"} }]}""");
        return await pusher.PushManifestAsync(repository, tag, manifest, OciMediaTypes.OciManifest);
    }

    private static byte[] Tar(string path, byte[] bytes)
    {
        using var output = new MemoryStream();
        using (var writer = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true))
        {
            writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, path) { DataStream = new MemoryStream(bytes) });
        }

        return output.ToArray();
    }
}
