using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using AiBaseline.Provenance.Oci;
using AiBaseline.Provenance.Signing;
using AiBaseline.Provenance.Tests.Support;

namespace AiBaseline.Provenance.Tests.Live;

/// <summary>
/// Real registries on loopback (plain HTTP, and TLS from our own CA with htpasswd Basic auth) holding images
/// signed and attested by real cosign. Every process started here is killed in <see cref="DisposeAsync"/>.
/// </summary>
public sealed class LiveRegistryFixture : IAsyncLifetime
{
    public const string BuilderId = "https://ci.example.test/builder@v1";
    public static readonly RegistryLogin Robot = new("robot", "test-only-s3cret");

    private readonly string workDir = Path.Combine(Path.GetTempPath(), "aibaseline-provenance-" + Guid.NewGuid().ToString("N"));

    internal RegistryProcess Plain { get; private set; } = null!;

    internal RegistryProcess Secure { get; private set; } = null!;

    internal Cosign Cosign { get; private set; } = null!;

    internal string CaFile => Path.Combine(workDir, "ca", "ca.crt");

    internal string ReleaseKeyPem { get; private set; } = "";

    internal string ReleaseKeyPath { get; private set; } = "";

    internal string SecondKeyPem { get; private set; } = "";

    internal string StrangerKeyPem { get; private set; } = "";

    /// <summary>Image references by scenario name, pinned by digest.</summary>
    internal Dictionary<string, string> Images { get; } = [];

    internal string MultiArchChild { get; private set; } = "";

    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(workDir);
        Plain = await RegistryProcess.StartAsync(Path.Combine(workDir, "plain"));
        Cosign = new Cosign(workDir);
        var release = await Cosign.GenerateKeyPairAsync("release");
        var second = await Cosign.GenerateKeyPairAsync("second");
        var stranger = await Cosign.GenerateKeyPairAsync("stranger");
        (ReleaseKeyPath, ReleaseKeyPem, SecondKeyPem, StrangerKeyPem) = (release.PrivateKey, release.PublicPem, second.PublicPem, stranger.PublicPem);

        using var pusher = new ImagePusher(Plain);
        var signed = await Push(pusher, Plain, "demo/signed", "signed");
        await Cosign.SignAsync(release.PrivateKey, signed);
        await Cosign.AttestAsync(release.PrivateKey, signed, "slsaprovenance1", Provenance(BuilderId));

        var twoKeys = await Push(pusher, Plain, "demo/two-keys", "two keys");
        await Cosign.SignAsync(release.PrivateKey, twoKeys);
        await Cosign.SignAsync(second.PrivateKey, twoKeys);

        await Push(pusher, Plain, "demo/unsigned", "unsigned");

        var other = await Push(pusher, Plain, "demo/stranger", "stranger");
        await Cosign.SignAsync(stranger.PrivateKey, other);

        var tampered = await Push(pusher, Plain, "demo/tampered", "tampered");
        await Cosign.SignAsync(release.PrivateKey, tampered);
        await AlterSignedPayloadAsync(pusher, "demo/tampered", tampered);

        var copied = await Push(pusher, Plain, "demo/copied", "copied");
        await CopySignatureAsync(pusher, "demo/signed", signed, "demo/copied", copied);

        var amd = await pusher.PushImageAsync("demo/multi", "amd64", "multi amd64", "amd64");
        var arm = await pusher.PushImageAsync("demo/multi", "arm64", "multi arm64", "arm64");
        var index = await pusher.PushIndexAsync("demo/multi", "v1", (amd.Digest, amd.Size, "amd64"), (arm.Digest, arm.Size, "arm64"));
        Images["multi"] = $"{Plain.Host}/demo/multi@{index}";
        MultiArchChild = $"{Plain.Host}/demo/multi@{amd.Digest}";
        await Cosign.SignAsync(release.PrivateKey, Images["multi"]);

        await StartSecureRegistryAsync(release.PrivateKey);
    }

    /// <summary>A verifier with fresh state that reaches both registries (plain HTTP for one, our CA for the other).</summary>
    internal CosignVerifier NewVerifier(HttpMessageHandler? handler = null, bool trustCa = true) =>
        new(new RegistryClient(ClientOptions(trustCa), TimeProvider.System, handler), TimeProvider.System);

    internal RegistryClientOptions ClientOptions(bool trustCa = true) => Verifiers.FastRetries(Plain.Host) with
    {
        ExtraTrustedCertificates = trustCa ? RegistryClientOptions.LoadPemBundle(File.ReadAllText(CaFile)) : null,
    };

    internal TrustPolicy Policy(params AttestationRequirement[] required) => new([TrustedKey.FromPem("release", ReleaseKeyPem)], required);

    public ValueTask DisposeAsync()
    {
        Plain?.Dispose();
        Secure?.Dispose();
        try
        {
            Directory.Delete(workDir, recursive: true);
        }
        catch (IOException)
        {
            // A registry may still be flushing its log; the temp directory is left for the OS to clean.
        }

        return ValueTask.CompletedTask;
    }

    private async Task<string> Push(ImagePusher pusher, RegistryProcess registry, string repository, string content)
    {
        var (digest, _) = await pusher.PushImageAsync(repository, "v1", content);
        var reference = $"{registry.Host}/{repository}@{digest}";
        Images[repository["demo/".Length..]] = reference;
        return reference;
    }

    private static string Provenance(string builderId) => $$"""
        {"buildDefinition":{"buildType":"https://ci.example.test/build@v1","externalParameters":{"ref":"refs/heads/main"} },
         "runDetails":{"builder":{"id":"{{builderId}}"},"metadata":{"invocationID":"run-1"} } }
        """;

    /// <summary>Rewrites the signed payload's docker-reference and re-points the .sig manifest at it, keeping cosign's signature.</summary>
    private static async Task AlterSignedPayloadAsync(ImagePusher pusher, string repository, string image)
    {
        var digest = image[(image.IndexOf('@', StringComparison.Ordinal) + 1)..];
        var tag = Digests.CosignTag(digest, "sig");
        var manifest = JsonNode.Parse(await pusher.GetAsync(repository, "manifests", tag))!;
        var layer = manifest["layers"]![0]!;
        var payload = Encoding.UTF8.GetString(await pusher.GetAsync(repository, "blobs", (string)layer["digest"]!));
        var altered = Encoding.UTF8.GetBytes(payload.Replace("demo/tampered", "demo/tampere2", StringComparison.Ordinal));
        await pusher.PushBlobAsync(repository, altered);
        layer["digest"] = Digests.Sha256(altered);
        layer["size"] = altered.Length;
        await pusher.PushManifestAsync(repository, tag, Encoding.UTF8.GetBytes(manifest.ToJsonString()), OciMediaTypes.OciManifest);
    }

    /// <summary>Places another image's valid signature at this image's .sig tag, as an attacker replaying it would.</summary>
    private static async Task CopySignatureAsync(ImagePusher pusher, string fromRepository, string from, string toRepository, string to)
    {
        var fromTag = Digests.CosignTag(from[(from.IndexOf('@', StringComparison.Ordinal) + 1)..], "sig");
        var manifestBytes = await pusher.GetAsync(fromRepository, "manifests", fromTag);
        var manifest = JsonNode.Parse(manifestBytes)!;
        foreach (var blob in new[] { (string)manifest["config"]!["digest"]!, (string)manifest["layers"]![0]!["digest"]! })
        {
            await pusher.PushBlobAsync(toRepository, await pusher.GetAsync(fromRepository, "blobs", blob));
        }

        var toTag = Digests.CosignTag(to[(to.IndexOf('@', StringComparison.Ordinal) + 1)..], "sig");
        await pusher.PushManifestAsync(toRepository, toTag, manifestBytes, OciMediaTypes.OciManifest);
    }

    private async Task StartSecureRegistryAsync(string releaseKey)
    {
        var ca = Path.Combine(workDir, "ca");
        Directory.CreateDirectory(ca);
        string P(string name) => Path.Combine(ca, name);
        await ProcessRunner.RunAsync(Tools.Openssl, ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", P("ca.key"), "-out", P("ca.crt"), "-days", "2", "-subj", "/CN=aibaseline test CA"]);
        await ProcessRunner.RunAsync(Tools.Openssl, ["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", P("server.key"), "-out", P("server.csr"), "-subj", "/CN=127.0.0.1"]);
        await File.WriteAllTextAsync(P("ext.cnf"), "subjectAltName=IP:127.0.0.1\n");
        await ProcessRunner.RunAsync(Tools.Openssl, ["x509", "-req", "-in", P("server.csr"), "-CA", P("ca.crt"), "-CAkey", P("ca.key"),
            "-CAcreateserial", "-out", P("server.crt"), "-days", "2", "-extfile", P("ext.cnf")]);
        await File.WriteAllTextAsync(P("htpasswd"), await ProcessRunner.RunAsync(Tools.Htpasswd, ["-Bbn", Robot.Username, Robot.Password]));

        Secure = await RegistryProcess.StartAsync(Path.Combine(workDir, "secure"), (P("server.crt"), P("server.key"), P("htpasswd")));
        using var caCert = X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(P("ca.crt")));
        using var pusher = new ImagePusher(Secure, Robot, caCert);
        var image = await Push(pusher, Secure, "demo/private", "private");
        Cosign.UseRegistryLogin(Secure.Host, Robot, P("ca.crt"));
        await Cosign.SignAsync(releaseKey, image);
    }
}

/// <summary>One set of registries for all live tests: starting them and signing with cosign takes seconds.</summary>
[CollectionDefinition(Name)]
public sealed class LiveRegistryCollection : ICollectionFixture<LiveRegistryFixture>
{
    public const string Name = "live registries";
}
