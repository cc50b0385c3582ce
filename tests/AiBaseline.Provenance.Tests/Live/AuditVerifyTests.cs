using System.Text.Json.Nodes;
using AiBaseline.Audit;
using AiBaseline.Provenance.Tests.Support;

namespace AiBaseline.Provenance.Tests.Live;

/// <summary>
/// <c>aibaseline audit --verify</c> end to end: the compliant example, its images and model pointed at a real
/// registry holding real cosign signatures, and a profile trusting the cosign key.
/// </summary>
[Collection(LiveRegistryCollection.Name)]
public sealed class AuditVerifyTests(LiveRegistryFixture registry) : IDisposable
{
    private const string ExampleModel = "registry.acme.example/models/llama-3.1-8b-instruct@sha256:3f1c9a7e5b2d4c6f8a0e1b3d5c7f9a2b4d6e8f0a1c3e5b7d9f2a4c6e8b0d1f3a";
    private const string ExampleModelDigest = "sha256:3f1c9a7e5b2d4c6f8a0e1b3d5c7f9a2b4d6e8f0a1c3e5b7d9f2a4c6e8b0d1f3a";
    private const string ExamplePuller = "registry.acme.example/ml-platform/model-puller@sha256:9b2e4d6f8a0c1e3b5d7f9a2c4e6b8d0f1a3c5e7b9d2f4a6c8e0b1d3f5a7c9e2b";
    private const string ExampleServer = "registry.acme.example/mirror/vllm/vllm-openai@sha256:c4a8e2f6b0d3a7c1e5f9b2d6a0c4e8f1b5d9a3c7e0f4b8d2a6c1e5f9b3d7a0c4";

    private readonly DirectoryInfo dir = Directory.CreateTempSubdirectory("aibaseline-audit-verify-");

    [Fact]
    public void Signed_images_and_model_are_met_and_listed_with_signer_and_digest()
    {
        var image = registry.Images["signed"];
        var (exit, report, _) = Audit(WriteExample(image, registry.Plain.Host), verify: true);

        Assert.Equal(AuditExitCodes.Compliant, exit);
        var condition = Condition(report, "ImageProvenanceVerified");
        Assert.Equal("True", (string?)condition["status"]);
        var first = Status(report)["images"]![0]!;
        Assert.Equal(image, (string?)first["image"]);
        Assert.Equal(image.Split('@')[1], (string?)first["digest"]);
        Assert.Equal(["release"], first["signedBy"]!.AsArray().Select(n => (string?)n));
        Assert.NotNull(first["verifiedAt"]);
        Assert.Equal("True", (string?)Condition(report, "ModelIntegrityVerified")["status"]);
    }

    [Fact]
    public void Unsigned_image_is_not_met_with_the_verifiers_reason()
    {
        var image = registry.Images["unsigned"];
        var (exit, report, _) = Audit(WriteExample(image, registry.Plain.Host), verify: true);

        Assert.Equal(AuditExitCodes.NotCompliant, exit);
        var condition = Condition(report, "ImageProvenanceVerified");
        Assert.Equal("False", (string?)condition["status"]);
        Assert.Equal(VerificationReasons.SignatureMissing, (string?)condition["reason"]);
        Assert.Null(Status(report)["images"]![0]!["signedBy"]);
    }

    [Fact]
    public async Task Stopped_registry_is_unknown_and_named_and_fails_only_with_fail_on_unknown()
    {
        using var own = await RegistryProcess.StartAsync(Path.Combine(dir.FullName, "registry"));
        using var pusher = new ImagePusher(own);
        var (digest, _) = await pusher.PushImageAsync("demo/gone", "v1", "gone");
        var image = $"{own.Host}/demo/gone@{digest}";
        await registry.Cosign.SignAsync(registry.ReleaseKeyPath, image);
        var manifests = WriteExample(image, own.Host);
        own.Stop();

        var (exit, report, stderr) = Audit(manifests, verify: true);
        var condition = Condition(report, "ImageProvenanceVerified");
        Assert.Equal("Unknown", (string?)condition["status"]);
        Assert.Equal(VerificationReasons.RegistryUnavailable, (string?)condition["reason"]);
        Assert.Contains($"registry {own.Host} unavailable", (string?)condition["message"], StringComparison.Ordinal);
        Assert.Equal(AuditExitCodes.Compliant, exit);
        Assert.Contains("--fail-on-unknown", stderr, StringComparison.Ordinal);
        Assert.Equal(AuditExitCodes.NotCompliant, Audit(manifests, verify: true, "--fail-on-unknown").Exit);
    }

    [Fact]
    public void Without_verify_signatures_are_reported_not_checked()
    {
        var (exit, report, _) = Audit(WriteExample(registry.Images["signed"], registry.Plain.Host), verify: false);

        Assert.Equal(AuditExitCodes.Compliant, exit);
        var condition = Condition(report, "ImageProvenanceVerified");
        Assert.Equal("Unknown", (string?)condition["status"]);
        Assert.Equal("SignatureNotChecked", (string?)condition["reason"]);
        Assert.Null(Status(report)["images"]![0]!["signedBy"]);
    }

    public void Dispose() => dir.Delete(recursive: true);

    private static (int Exit, JsonNode Report, string Stderr) Audit(string manifests, bool verify, params string[] extra)
    {
        var root = new System.CommandLine.RootCommand { AiBaseline.Commands.AuditCommand.Create(TimeProvider.System) };
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        string[] args = ["audit", manifests, "-o", "json", .. verify ? new[] { "--verify", "--verify-timeout", "5" } : [], .. extra];
        var exit = root.Parse(args).Invoke(new System.CommandLine.InvocationConfiguration { Output = stdout, Error = stderr });
        Assert.True(exit != AuditExitCodes.BadInput, stderr.ToString());
        return (exit, JsonNode.Parse(stdout.ToString())!, stderr.ToString());
    }

    private static JsonNode Status(JsonNode report) => report["items"]![0]!["status"]!;

    private static JsonNode Condition(JsonNode report, string type) =>
        Status(report)["conditions"]!.AsArray().Single(c => (string?)c!["type"] == type)!;

    /// <summary>The compliant example with every image and the model at <paramref name="image"/>, and a profile trusting the release key.</summary>
    private string WriteExample(string image, string registryHost)
    {
        var digest = image.Split('@')[1];
        var example = Path.Combine(Tools.RepositoryRoot(), "examples", "llm-inference-compliant");
        var target = Path.Combine(dir.FullName, "manifests");
        Directory.CreateDirectory(target);
        foreach (var file in Directory.GetFiles(example, "*.yaml"))
        {
            var text = File.ReadAllText(file).Replace(ExampleModel, image, StringComparison.Ordinal).Replace(ExampleModelDigest, digest, StringComparison.Ordinal)
                .Replace(ExamplePuller, image, StringComparison.Ordinal).Replace(ExampleServer, image, StringComparison.Ordinal);
            File.WriteAllText(Path.Combine(target, Path.GetFileName(file)), text);
        }

        var key = string.Join("", registry.ReleaseKeyPem.Trim().Split('\n').Select(line => "        " + line + "\n"));
        var profile = File.ReadAllText(Path.Combine(Tools.RepositoryRoot(), "examples", "profiles", "default.yaml")).Replace(
            "    - registry.acme.example/\n",
            $"    - {registryHost}/\n    signatureKeys:\n    - name: release\n      publicKey: |\n{key}",
            StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(target, "profile.yaml"), profile);
        return target;
    }
}
