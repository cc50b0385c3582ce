using System.Text;
using System.Text.Json.Nodes;
using AiBaseline.Api.V1Alpha1;
using AiBaseline.Provenance.Oci;
using AiBaseline.Provenance.Tests.Support;

namespace AiBaseline.Provenance.Tests.Live;

/// <summary>
/// A real registry holding images signed by real cosign with certificates from a test CA (the legacy .sig tag
/// format with the dev.sigstore.cosign/certificate and /chain annotations; "good" also carries a certificate-signed
/// SLSA attestation in its .att tag, the "bundle" images one in the Sigstore bundle format), some with a Rekor-style signed entry
/// timestamp from a test log added to the annotations. Every process started here is killed in <see cref="DisposeAsync"/>.
/// </summary>
public sealed class KeylessRegistryFixture : IAsyncLifetime
{
    public const string BuilderId = "https://ci.acme.test/builder@v1";

    private static readonly string Provenance =
        "{\"buildDefinition\":{\"buildType\":\"https://ci.acme.test/build@v1\"},\"runDetails\":{\"builder\":{\"id\":\"" + BuilderId + "\"}}}";

    internal static readonly SignerClaims Release = new("release@acme.test", "https://issuer.acme.test", "acme/scorer", "refs/heads/main", "push");

    private readonly string workDir = Path.Combine(Path.GetTempPath(), "aibaseline-keyless-" + Guid.NewGuid().ToString("N"));

    internal RegistryProcess Registry { get; private set; } = null!;

    internal TestCa Ca { get; } = TestCa.Create("release-ca");

    internal TestCa RogueCa { get; } = TestCa.Create("rogue-ca");

    internal TestLog Log { get; } = new();

    /// <summary>The timestamp authority real cosign asked for the timestamped bundles' RFC 3161 timestamps.</summary>
    internal TestTsa Tsa { get; } = new("release-tsa", DateTimeOffset.UtcNow.AddYears(-1), DateTimeOffset.UtcNow.AddYears(1));

    /// <summary>The cosign every image here was signed with, for cross-checks with cosign's own verification.</summary>
    internal Cosign Cosign { get; private set; } = null!;

    /// <summary>The test CA's certificate (PEM file) and the cosign public key's file.</summary>
    internal string CaFile { get; private set; } = "";

    internal string PublicKeyFile { get; private set; } = "";

    /// <summary>The public key (PEM) of the cosign key pair every image here is signed with.</summary>
    internal string KeyPem { get; private set; } = "";

    /// <summary>Image references by scenario name, pinned by digest.</summary>
    internal Dictionary<string, string> Images { get; } = [];

    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(workDir);
        Registry = await RegistryProcess.StartAsync(Path.Combine(workDir, "registry"));
        var cosign = new Cosign(workDir);
        Cosign = cosign;
        var (key, publicPem) = await cosign.GenerateKeyPairAsync("keyless");
        PublicKeyFile = Path.Combine(Path.GetDirectoryName(key)!, "cosign.pub");
        var now = DateTimeOffset.UtcNow;
        var good = Write("good.crt", Ca.Issue(publicPem, Release, now.AddMinutes(-5), now.AddHours(1)));
        var expired = Write("expired.crt", Ca.Issue(publicPem, Release, now.AddHours(-3), now.AddHours(-2)));
        var rogue = Write("rogue.crt", RogueCa.Issue(publicPem, Release, now.AddMinutes(-5), now.AddHours(1)));
        var chain = Write("ca.pem", Ca.Pem);
        CaFile = chain;
        var rogueChain = Write("rogue-ca.pem", RogueCa.Pem);

        using var pusher = new ImagePusher(Registry);
        foreach (var (scenario, certificate, caChain) in new[]
        {
            ("good", good, chain), ("rogue", rogue, rogueChain), ("expired", expired, chain), ("tampered", good, chain),
            ("logged", good, chain), ("logged-bad-set", good, chain), ("logged-after-expiry", expired, chain),
        })
        {
            var (digest, _) = await pusher.PushImageAsync($"demo/{scenario}", "v1", scenario);
            Images[scenario] = $"{Registry.Host}/demo/{scenario}@{digest}";
            await cosign.SignWithCertificateAsync(key, certificate, caChain, Images[scenario]);
        }

        foreach (var (scenario, certificate, caChain) in new[] { ("bundle", good, chain), ("bundle-rogue", rogue, rogueChain), ("bundle-tampered", good, chain) })
        {
            var (digest, _) = await pusher.PushImageAsync($"demo/{scenario}", "v1", scenario);
            Images[scenario] = $"{Registry.Host}/demo/{scenario}@{digest}";
            await cosign.AttestWithCertificateAsync(key, certificate, caChain, Images[scenario], "slsaprovenance1", Provenance, bundleFormat: true);
        }

        await cosign.AttestWithCertificateAsync(key, good, chain, Images["good"], "slsaprovenance1", Provenance, bundleFormat: false);

        // Bundles dated by an RFC 3161 timestamp that cosign fetched from the test authority over HTTP.
        using (var server = new TsaServer(Tsa))
        {
            foreach (var (scenario, certificate) in new[] { ("bundle-timestamped", good), ("bundle-timestamped-expired", expired) })
            {
                var (digest, _) = await pusher.PushImageAsync($"demo/{scenario}", "v1", scenario);
                Images[scenario] = $"{Registry.Host}/demo/{scenario}@{digest}";
                await cosign.AttestWithCertificateAsync(key, certificate, chain, Images[scenario], "slsaprovenance1", Provenance, bundleFormat: true, timestampServer: server.Url);
            }
        }

        // The same expired certificate, dated by an authority whose clock says the signature was made while it was valid.
        using (var server = new TsaServer(Tsa, behind: TimeSpan.FromMinutes(150)))
        {
            var (digest, _) = await pusher.PushImageAsync("demo/bundle-timestamped-in-time", "v1", "bundle-timestamped-in-time");
            Images["bundle-timestamped-in-time"] = $"{Registry.Host}/demo/bundle-timestamped-in-time@{digest}";
            await cosign.AttestWithCertificateAsync(key, expired, chain, Images["bundle-timestamped-in-time"], "slsaprovenance1", Provenance, bundleFormat: true, timestampServer: server.Url);
        }

        // Key-signed bundles: verification material is the public key (cosign 2.5's sign has no --new-bundle-format; attest has).
        KeyPem = publicPem;
        var (digestWithKey, _) = await pusher.PushImageAsync("demo/bundle-key", "v1", "bundle-key");
        Images["bundle-key"] = $"{Registry.Host}/demo/bundle-key@{digestWithKey}";
        await cosign.AttestAsync(key, Images["bundle-key"], "slsaprovenance1", Provenance, bundleFormat: true);

        await EditBundleAsync(pusher, "bundle-tampered");

        // cosign itself accepts what the verifier is tested against.
        await cosign.VerifyAsync(Images["good"], "--certificate-chain", chain,
            "--certificate-identity", Release.Email, "--certificate-oidc-issuer", Release.Issuer);

        await EditSignatureAsync(pusher, "tampered", (layer, payload) =>
            Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(payload).Replace("demo/tampered", "demo/tampereD", StringComparison.Ordinal)));
        await EditSignatureAsync(pusher, "logged", (layer, payload) => AddLogEntry(layer, payload, now));
        await EditSignatureAsync(pusher, "logged-bad-set", (layer, payload) =>
        {
            AddLogEntry(layer, payload, now);
            var bundle = JsonNode.Parse((string)layer["annotations"]!["dev.sigstore.cosign/bundle"]!)!;
            var set = Convert.FromBase64String((string)bundle["SignedEntryTimestamp"]!);
            set[^1] ^= 0x01;
            bundle["SignedEntryTimestamp"] = Convert.ToBase64String(set);
            layer["annotations"]!["dev.sigstore.cosign/bundle"] = bundle.ToJsonString();
            return payload;
        });
        await EditSignatureAsync(pusher, "logged-after-expiry", (layer, payload) => AddLogEntry(layer, payload, now.AddHours(-1)));
    }

    /// <summary>A profile's images section trusting the test CA's chain (named release-ca), narrowed to <paramref name="identities"/>.</summary>
    internal ImagePolicy ChainPolicy(params KeylessIdentity[] identities) => new()
    {
        CertificateChains = [new CertificateChain { Name = "release-ca", Certificates = Ca.Pem }],
        Identities = [.. identities],
    };

    /// <summary>A profile's images section trusting a trusted_root.json with the test CA and, when asked, the test log.</summary>
    internal ImagePolicy RootPolicy(bool withLog, params KeylessIdentity[] identities) => new()
    {
        TrustedRoot = TestLog.TrustedRoot([Ca], withLog ? Log : null),
        Identities = [.. identities],
    };

    /// <summary>A profile's images section trusting a trusted_root.json with the test CA and the test timestamp authority, and no log.</summary>
    internal ImagePolicy TimestampRootPolicy(params KeylessIdentity[] identities) => new()
    {
        TrustedRoot = TestLog.TrustedRoot([Ca], null, [Tsa.RootEntry()]),
        Identities = [.. identities],
    };

    /// <summary>Writes <paramref name="text"/> to a file of the fixture's directory; returns its path.</summary>
    internal string Write(string name, string text)
    {
        var path = Path.Combine(workDir, name);
        File.WriteAllText(path, text);
        return path;
    }

    internal static KeylessIdentity Identity(string? subject = null, string? issuer = null) =>
        new() { Subject = subject ?? Release.Email, Issuer = issuer ?? Release.Issuer };

    public ValueTask DisposeAsync()
    {
        Registry?.Dispose();
        Ca.Dispose();
        RogueCa.Dispose();
        Log.Dispose();
        Tsa.Dispose();
        try
        {
            Directory.Delete(workDir, recursive: true);
        }
        catch (IOException)
        {
            // The registry may still be flushing its log; the temp directory is left for the OS to clean.
        }

        return ValueTask.CompletedTask;
    }

    private byte[] AddLogEntry(JsonNode layer, byte[] payload, DateTimeOffset integratedTime)
    {
        var annotations = layer["annotations"]!;
        annotations["dev.sigstore.cosign/bundle"] = Log.BundleAnnotation(payload,
            (string)annotations["dev.cosignproject.cosign/signature"]!, (string)annotations["dev.sigstore.cosign/certificate"]!, integratedTime);
        return payload;
    }

    /// <summary>
    /// Changes one byte of the DSSE payload of the bundle attached to the image, and re-points the referrer manifest
    /// and the referrers tag's index at it, as an attacker with write access to the repository could.
    /// </summary>
    private async Task EditBundleAsync(ImagePusher pusher, string scenario)
    {
        var repository = $"demo/{scenario}";
        var tag = Images[scenario].Split('@')[1].Replace(':', '-');
        var index = JsonNode.Parse(await pusher.GetAsync(repository, "manifests", tag))!;
        var entry = index["manifests"]![0]!;
        var manifest = JsonNode.Parse(await pusher.GetAsync(repository, "manifests", (string)entry["digest"]!))!;
        var layer = manifest["layers"]![0]!;
        var bundle = JsonNode.Parse(await pusher.GetAsync(repository, "blobs", (string)layer["digest"]!))!;
        var payload = Convert.FromBase64String((string)bundle["dsseEnvelope"]!["payload"]!);
        var text = Encoding.UTF8.GetString(payload).Replace(BuilderId, BuilderId.Replace("@v1", "@v2", StringComparison.Ordinal), StringComparison.Ordinal);
        bundle["dsseEnvelope"]!["payload"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(text));
        var edited = Encoding.UTF8.GetBytes(bundle.ToJsonString());
        await pusher.PushBlobAsync(repository, edited);
        layer["digest"] = Digests.Sha256(edited);
        layer["size"] = edited.Length;
        var manifestBytes = Encoding.UTF8.GetBytes(manifest.ToJsonString());
        var manifestDigest = await pusher.PushManifestAsync(repository, Digests.Sha256(manifestBytes), manifestBytes, OciMediaTypes.OciManifest);
        entry["digest"] = manifestDigest;
        entry["size"] = manifestBytes.Length;
        await pusher.PushManifestAsync(repository, tag, Encoding.UTF8.GetBytes(index.ToJsonString()), OciMediaTypes.OciIndex);
    }

    /// <summary>Rewrites the first signature layer (its annotations, and its payload when <paramref name="edit"/> returns other bytes) and re-pushes the .sig manifest.</summary>
    private async Task EditSignatureAsync(ImagePusher pusher, string scenario, Func<JsonNode, byte[], byte[]> edit)
    {
        var repository = $"demo/{scenario}";
        var tag = Digests.CosignTag(Images[scenario].Split('@')[1], "sig");
        var manifest = JsonNode.Parse(await pusher.GetAsync(repository, "manifests", tag))!;
        var layer = manifest["layers"]![0]!;
        var payload = await pusher.GetAsync(repository, "blobs", (string)layer["digest"]!);
        var edited = edit(layer, payload);
        if (!edited.AsSpan().SequenceEqual(payload))
        {
            await pusher.PushBlobAsync(repository, edited);
            layer["digest"] = Digests.Sha256(edited);
            layer["size"] = edited.Length;
        }

        await pusher.PushManifestAsync(repository, tag, Encoding.UTF8.GetBytes(manifest.ToJsonString()), OciMediaTypes.OciManifest);
    }
}

/// <summary>One registry with certificate-signed images for the keyless tests.</summary>
[CollectionDefinition(Name)]
public sealed class KeylessRegistryCollection : ICollectionFixture<KeylessRegistryFixture>
{
    public const string Name = "keyless registry";
}
