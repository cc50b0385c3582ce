using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using AiBaseline.Provenance.Oci;

namespace AiBaseline.Provenance.Tests.Support;

/// <summary>
/// An in-memory distribution API for offline tests: serves manifests (by tag or digest) and blobs for one
/// repository, counts requests, and lets a test inject answers (status codes, auth challenges).
/// </summary>
internal sealed class FakeRegistryHandler : HttpMessageHandler
{
    private readonly ConcurrentDictionary<string, (byte[] Bytes, string MediaType)> manifests = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte[]> blobs = new(StringComparer.Ordinal);
    private int requests;

    /// <summary>Runs before the content lookup; a non-null response is returned as is.</summary>
    public Func<HttpRequestMessage, HttpResponseMessage?>? Intercept { get; set; }

    public int Requests => Volatile.Read(ref requests);

    public List<string> Paths { get; } = [];

    public string Repository { get; init; } = "demo/hello";

    /// <summary>Loads the signed sample image, its .sig and .att tags.</summary>
    public static FakeRegistryHandler WithSampleImage()
    {
        var handler = new FakeRegistryHandler();
        var manifest = Vectors.ImageBlob(Vectors.ImageDigest);
        handler.AddManifest(manifest, OciMediaTypes.OciManifest, "v1");
        foreach (var file in Directory.GetFiles(Path.Combine(Vectors.Dir, "image-blobs")))
        {
            handler.AddBlob(File.ReadAllBytes(file));
        }

        handler.AddManifest(Vectors.Bytes("sig-manifest.json"), OciMediaTypes.OciManifest, Digests.CosignTag(Vectors.ImageDigest, "sig"));
        handler.AddBlob(Vectors.Bytes("sig-payload.json"));
        handler.AddManifest(Vectors.Bytes("att-manifest.json"), OciMediaTypes.OciManifest, Digests.CosignTag(Vectors.ImageDigest, "att"));
        handler.AddBlob(Vectors.Bytes("att-envelope-0.json"));
        handler.AddBlob(Vectors.Bytes("att-envelope-1.json"));
        return handler;
    }

    public string AddManifest(byte[] bytes, string mediaType, string? tag = null)
    {
        var digest = Digests.Sha256(bytes);
        manifests[digest] = (bytes, mediaType);
        if (tag is not null)
        {
            manifests[tag] = (bytes, mediaType);
        }

        return digest;
    }

    public void RemoveManifest(string tag) => manifests.TryRemove(tag, out _);

    public string AddBlob(byte[] bytes)
    {
        var digest = Digests.Sha256(bytes);
        blobs[digest] = bytes;
        return digest;
    }

    /// <summary>Serves <paramref name="bytes"/> for <paramref name="digest"/> even though they hash to something else.</summary>
    public void ReplaceBlob(string digest, byte[] bytes) => blobs[digest] = bytes;

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref requests);
        lock (Paths)
        {
            Paths.Add(request.RequestUri!.AbsolutePath);
        }

        var intercepted = Intercept?.Invoke(request);
        if (intercepted is not null)
        {
            return Task.FromResult(intercepted);
        }

        var path = request.RequestUri!.AbsolutePath;
        var prefix = $"/v2/{Repository}/";
        if (path.StartsWith(prefix + "manifests/", StringComparison.Ordinal)
            && manifests.TryGetValue(path[(prefix.Length + "manifests/".Length)..], out var manifest))
        {
            var content = new ByteArrayContent(manifest.Bytes);
            content.Headers.ContentType = new MediaTypeHeaderValue(manifest.MediaType);
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = content });
        }

        if (path.StartsWith(prefix + "blobs/", StringComparison.Ordinal)
            && blobs.TryGetValue(path[(prefix.Length + "blobs/".Length)..], out var blob))
        {
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(blob) });
        }

        return Task.FromResult(new HttpResponseMessage(HttpStatusCode.NotFound));
    }
}
