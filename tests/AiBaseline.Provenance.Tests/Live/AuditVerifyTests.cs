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

    private static (int Exit, JsonNode Report, string Stderr) Audit(string manifests, bool verify, params string[] extra) => AuditExample.Audit(manifests, verify, extra);

    private static JsonNode Status(JsonNode report) => AuditExample.Status(report);

    private static JsonNode Condition(JsonNode report, string type) => AuditExample.Condition(report, type);

    /// <summary>The compliant example with every image and the model at <paramref name="image"/>, and a profile trusting the release key.</summary>
    private string WriteExample(string image, string registryHost)
    {
        return AuditExample.Write(dir.FullName, image, registryHost, $"    signatureKeys:\n    - name: release\n      publicKey: |\n{AuditExample.Block(registry.ReleaseKeyPem, 8)}");
    }
}
