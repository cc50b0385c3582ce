using System.Text.Json.Nodes;

namespace AiBaseline.Cli.Tests.Audit;

/// <summary>
/// <c>audit --verify --model-root</c>: the compliant example with its model served from a PVC and signed with
/// OpenSSF Model Signing (model-transparency's certificate-chain vector), the profile trusting that private CA.
/// </summary>
public sealed class ModelRootAuditTests : IDisposable
{
    /// <summary>sha256 over the vector's per-file digests, as `aibaseline verify-model` prints it.</summary>
    private const string ManifestDigest = "sha256:61d4849d9d90076d6215f4d525f13d6574af8e3f67aef3e6f36fc40a14fdd226";
    private const string Source = "pvc://model-weights/llama-3.1-8b-instruct";

    private readonly TempManifests temp = new();
    private readonly string manifests;
    private readonly string weights;

    public ModelRootAuditTests()
    {
        manifests = Path.Combine(temp.Dir, "manifests");
        weights = Path.Combine(temp.Dir, "weights");
        foreach (var file in Directory.GetFiles(AuditHarness.Examples("llm-inference-compliant")))
        {
            temp.Write(Path.Combine("manifests", Path.GetFileName(file)), File.ReadAllText(file));
        }

        var deployment = Path.Combine(manifests, "aimodeldeployment.yaml");
        File.WriteAllText(deployment, SignedModel(File.ReadAllText(deployment)));
        WriteProfile(Trust("certificateChains", "acme-model-ca", "certificates", Vector("keys", "certificate", "ca-cert.pem")));

        var model = Path.Combine(weights, "model-weights", "llama-3.1-8b-instruct");
        Directory.CreateDirectory(model);
        foreach (var file in Directory.GetFiles(Vector("v1.0.0-certificate")))
        {
            File.Copy(file, Path.Combine(model, Path.GetFileName(file)));
        }
    }

    [Fact]
    public void The_signed_model_directory_verifies_and_ModelIntegrity_is_met_naming_the_signer()
    {
        var (run, condition, status) = Audit("--model-root", weights);

        Assert.True(run.Exit == 0, run.All);
        Assert.Equal(("True", "SignatureVerified"), ((string)condition["status"]!, (string)condition["reason"]!));
        Assert.Contains("model llama-3.1-8b-instruct signed by acme-model-ca, CN=intermediate-ca", (string)condition["message"]!, StringComparison.Ordinal);
        Assert.Equal(Source, (string)status["source"]!);
        Assert.Equal(ManifestDigest, (string)status["manifestDigest"]!);
        Assert.StartsWith("acme-model-ca, ", (string)status["signer"]!, StringComparison.Ordinal);
        Assert.NotNull(status["verifiedAt"]);
        Assert.Null(status["reason"]);
    }

    [Fact]
    public void A_prefix_mapping_reaches_the_same_files()
    {
        var (run, condition, _) = Audit("--model-root", $"pvc://model-weights={Path.Combine(weights, "model-weights")}");

        Assert.True(run.Exit == 0, run.All);
        Assert.Equal("SignatureVerified", (string)condition["reason"]!);
    }

    [Theory]
    [InlineData("signme-1")]
    [InlineData("signme-2")]
    public void One_changed_byte_in_a_file_is_not_met_naming_the_file(string file)
    {
        var path = Path.Combine(weights, "model-weights", "llama-3.1-8b-instruct", file);
        var bytes = File.ReadAllBytes(path);
        bytes[0] ^= 0x01;
        File.WriteAllBytes(path, bytes);

        var (run, condition, status) = Audit("--model-root", weights);

        Assert.Equal(1, run.Exit);
        Assert.Equal(("False", "FileMismatch"), ((string)condition["status"]!, (string)condition["reason"]!));
        Assert.Contains($"{file} differs from the signed manifest", (string)condition["message"]!, StringComparison.Ordinal);
        Assert.Equal("FileMismatch", (string)status["reason"]!);
        Assert.Null(status["verifiedAt"]);
    }

    [Fact]
    public void A_deleted_file_and_an_added_one_are_told_apart()
    {
        var model = Path.Combine(weights, "model-weights", "llama-3.1-8b-instruct");
        File.Delete(Path.Combine(model, "signme-2"));

        var (missing, condition, status) = Audit("--model-root", weights);

        Assert.Equal(1, missing.Exit);
        Assert.Equal(("False", "FileMissing"), ((string)condition["status"]!, (string)condition["reason"]!));
        Assert.Contains("signme-2 is signed but missing", (string)condition["message"]!, StringComparison.Ordinal);
        Assert.Equal("FileMissing", (string)status["reason"]!);

        File.WriteAllText(Path.Combine(model, "signme-2"), "not the signed bytes");
        File.WriteAllText(Path.Combine(model, "adapter.bin"), "added after signing");
        (_, condition, status) = Audit("--model-root", weights);

        Assert.Equal(("False", "FileNotSigned"), ((string)condition["status"]!, (string)condition["reason"]!));
        Assert.Contains("adapter.bin is not in the signed manifest", (string)condition["message"]!, StringComparison.Ordinal);
        Assert.Equal("FileNotSigned", (string)status["reason"]!);
    }

    [Fact]
    public void A_signer_the_profile_does_not_trust_is_not_met()
    {
        WriteProfile(Trust("publicKeys", "release-key", "publicKey", Vector("keys", "certificate", "signing-key-pub.pem")));

        var (run, condition, status) = Audit("--model-root", weights);

        Assert.Equal(1, run.Exit);
        Assert.Equal(("False", "UntrustedKey"), ((string)condition["status"]!, (string)condition["reason"]!));
        Assert.Contains("release-key: ", (string)condition["message"]!, StringComparison.Ordinal);
        Assert.Null(status["signer"]);
    }

    [Fact]
    public void Without_model_root_it_is_unknown_saying_how_to_make_it_verifiable()
    {
        var (run, condition, status) = Audit();

        Assert.Equal(0, run.Exit); // Unknown is not a failure unless --fail-on-unknown
        Assert.Equal(("Unknown", "ModelNotReachable"), ((string)condition["status"]!, (string)condition["reason"]!));
        Assert.Contains("pass --model-root DIR (pvc://CLAIM/PATH is read from DIR/CLAIM/PATH)", (string)condition["message"]!, StringComparison.Ordinal);
        Assert.Equal("ModelNotReachable", (string)status["reason"]!);
    }

    [Fact]
    public void A_source_no_model_root_maps_is_unknown_naming_the_mapping_to_add()
    {
        var (_, condition, _) = Audit("--model-root", $"pvc://other-claim={weights}");

        Assert.Equal(("Unknown", "ModelNotReachable"), ((string)condition["status"]!, (string)condition["reason"]!));
        Assert.Contains($"no --model-root maps {Source} (scheme pvc): add --model-root pvc://model-weights=DIR", (string)condition["message"]!, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_verify_the_signature_is_unknown_as_not_checked_and_model_root_alone_is_bad_input()
    {
        var run = AuditHarness.Run(manifests, "-o", "json");
        Assert.Equal("SignatureNotChecked", (string)Condition(run)["reason"]!);

        var alone = AuditHarness.Run(manifests, "--model-root", weights);
        Assert.Equal(2, alone.Exit);
        Assert.Contains("--model-root is for --verify", alone.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/nonexistent/weights", "/nonexistent/weights: --model-root: is not a directory")]
    [InlineData("pvc://weights", "pvc://weights: --model-root: is a source without a directory")]
    public void An_unusable_model_root_is_bad_input_naming_it(string root, string expected)
    {
        var run = AuditHarness.Run(manifests, "--verify", "--model-root", root);

        Assert.Equal(2, run.Exit);
        Assert.Contains(expected, run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_signature_file_is_not_met()
    {
        File.Delete(Path.Combine(weights, "model-weights", "llama-3.1-8b-instruct", "model.sig"));

        var (run, condition, _) = Audit("--model-root", weights);

        Assert.Equal(1, run.Exit);
        Assert.Equal(("False", "SignatureMissing"), ((string)condition["status"]!, (string)condition["reason"]!));
        Assert.Contains("signature model.sig is not at ", (string)condition["message"]!, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unusable_trusted_key_is_bad_input_naming_the_profile_and_field()
    {
        WriteProfile("    trust:\n      publicKeys:\n      - name: release-key\n        publicKey: not a key\n");

        var run = AuditHarness.Run(manifests, "--verify", "--model-root", weights);

        Assert.Equal(2, run.Exit);
        Assert.Contains("BaselineProfile/default: spec.models.trust.publicKeys[0]: not a PEM public key", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_deployment_without_model_signatures_has_no_models_status()
    {
        var run = AuditHarness.Run(AuditHarness.Examples("llm-inference-compliant"), AuditHarness.Examples("profiles"), "-o", "json");

        Assert.Null(JsonNode.Parse(run.Stdout)!["items"]![0]!["status"]!["models"]);
    }

    public void Dispose() => temp.Dispose();

    private static string Vector(params string[] parts) => Path.Combine([AppContext.BaseDirectory, "Vectors", "model-transparency", .. parts]);

    private (AuditResult Run, JsonNode Condition, JsonNode Status) Audit(params string[] extra)
    {
        var run = AuditHarness.Run([manifests, "--verify", "-o", "json", .. extra]);
        var status = JsonNode.Parse(run.Stdout)!["items"]![0]!["status"]!["models"]!.AsArray().Single()!;
        return (run, Condition(run), status);
    }

    private static JsonNode Condition(AuditResult run) =>
        JsonNode.Parse(run.Stdout)!["items"]![0]!["status"]!["conditions"]!.AsArray().Single(c => (string)c!["type"]! == "ModelIntegrityVerified")!;

    /// <summary>The example's model, served from a PVC with its OMS signature beside the files.</summary>
    private static string SignedModel(string yaml)
    {
        var lines = yaml.Split('\n').ToList();
        var source = lines.FindIndex(l => l.TrimStart().StartsWith("source: oci://registry.acme.example/models/llama", StringComparison.Ordinal));
        lines[source] = $"    source: {Source}";
        lines[source + 1] = $"    digest: {ManifestDigest}\n    signature: model.sig";
        return string.Join('\n', lines);
    }

    private static string Trust(string list, string name, string field, string pemFile) =>
        $"    trust:\n      {list}:\n      - name: {name}\n        {field}: |\n"
        + string.Concat(File.ReadAllLines(pemFile).Where(l => l.Length > 0).Select(l => $"          {l}\n"));

    private void WriteProfile(string trust)
    {
        var profile = File.ReadAllText(AuditHarness.Examples(Path.Combine("profiles", "default.yaml")))
            .Replace("    allowedSchemes: [oci]\n", "    allowedSchemes: [oci, pvc]\n" + trust, StringComparison.Ordinal);
        Assert.Contains("trust:", profile, StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(manifests, "profile.yaml"), profile);
    }
}
