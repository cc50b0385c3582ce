using System.Collections.Concurrent;
using AiBaseline.Engine;
using AiBaseline.Provenance.ModelSigning;
using AiBaseline.Provenance.Oci;
using AiBaseline.Provenance.Sigstore;
using AiBaseline.Provenance.Tests.Support;

namespace AiBaseline.Provenance.Tests.Live;

/// <summary>A real docker-registry for model artifacts, and a verifier that records which paths it asked the registry for.</summary>
public sealed class ModelRegistryFixture : IAsyncLifetime
{
    private readonly DirectoryInfo dir = Directory.CreateTempSubdirectory("aibaseline-oci-models-");
    private RegistryClient client = null!;

    internal RegistryProcess Registry { get; private set; } = null!;

    internal ImagePusher Pusher { get; private set; } = null!;

    internal OciModelVerifier Verifier { get; private set; } = null!;

    /// <summary>Every request path the verifier sent, such as /v2/models/a/blobs/sha256:….</summary>
    internal ConcurrentQueue<string> Requests { get; } = new();

    public async ValueTask InitializeAsync()
    {
        Registry = await RegistryProcess.StartAsync(Path.Combine(dir.FullName, "registry"));
        Pusher = new ImagePusher(Registry);
        client = new RegistryClient(new RegistryClientOptions { MaxRetries = 0, PlainHttpRegistries = new HashSet<string> { Registry.Host } }, TimeProvider.System,
            new Recording(Requests) { InnerHandler = new SocketsHttpHandler() });
        Verifier = new OciModelVerifier(client, TimeProvider.System);
    }

    public async ValueTask DisposeAsync()
    {
        client.Dispose();
        Pusher.Dispose();
        Registry.Dispose();
        await Task.Yield();
        dir.Delete(recursive: true);
    }

    private sealed class Recording(ConcurrentQueue<string> requests) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            requests.Enqueue(request.RequestUri!.AbsolutePath);
            return base.SendAsync(request, cancellationToken);
        }
    }
}

/// <summary>
/// OpenSSF Model Signing signatures of models packaged as OCI artifacts, verified at a real registry by comparing the
/// signed files' digests with the layers' (model-transparency's real vectors, pushed as ModelPack and ORAS artifacts).
/// </summary>
public sealed class OciModelSignatureTests(ModelRegistryFixture fixture) : IClassFixture<ModelRegistryFixture>
{
    /// <summary>sha256 over the certificate vector's per-file digests (the signed manifest), as verify-model prints it.</summary>
    private const string CertificateManifestDigest = "sha256:61d4849d9d90076d6215f4d525f13d6574af8e3f67aef3e6f36fc40a14fdd226";
    private const string CertificateVector = "v1.0.0-certificate";

    private static readonly ModelSigner ModelCa = new("acme-model-ca", SigstoreVectors.ChainPolicy());

    [Theory]
    [InlineData(LayerStyle.ModelPackRaw)]
    [InlineData(LayerStyle.Oras)]
    public async Task Layers_that_are_the_files_verify_against_the_model_sig_packed_with_them_without_reading_a_weight(LayerStyle style)
    {
        var repository = $"models/packed-{style.ToString().ToLowerInvariant()}";
        var files = ModelPusher.VectorFiles(CertificateVector);
        var pushed = await ModelPusher.PushModelAsync(fixture.Pusher, repository, "v1", [.. files, ("model.sig", SigstoreVectors.Bundle(CertificateVector))], style);
        fixture.Requests.Clear();

        var result = await VerifyAsync($"{repository}:v1", "model.sig", ModelCa);

        Assert.True(result.Outcome == VerificationOutcome.Verified, result.Message);
        Assert.Equal(VerificationReasons.Verified, result.Reason);
        Assert.Equal(CertificateManifestDigest, result.Digest);
        Assert.Equal(pushed.Digest, result.ArtifactDigest);
        Assert.StartsWith("acme-model-ca, ", Assert.Single(result.SignedBy), StringComparison.Ordinal);
        Assert.Contains("2 layers are the files of the signed manifest", result.Message, StringComparison.Ordinal);
        foreach (var (_, bytes) in files)
        {
            Assert.DoesNotContain(fixture.Requests, path => path.EndsWith(Digests.Sha256(bytes), StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task A_keyless_signature_attached_as_a_referrer_verifies_naming_the_identity()
    {
        const string vector = "v1.0.0-sigstore";
        var pushed = await ModelPusher.PushModelAsync(fixture.Pusher, "models/keyless", "v1", ModelPusher.VectorFiles(vector), LayerStyle.ModelPackRaw);
        await ModelPusher.AttachAsync(fixture.Pusher, "models/keyless", pushed, SigstoreVectors.Bundle(vector));

        var result = await VerifyAsync($"models/keyless@{pushed.Digest}", "model.sig", new ModelSigner(null, SigstoreVectors.KeylessPolicy()));

        Assert.True(result.Outcome == VerificationOutcome.Verified, result.Message);
        Assert.Contains(SigstoreVectors.Identity, Assert.Single(result.SignedBy), StringComparison.Ordinal);
        Assert.Equal(pushed.Digest, result.ArtifactDigest);
    }

    [Fact]
    public async Task A_signature_pushed_as_its_own_artifact_is_found_by_its_oci_reference()
    {
        var pushed = await ModelPusher.PushModelAsync(fixture.Pusher, "models/detached", "v1", ModelPusher.VectorFiles(CertificateVector), LayerStyle.ModelPackRaw);
        var signature = await ModelPusher.PushSignatureAsync(fixture.Pusher, "models/detached-signatures", "v1", SigstoreVectors.Bundle(CertificateVector));

        var result = await VerifyAsync($"models/detached@{pushed.Digest}", $"oci://{fixture.Registry.Host}/models/detached-signatures@{signature}", ModelCa);

        Assert.True(result.Outcome == VerificationOutcome.Verified, result.Message);
        Assert.Equal(CertificateManifestDigest, result.Digest);
    }

    [Theory]
    [InlineData("changed", VerificationOutcome.Failed, ModelVerifier.FileMismatch, "layer signme-1 has digest sha256:")]
    [InlineData("extra", VerificationOutcome.Failed, VerificationReasons.FileNotSigned, "layer notes.txt is not in the signed manifest")]
    [InlineData("missing", VerificationOutcome.Failed, VerificationReasons.FileMissing, "signme-2 is signed, but no layer of the artifact holds it")]
    [InlineData("tar", VerificationOutcome.Unavailable, VerificationReasons.LayerNotComparable, "layer signme-1 cannot be compared with the signed files: its media type application/vnd.cncf.model.weight.v1.tar is a tar archive")]
    [InlineData("unsigned", VerificationOutcome.Failed, VerificationReasons.SignatureMissing, "no layer of ")]
    public async Task A_model_that_does_not_match_its_signature_says_why_naming_the_first_file(string change, VerificationOutcome outcome, string reason, string expected)
    {
        var files = ModelPusher.VectorFiles(CertificateVector);
        var style = LayerStyle.ModelPackRaw;
        switch (change)
        {
            case "changed":
                var changed = (byte[])files[0].Bytes.Clone();
                changed[0] ^= 0x01;
                files[0] = (files[0].Path, changed);
                break;
            case "extra":
                files.Add(("notes.txt", "not signed"u8.ToArray()));
                break;
            case "missing":
                files.RemoveAt(1);
                break;
            case "tar":
                style = LayerStyle.ModelPackTar;
                break;
        }

        // A tar-packed model carries its signature as a referrer: a tar layer holding model.sig is not the bundle.
        var repository = $"models/{change}";
        var bundle = SigstoreVectors.Bundle(CertificateVector);
        (string Path, byte[] Bytes)[] packed = change is "unsigned" or "tar" ? [] : [("model.sig", bundle)];
        var pushed = await ModelPusher.PushModelAsync(fixture.Pusher, repository, "v1", [.. files, .. packed], style);
        if (change == "tar")
        {
            await ModelPusher.AttachAsync(fixture.Pusher, repository, pushed, bundle);
        }

        var result = await VerifyAsync($"{repository}@{pushed.Digest}", "model.sig", ModelCa);

        Assert.Equal((outcome, reason), (result.Outcome, result.Reason));
        Assert.Contains(expected, result.Message, StringComparison.Ordinal);
        Assert.Equal(pushed.Digest, result.ArtifactDigest);
        if (change != "unsigned")
        {
            Assert.StartsWith("acme-model-ca, ", Assert.Single(result.SignedBy), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_layer_outside_the_model_verifies_when_ignore_paths_names_it()
    {
        await ModelPusher.PushModelAsync(fixture.Pusher, "models/with-readme", "v1",
            [.. ModelPusher.VectorFiles(CertificateVector), ("docs/README.md", "# tiny"u8.ToArray()), ("model.sig", SigstoreVectors.Bundle(CertificateVector))], LayerStyle.ModelPackRaw);

        var strict = await VerifyAsync("models/with-readme:v1", "model.sig", ModelCa);
        var ignoring = await VerifyAsync("models/with-readme:v1", "model.sig", ModelCa, ignorePaths: ["docs"]);

        Assert.Equal(VerificationReasons.FileNotSigned, strict.Reason);
        Assert.Contains("layer docs/README.md is not in the signed manifest", strict.Message, StringComparison.Ordinal);
        Assert.True(ignoring.Outcome == VerificationOutcome.Verified, ignoring.Message);
    }

    [Theory]
    [InlineData("key", SigstoreReasons.UntrustedKey)]
    [InlineData("public-good identity", SigstoreReasons.MissingTlogEntry)]
    public async Task A_signer_the_policy_does_not_trust_fails_with_the_sigstore_reason_and_names_no_signer(string trusted, string reason)
    {
        await ModelPusher.PushModelAsync(fixture.Pusher, "models/untrusted", "v1",
            [.. ModelPusher.VectorFiles(CertificateVector), ("model.sig", SigstoreVectors.Bundle(CertificateVector))], LayerStyle.ModelPackRaw);
        var signer = trusted == "key" ? new ModelSigner("release-key", SigstoreVectors.KeyPolicy()) : new ModelSigner(null, SigstoreVectors.KeylessPolicy());

        var result = await VerifyAsync("models/untrusted:v1", "model.sig", signer);

        Assert.Equal((VerificationOutcome.Failed, reason), (result.Outcome, result.Reason));
        Assert.Contains("no trusted signer's signature verifies", result.Message, StringComparison.Ordinal);
        Assert.Empty(result.SignedBy);
    }

    [Fact]
    public async Task A_registry_that_does_not_answer_is_unavailable_never_failed()
    {
        using var client = new RegistryClient(new RegistryClientOptions { MaxRetries = 0, RequestTimeout = TimeSpan.FromSeconds(2), PlainHttpRegistries = new HashSet<string> { "127.0.0.1:9" } }, TimeProvider.System);
        var verifier = new OciModelVerifier(client, TimeProvider.System);

        var result = await verifier.VerifyAsync(new OciModelRequest("oci://127.0.0.1:9/models/gone:v1", "model.sig", [], [ModelCa]), null, TestContext.Current.CancellationToken);

        Assert.Equal((VerificationOutcome.Unavailable, VerificationReasons.RegistryUnavailable), (result.Outcome, result.Reason));
    }

    private Task<ArtifactVerification> VerifyAsync(string repositoryAndReference, string signature, ModelSigner signer, string[]? ignorePaths = null) =>
        fixture.Verifier.VerifyAsync(new OciModelRequest($"oci://{fixture.Registry.Host}/{repositoryAndReference}", signature, [.. ignorePaths ?? []], [signer]), null, TestContext.Current.CancellationToken);
}
