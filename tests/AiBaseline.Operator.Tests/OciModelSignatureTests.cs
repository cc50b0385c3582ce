using AiBaseline.Api.V1Alpha1;
using AiBaseline.Engine.Controls;
using AiBaseline.Provenance.ModelSigning;
using AiBaseline.Provenance.Oci;
using AiBaseline.Provenance.Tests.Support;

namespace AiBaseline.Operator.Tests;

/// <summary>
/// The operator verifies an OpenSSF Model Signing signature of an oci:// model at a real registry: the compliant
/// example's model pushed as a ModelPack artifact of raw layers with model-transparency's certificate-chain vector
/// (model.sig packed with the files), and a profile whose spec.models.trust names the vector's CA.
/// </summary>
public sealed class OciModelSignatureTests : IAsyncDisposable
{
    private const string Serving = "llm-serving";
    private const string Chat = "llama-chat";
    private const string Vector = "v1.0.0-certificate";
    private const string ManifestDigest = "sha256:61d4849d9d90076d6215f4d525f13d6574af8e3f67aef3e6f36fc40a14fdd226";
    private const string ExampleModel = "oci://registry.acme.example/models/llama-3.1-8b-instruct@sha256:3f1c9a7e5b2d4c6f8a0e1b3d5c7f9a2b4d6e8f0a1c3e5b7d9f2a4c6e8b0d1f3a";
    private const string ExampleDigest = "sha256:3f1c9a7e5b2d4c6f8a0e1b3d5c7f9a2b4d6e8f0a1c3e5b7d9f2a4c6e8b0d1f3a";

    private readonly DirectoryInfo dir = Directory.CreateTempSubdirectory("aibaseline-oci-model-operator-");
    private RegistryProcess? registry;
    private RegistryClient? client;

    [Fact]
    public async Task A_signed_model_artifact_makes_ModelIntegrity_True_and_status_models_names_digest_and_signer()
    {
        var source = await PushAsync(tamper: false);
        await using var cluster = await OperatorFixture.StartAsync();
        Apply(cluster, source);
        await cluster.StartOperatorAsync(models: Verifier());

        await OperatorFixture.EventuallyAsync(() => cluster.Condition(Serving, Chat, ConditionTypes.ModelIntegrityVerified)?.Status == "True", "ModelIntegrityVerified True", 60);
        var condition = cluster.Condition(Serving, Chat, ConditionTypes.ModelIntegrityVerified)!;
        Assert.Equal(ModelIntegrityControl.SignatureVerifiedReason, condition.Reason);
        Assert.Contains("model llama-3.1-8b-instruct signed by acme-model-ca, ", condition.Message, StringComparison.Ordinal);
        var model = Assert.Single(cluster.Get(Serving, Chat)!.Status!.Models!);
        Assert.Equal(source.Source, model.Source);
        Assert.Equal(source.Digest, model.Digest);
        Assert.Equal(ManifestDigest, model.ManifestDigest);
        Assert.StartsWith("acme-model-ca, ", model.Signer, StringComparison.Ordinal);
        Assert.NotNull(model.VerifiedAt);
        Assert.Null(model.Reason);
    }

    [Fact]
    public async Task A_layer_that_differs_from_the_signed_file_makes_ModelIntegrity_False_naming_the_file()
    {
        var source = await PushAsync(tamper: true);
        await using var cluster = await OperatorFixture.StartAsync();
        Apply(cluster, source);
        await cluster.StartOperatorAsync(models: Verifier());

        await OperatorFixture.EventuallyAsync(() => cluster.Condition(Serving, Chat, ConditionTypes.ModelIntegrityVerified)?.Status == "False", "ModelIntegrityVerified False", 60);
        var condition = cluster.Condition(Serving, Chat, ConditionTypes.ModelIntegrityVerified)!;
        Assert.Equal(ModelVerifier.FileMismatch, condition.Reason);
        Assert.Contains("layer signme-1 has digest", condition.Message, StringComparison.Ordinal);
        var model = Assert.Single(cluster.Get(Serving, Chat)!.Status!.Models!);
        Assert.Equal(ModelVerifier.FileMismatch, model.Reason);
        Assert.Null(model.VerifiedAt);
    }

    [Fact]
    public async Task A_signed_model_on_a_volume_is_unknown_saying_how_to_make_it_verifiable()
    {
        await using var cluster = await OperatorFixture.StartAsync();
        Apply(cluster, ("pvc://model-weights/llama-3.1-8b-instruct", ManifestDigest), "[oci, pvc]");
        using var unused = new RegistryClient(new RegistryClientOptions(), TimeProvider.System);
        await cluster.StartOperatorAsync(models: new OciModelVerifier(unused, TimeProvider.System));

        await OperatorFixture.EventuallyAsync(() => cluster.Condition(Serving, Chat, ConditionTypes.ModelIntegrityVerified)?.Status == "Unknown", "ModelIntegrityVerified Unknown", 60);
        var condition = cluster.Condition(Serving, Chat, ConditionTypes.ModelIntegrityVerified)!;
        Assert.Equal(ModelIntegrityControl.ModelNotReachableReason, condition.Reason);
        Assert.Contains("the operator does not read the files of pvc sources: publish the model to an OCI registry with one uncompressed layer per file", condition.Message, StringComparison.Ordinal);
        Assert.Contains("aibaseline audit --verify --model-root DIR", condition.Message, StringComparison.Ordinal);
        Assert.Contains("or let the operator verify it in a Job: --model-verification-image (the chart's modelVerification.jobs.enabled)", condition.Message, StringComparison.Ordinal);
        Assert.Equal(ModelIntegrityControl.ModelNotReachableReason, Assert.Single(cluster.Get(Serving, Chat)!.Status!.Models!).Reason);
    }

    public async ValueTask DisposeAsync()
    {
        client?.Dispose();
        registry?.Dispose();
        await Task.Yield();
        dir.Delete(recursive: true);
    }

    private OciModelVerifier Verifier() => new(client!, TimeProvider.System);

    /// <summary>The vector's files and model.sig as a ModelPack artifact on a fresh registry; with <paramref name="tamper"/>, signme-1 has one bit flipped.</summary>
    private async Task<(string Source, string Digest)> PushAsync(bool tamper)
    {
        registry = await RegistryProcess.StartAsync(Path.Combine(dir.FullName, "registry"));
        client = new RegistryClient(new RegistryClientOptions { MaxRetries = 0, PlainHttpRegistries = new HashSet<string> { registry.Host } }, TimeProvider.System);
        using var pusher = new ImagePusher(registry);
        var files = ModelPusher.VectorFiles(Vector);
        if (tamper)
        {
            var bytes = (byte[])files[0].Bytes.Clone();
            bytes[0] ^= 0x01;
            files[0] = (files[0].Path, bytes);
        }

        var (digest, _) = await ModelPusher.PushModelAsync(pusher, "models/llama", "v1", [.. files, ("model.sig", SigstoreVectors.Bundle(Vector))], LayerStyle.ModelPackRaw);
        return ($"oci://{registry.Host}/models/llama@{digest}", digest);
    }

    /// <summary>The shipped profile trusting the vector's CA for models, and the compliant example with its model at <paramref name="model"/>, signed by model.sig.</summary>
    private static void Apply(OperatorFixture cluster, (string Source, string Digest) model, string schemes = "[oci]")
    {
        var examples = Path.Combine(AppContext.BaseDirectory, "examples");
        var ca = string.Concat(File.ReadAllLines(SigstoreVectors.KeyFile("ca-cert.pem")).Where(l => l.Length > 0).Select(l => $"          {l}\n"));
        var profile = File.ReadAllText(Path.Combine(examples, "profiles", "default.yaml")).Replace(
            "    allowedSchemes: [oci]\n",
            $"    allowedSchemes: {schemes}\n    trust:\n      certificateChains:\n      - name: acme-model-ca\n        certificates: |\n{ca}",
            StringComparison.Ordinal);
        cluster.Server.CreateFromYaml(profile, ApiGroup.KindTypes());
        foreach (var file in Directory.GetFiles(Path.Combine(examples, "llm-inference-compliant"), "*.yaml").Order(StringComparer.Ordinal))
        {
            var text = File.ReadAllText(file)
                .Replace($"source: {ExampleModel}", $"source: {model.Source}\n    signature: model.sig", StringComparison.Ordinal)
                .Replace($"digest: {ExampleDigest}", $"digest: {model.Digest}", StringComparison.Ordinal);
            cluster.Server.CreateFromYaml(text, ApiGroup.KindTypes());
        }
    }
}
