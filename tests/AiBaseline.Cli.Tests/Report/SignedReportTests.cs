using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AiBaseline.Cli.Tests.Audit;

namespace AiBaseline.Cli.Tests.Report;

/// <summary>
/// <c>report --sign-key --attestation</c>: the signed DSSE in-toto attestation verifies with the real cosign
/// (<c>$AIBASELINE_COSIGN</c>, installed by tests/setup.d/20-oci-registry.sh) and with <c>report verify</c>, and
/// neither accepts the report or the envelope after one byte changed.
/// </summary>
public sealed class SignedReportTests : IDisposable
{
    private const string PredicateType = "https://aibaseline.io/attestation/conformity-report/v1alpha1";
    private readonly TempManifests temp = new();

    private static string? Cosign =>
        Environment.GetEnvironmentVariable("AIBASELINE_COSIGN") is { Length: > 0 } path && File.Exists(path) ? path : null;

    private static void SkipWithoutCosign() =>
        Assert.SkipWhen(Cosign is null, "AIBASELINE_COSIGN is not set: run tests/setup.d/20-oci-registry.sh and source its env.sh to check signed reports with the real cosign");

    public void Dispose() => temp.Dispose();

    /// <summary>Signs the examples' report; returns the report and attestation paths.</summary>
    private (string Report, string Attestation) Sign(string key, string format = "json", string? password = null)
    {
        var attestation = Path.Combine(temp.Dir, "report.intoto.json");
        var previous = Environment.GetEnvironmentVariable("COSIGN_PASSWORD");
        Environment.SetEnvironmentVariable("COSIGN_PASSWORD", password);
        try
        {
            var run = ReportHarness.Run(AuditHarness.Examples(), "-o", format, "--sign-key", key, "--attestation", attestation);
            Assert.True(run.Exit == 0, run.All);
            var report = Path.Combine(temp.Dir, $"report.{format}");
            File.WriteAllText(report, run.Stdout, new UTF8Encoding(false));
            return (report, attestation);
        }
        finally
        {
            Environment.SetEnvironmentVariable("COSIGN_PASSWORD", previous);
        }
    }

    private string PemKey(ECCurve curve)
    {
        using var key = ECDsa.Create(curve);
        File.WriteAllText(Path.Combine(temp.Dir, "key.pub"), key.ExportSubjectPublicKeyInfoPem());
        return temp.Write("key.pem", key.ExportECPrivateKeyPem());
    }

    private (string Key, string Pub) CosignKeyPair(string password)
    {
        var (exit, _, error) = RunCosign(temp.Dir, ("COSIGN_PASSWORD", password), "generate-key-pair");
        Assert.True(exit == 0, error);
        return (Path.Combine(temp.Dir, "cosign.key"), Path.Combine(temp.Dir, "cosign.pub"));
    }

    private static (int Exit, string Out, string Err) RunCosign(string directory, (string Name, string Value)? variable, params string[] arguments)
    {
        var start = new ProcessStartInfo(Cosign!) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        if (variable is { } v)
        {
            start.Environment[v.Name] = v.Value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, output.Result, error.Result);
    }

    private static (int Exit, string Err) CosignVerify(string pub, string attestation, string report)
    {
        var (exit, _, error) = RunCosign(Path.GetDirectoryName(report)!, null, "verify-blob-attestation", "--key", pub, "--signature", attestation,
            "--type", PredicateType, "--insecure-ignore-tlog=true", report);
        return (exit, error);
    }

    private static void ChangeOneByte(string path, int at)
    {
        var bytes = File.ReadAllBytes(path);
        bytes[at] = (byte)(bytes[at] == (byte)'a' ? 'b' : 'a');
        File.WriteAllBytes(path, bytes);
    }

    [Fact]
    public void A_report_signed_with_a_cosign_key_verifies_with_cosign_and_fails_after_one_byte_changes()
    {
        SkipWithoutCosign();
        var (key, pub) = CosignKeyPair("correct horse");
        var (report, attestation) = Sign(key, password: "correct horse");

        var verified = CosignVerify(pub, attestation, report);
        Assert.True(verified.Exit == 0, verified.Err);

        ChangeOneByte(report, File.ReadAllText(report).IndexOf("\"Fail\"", StringComparison.Ordinal) + 1);
        var tampered = CosignVerify(pub, attestation, report);
        Assert.NotEqual(0, tampered.Exit);
        Assert.Contains("no matching subject digest", tampered.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void A_report_signed_with_a_PEM_key_verifies_with_cosign_and_fails_when_the_envelope_changes()
    {
        SkipWithoutCosign();
        var (report, attestation) = Sign(PemKey(ECCurve.NamedCurves.nistP256), format: "html");
        var pub = Path.Combine(temp.Dir, "key.pub");

        var verified = CosignVerify(pub, attestation, report);
        Assert.True(verified.Exit == 0, verified.Err);

        TamperPayload(attestation);
        Assert.NotEqual(0, CosignVerify(pub, attestation, report).Exit);
    }

    [Fact]
    public void Report_verify_checks_the_same_offline()
    {
        var (report, attestation) = Sign(PemKey(ECCurve.NamedCurves.nistP256));
        var pub = Path.Combine(temp.Dir, "key.pub");

        var ok = ReportHarness.Run("verify", "--key", pub, "--attestation", attestation, report);
        Assert.True(ok.Exit == 0, ok.All);
        Assert.Contains("verified: a report of 5 deployments", ok.Stdout, StringComparison.Ordinal);

        File.Copy(report, report + ".orig");
        ChangeOneByte(report, 40);
        var changedReport = ReportHarness.Run("verify", "--key", pub, "--attestation", attestation, report);
        Assert.Equal(1, changedReport.Exit);
        Assert.Contains("the report file's sha256 is not a subject", changedReport.Stderr, StringComparison.Ordinal);

        TamperPayload(attestation);
        var changedEnvelope = ReportHarness.Run("verify", "--key", pub, "--attestation", attestation, report + ".orig");
        Assert.Equal(1, changedEnvelope.Exit);
        Assert.Contains("no signature of the envelope verifies", changedEnvelope.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void The_subjects_are_the_image_and_model_digests_and_the_report_file()
    {
        var (report, attestation) = Sign(PemKey(ECCurve.NamedCurves.nistP256));
        var envelope = JsonNode.Parse(File.ReadAllText(attestation))!;
        var statement = JsonNode.Parse(Convert.FromBase64String((string)envelope["payload"]!))!;
        var subjects = statement["subject"]!.AsArray().Select(s => (string)s!["digest"]!["sha256"]!).ToHashSet();

        Assert.Equal("application/vnd.in-toto+json", (string?)envelope["payloadType"]);
        Assert.Equal(PredicateType, (string?)statement["predicateType"]);
        Assert.Contains(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(report))), subjects);
        var chat = ReportHarness.Deployment(JsonDocument.Parse(File.ReadAllText(report)).RootElement, "llm-serving/llama-chat").GetProperty("subject");
        foreach (var digest in chat.GetProperty("images").EnumerateArray().Concat(chat.GetProperty("models").EnumerateArray()).Select(e => e.GetProperty("digest").GetString()!))
        {
            Assert.Contains(digest["sha256:".Length..], subjects);
        }

        Assert.Equal("ConformityReport", (string?)statement["predicate"]!["kind"]);
    }

    [Theory]
    [InlineData("wrong password", "the password does not open this cosign key")]
    [InlineData("p384", "not on curve P-256")]
    [InlineData("missing", "cannot be read")]
    [InlineData("not a key", "no PEM block")]
    public void A_key_that_cannot_sign_is_named_and_exits_2(string which, string expected)
    {
        string key;
        string? password = null;
        if (which == "wrong password")
        {
            SkipWithoutCosign();
            key = CosignKeyPair("right").Key;
            password = "wrong";
        }
        else
        {
            key = which switch
            {
                "p384" => PemKey(ECCurve.NamedCurves.nistP384),
                "not a key" => temp.Write("notes.txt", "just some notes\n"),
                _ => Path.Combine(temp.Dir, "nokey.pem"),
            };
        }

        Environment.SetEnvironmentVariable("COSIGN_PASSWORD", password);
        try
        {
            var run = ReportHarness.Run(AuditHarness.Examples(), "--sign-key", key, "--attestation", Path.Combine(temp.Dir, "a.json"));
            Assert.Equal(2, run.Exit);
            Assert.Contains(expected, run.Stderr, StringComparison.Ordinal);
            Assert.Contains(key, run.Stderr, StringComparison.Ordinal);
            Assert.Empty(run.Stdout);
        }
        finally
        {
            Environment.SetEnvironmentVariable("COSIGN_PASSWORD", null);
        }
    }

    // One byte of the signed statement changed, the envelope otherwise intact.
    private static void TamperPayload(string attestation)
    {
        var envelope = JsonNode.Parse(File.ReadAllText(attestation))!;
        var payload = Convert.FromBase64String((string)envelope["payload"]!);
        var at = Encoding.UTF8.GetString(payload).IndexOf("\"Fail\"", StringComparison.Ordinal) + 1;
        payload[at] = (byte)'P';
        envelope["payload"] = Convert.ToBase64String(payload);
        File.WriteAllText(attestation, envelope.ToJsonString());
    }
}
