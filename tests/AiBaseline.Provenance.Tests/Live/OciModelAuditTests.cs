using System.Text.Json.Nodes;
using AiBaseline.Audit;
using AiBaseline.Provenance.ModelSigning;
using AiBaseline.Provenance.Tests.Support;

namespace AiBaseline.Provenance.Tests.Live;

/// <summary>
/// <c>aibaseline audit --verify</c> on the compliant example whose model is an OCI artifact on a real registry, signed
/// with OpenSSF Model Signing (model-transparency's certificate-chain vector), the profile trusting that CA for models.
/// No --model-root: the files are compared at the registry.
/// </summary>
public sealed class OciModelAuditTests(ModelRegistryFixture fixture) : IClassFixture<ModelRegistryFixture>, IDisposable
{
    private const string Vector = "v1.0.0-certificate";
    private const string ManifestDigest = "sha256:61d4849d9d90076d6215f4d525f13d6574af8e3f67aef3e6f36fc40a14fdd226";
    private const string ExampleModel = "oci://registry.acme.example/models/llama-3.1-8b-instruct@sha256:3f1c9a7e5b2d4c6f8a0e1b3d5c7f9a2b4d6e8f0a1c3e5b7d9f2a4c6e8b0d1f3a";
    private const string ExampleDigest = "sha256:3f1c9a7e5b2d4c6f8a0e1b3d5c7f9a2b4d6e8f0a1c3e5b7d9f2a4c6e8b0d1f3a";

    private readonly DirectoryInfo dir = Directory.CreateTempSubdirectory("aibaseline-oci-model-audit-");

    [Fact]
    public async Task A_signed_model_artifact_is_met_with_its_digest_manifest_and_signer_in_status()
    {
        var (source, digest) = await PushAsync("audit/signed", LayerStyle.ModelPackRaw, tamper: false);

        var (exit, report, _) = AuditExample.Audit(Write(source, digest), verify: true);

        Assert.Equal(AuditExitCodes.Compliant, exit);
        var condition = AuditExample.Condition(report, "ModelIntegrityVerified");
        Assert.Equal(("True", "SignatureVerified"), ((string?)condition["status"], (string?)condition["reason"]));
        var model = Model(report);
        Assert.Equal(source, (string?)model["source"]);
        Assert.Equal(digest, (string?)model["digest"]);
        Assert.Equal(ManifestDigest, (string?)model["manifestDigest"]);
        Assert.StartsWith("acme-model-ca, ", (string?)model["signer"], StringComparison.Ordinal);
        Assert.NotNull(model["verifiedAt"]);
    }

    [Fact]
    public async Task A_changed_layer_is_not_met_naming_the_file()
    {
        var (source, digest) = await PushAsync("audit/tampered", LayerStyle.ModelPackRaw, tamper: true);

        var (exit, report, _) = AuditExample.Audit(Write(source, digest), verify: true);

        Assert.Equal(AuditExitCodes.NotCompliant, exit);
        var condition = AuditExample.Condition(report, "ModelIntegrityVerified");
        Assert.Equal(("False", ModelVerifier.FileMismatch), ((string?)condition["status"], (string?)condition["reason"]));
        Assert.Contains("layer signme-1 has digest", (string?)condition["message"], StringComparison.Ordinal);
        Assert.Equal(ModelVerifier.FileMismatch, (string?)Model(report)["reason"]);
    }

    [Fact]
    public async Task Tar_layers_are_unknown_saying_how_to_make_the_model_verifiable()
    {
        var (source, digest) = await PushAsync("audit/tarred", LayerStyle.ModelPackTar, tamper: false);

        var (exit, report, _) = AuditExample.Audit(Write(source, digest), verify: true);

        Assert.Equal(AuditExitCodes.Compliant, exit); // Unknown is not a failure unless --fail-on-unknown
        var condition = AuditExample.Condition(report, "ModelIntegrityVerified");
        Assert.Equal(("Unknown", VerificationReasons.LayerNotComparable), ((string?)condition["status"], (string?)condition["reason"]));
        Assert.Contains("modctl build --raw", (string?)condition["message"], StringComparison.Ordinal);
        Assert.Equal(VerificationReasons.LayerNotComparable, (string?)Model(report)["reason"]);
    }

    public void Dispose() => dir.Delete(recursive: true);

    private static JsonNode Model(JsonNode report) => AuditExample.Status(report)["models"]!.AsArray().Single()!;

    /// <summary>The vector as a model artifact; a tar-packed one carries model.sig as a referrer, a raw one as a layer.</summary>
    private async Task<(string Source, string Digest)> PushAsync(string repository, LayerStyle style, bool tamper)
    {
        var files = ModelPusher.VectorFiles(Vector);
        if (tamper)
        {
            var bytes = (byte[])files[0].Bytes.Clone();
            bytes[^1] ^= 0x01;
            files[0] = (files[0].Path, bytes);
        }

        var bundle = SigstoreVectors.Bundle(Vector);
        var pushed = await ModelPusher.PushModelAsync(fixture.Pusher, repository, "v1", style == LayerStyle.ModelPackTar ? files : [.. files, ("model.sig", bundle)], style);
        if (style == LayerStyle.ModelPackTar)
        {
            await ModelPusher.AttachAsync(fixture.Pusher, repository, pushed, bundle);
        }

        return ($"oci://{fixture.Registry.Host}/{repository}@{pushed.Digest}", pushed.Digest);
    }

    /// <summary>The compliant example with its model at <paramref name="source"/> signed by model.sig, and the default profile trusting the vector's CA for models.</summary>
    private string Write(string source, string digest)
    {
        var example = Path.Combine(Tools.RepositoryRoot(), "examples", "llm-inference-compliant");
        var target = Path.Combine(dir.FullName, "manifests");
        Directory.CreateDirectory(target);
        foreach (var file in Directory.GetFiles(example, "*.yaml"))
        {
            var text = File.ReadAllText(file)
                .Replace($"source: {ExampleModel}", $"source: {source}\n    signature: model.sig", StringComparison.Ordinal)
                .Replace($"digest: {ExampleDigest}", $"digest: {digest}", StringComparison.Ordinal);
            File.WriteAllText(Path.Combine(target, Path.GetFileName(file)), text);
        }

        var profile = File.ReadAllText(Path.Combine(Tools.RepositoryRoot(), "examples", "profiles", "default.yaml")).Replace(
            "    allowedSchemes: [oci]\n",
            "    allowedSchemes: [oci]\n    trust:\n      certificateChains:\n      - name: acme-model-ca\n        certificates: |\n" + AuditExample.Block(File.ReadAllText(SigstoreVectors.KeyFile("ca-cert.pem")), 10),
            StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(target, "profile.yaml"), profile);
        return target;
    }
}
