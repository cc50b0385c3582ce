using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using AiBaseline.Provenance.Oci;

namespace AiBaseline.Provenance.Tests.Support;

/// <summary>Pushes tiny images, indexes and raw manifests through the distribution API (monolithic blob upload).</summary>
internal sealed class ImagePusher : IDisposable
{
    private readonly HttpClient http;
    private readonly Uri baseUri;

    public ImagePusher(RegistryProcess registry, RegistryLogin? login = null, X509Certificate2? ca = null)
    {
        var handler = new SocketsHttpHandler();
        if (ca is not null)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, _) =>
            {
                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.Add(ca);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                return certificate is not null && chain.Build(new X509Certificate2(certificate));
            };
        }

        http = new HttpClient(handler);
        if (login is not null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{login.Username}:{login.Password}")));
        }

        baseUri = registry.BaseUri;
    }

    /// <summary>A one-layer image whose layer holds <paramref name="content"/>; returns the manifest digest.</summary>
    public async Task<(string Digest, int Size)> PushImageAsync(string repository, string tag, string content, string architecture = "amd64")
    {
        var layer = Encoding.UTF8.GetBytes(content);
        var config = Encoding.UTF8.GetBytes($$"""{"architecture":"{{architecture}}","os":"linux","rootfs":{"type":"layers","diff_ids":["{{Digests.Sha256(layer)}}"]} }""");
        await PushBlobAsync(repository, layer);
        await PushBlobAsync(repository, config);
        var manifest = Encoding.UTF8.GetBytes($$"""{"schemaVersion":2,"mediaType":"{{OciMediaTypes.OciManifest}}","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"{{Digests.Sha256(config)}}","size":{{config.Length}}},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"{{Digests.Sha256(layer)}}","size":{{layer.Length}}}]}""");
        return (await PushManifestAsync(repository, tag, manifest, OciMediaTypes.OciManifest), manifest.Length);
    }

    /// <summary>A multi-arch index over already pushed manifests.</summary>
    public async Task<string> PushIndexAsync(string repository, string tag, params (string Digest, int Size, string Architecture)[] platforms)
    {
        var entries = string.Join(",", platforms.Select(p => $$"""{"mediaType":"{{OciMediaTypes.OciManifest}}","digest":"{{p.Digest}}","size":{{p.Size}},"platform":{"architecture":"{{p.Architecture}}","os":"linux"} }"""));
        var index = Encoding.UTF8.GetBytes($$"""{"schemaVersion":2,"mediaType":"{{OciMediaTypes.OciIndex}}","manifests":[{{entries}}]}""");
        return await PushManifestAsync(repository, tag, index, OciMediaTypes.OciIndex);
    }

    public async Task PushBlobAsync(string repository, byte[] blob)
    {
        using var start = await http.PostAsync(new Uri(baseUri, $"v2/{repository}/blobs/uploads/"), null);
        start.EnsureSuccessStatusCode();
        var location = start.Headers.Location!;
        var upload = location.IsAbsoluteUri ? location : new Uri(baseUri, location);
        var separator = upload.Query.Length > 0 ? "&" : "?";
        using var body = new ByteArrayContent(blob);
        body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var put = await http.PutAsync(new Uri(upload + separator + "digest=" + Uri.EscapeDataString(Digests.Sha256(blob))), body);
        put.EnsureSuccessStatusCode();
    }

    public async Task<string> PushManifestAsync(string repository, string reference, byte[] manifest, string mediaType)
    {
        using var body = new ByteArrayContent(manifest);
        body.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        using var put = await http.PutAsync(new Uri(baseUri, $"v2/{repository}/manifests/{reference}"), body);
        put.EnsureSuccessStatusCode();
        return Digests.Sha256(manifest);
    }

    public async Task<byte[]> GetAsync(string repository, string kind, string reference)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(baseUri, $"v2/{repository}/{kind}/{reference}"));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(OciMediaTypes.OciManifest));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(OciMediaTypes.OciIndex));
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsByteArrayAsync();
    }

    public void Dispose() => http.Dispose();
}
