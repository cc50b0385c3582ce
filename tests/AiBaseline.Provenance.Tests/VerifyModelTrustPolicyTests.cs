using System.Text.Json.Nodes;
using AiBaseline.Provenance.ModelSigning;
using AiBaseline.Provenance.Tests.Support;

namespace AiBaseline.Provenance.Tests;

/// <summary>
/// <c>aibaseline verify-model --trust-policy-env VAR --result-file FILE</c>, as the operator's verification Job runs
/// it: the signers are a profile's spec.models.trust in JSON, and the outcome is one line of JSON the operator reads
/// from the termination message.
/// </summary>
public sealed class VerifyModelTrustPolicyTests : IDisposable
{
    private const string Vector = "v1.0.0-certificate";
    private readonly DirectoryInfo dir = Directory.CreateTempSubdirectory("verify-model-trust-");
    private readonly string variable = "AIBASELINE_TEST_TRUST_" + Guid.NewGuid().ToString("N");

    [Fact]
    public void A_model_signed_under_the_profiles_certificate_chain_verifies_and_the_result_line_names_the_chain()
    {
        Environment.SetEnvironmentVariable(variable, Trust());
        var (exit, stdout, result) = Run(Copy());

        Assert.True(exit == 0, stdout);
        Assert.Equal("Verified", (string?)result!["outcome"]);
        Assert.StartsWith("acme-model-ca", (string?)result["signer"], StringComparison.Ordinal);
        Assert.StartsWith("sha256:", (string?)result["manifestDigest"], StringComparison.Ordinal);
        Assert.Contains("pvc://weights/llama", (string?)result["message"], StringComparison.Ordinal);
    }

    [Fact]
    public void A_changed_file_is_not_verified_and_the_result_line_names_it()
    {
        var model = Copy();
        var bytes = File.ReadAllBytes(Path.Combine(model, "signme-2"));
        bytes[0] ^= 0x01;
        File.WriteAllBytes(Path.Combine(model, "signme-2"), bytes);
        Environment.SetEnvironmentVariable(variable, Trust());

        var (exit, _, result) = Run(model);

        Assert.Equal(1, exit);
        Assert.Equal(("Failed", ModelVerifier.FileMismatch), ((string?)result!["outcome"], (string?)result["reason"]));
        Assert.Contains("signme-2 differs from the signed manifest", (string?)result["message"], StringComparison.Ordinal);
    }

    [Fact]
    public void An_unset_trust_policy_is_bad_input_and_the_result_line_says_why()
    {
        var (exit, stderr, result) = Run(Copy());

        Assert.Equal(2, exit);
        Assert.Contains($"--trust-policy-env {variable}: environment variable {variable} is empty", stderr, StringComparison.Ordinal);
        Assert.Equal(("Unavailable", "TrustPolicyUnusable"), ((string?)result!["outcome"], (string?)result["reason"]));
    }

    public void Dispose()
    {
        Environment.SetEnvironmentVariable(variable, null);
        dir.Delete(recursive: true);
    }

    private static string Trust() => new JsonObject
    {
        ["certificateChains"] = new JsonArray(new JsonObject { ["name"] = "acme-model-ca", ["certificates"] = File.ReadAllText(SigstoreVectors.KeyFile("ca-cert.pem")) }),
    }.ToJsonString();

    private string Copy()
    {
        var target = Directory.CreateDirectory(Path.Combine(dir.FullName, "llama")).FullName;
        foreach (var file in Directory.GetFiles(SigstoreVectors.Model(Vector)))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)), overwrite: true);
        }

        return target;
    }

    /// <summary>Runs the command; returns the exit code, stdout and stderr together, and the result line parsed.</summary>
    private (int Exit, string Output, JsonObject? Result) Run(string model)
    {
        var resultFile = Path.Combine(dir.FullName, "termination-log");
        var root = new System.CommandLine.RootCommand { AiBaseline.Commands.VerifyModelCommand.Create(TimeProvider.System) };
        var output = new StringWriter();
        string[] args = ["verify-model", model, "--signature", Path.Combine(model, "model.sig"), "--trust-policy-env", variable, "--source", "pvc://weights/llama", "--result-file", resultFile];
        var exit = AiBaseline.Commands.UsageErrors.InvokeAsync(root.Parse(args), new System.CommandLine.InvocationConfiguration { Output = output, Error = output }).GetAwaiter().GetResult();
        var line = File.Exists(resultFile) ? File.ReadAllText(resultFile) : null;
        Assert.True(line is null || !line.Contains('\n', StringComparison.Ordinal), "one line");
        return (exit, output.ToString(), line is null ? null : JsonNode.Parse(line)!.AsObject());
    }
}
