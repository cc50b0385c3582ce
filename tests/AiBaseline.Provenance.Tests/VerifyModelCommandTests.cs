using AiBaseline.Provenance.Tests.Support;

namespace AiBaseline.Provenance.Tests;

/// <summary><c>aibaseline verify-model</c> on copies of the model-transparency vectors: exit 0 verified, 1 not verified, 2 bad input.</summary>
public sealed class VerifyModelCommandTests : IDisposable
{
    private readonly DirectoryInfo dir = Directory.CreateTempSubdirectory("verify-model-");

    public static TheoryData<string> AllVectors => [.. SigstoreVectors.All];

    public static TheoryData<string, string> EveryVectorAndFile => new()
    {
        { "v1.0.0-sigstore", "signme-1" }, { "v1.0.0-sigstore", "signme-2" },
        { "v1.0.1-sigstore", "signme-1" }, { "v1.0.1-sigstore", "signme-2" },
        { "v1.0.0-certificate", "signme-1" }, { "v1.0.0-certificate", "signme-2" },
        { "v1.0.1-certificate", "signme-1" }, { "v1.0.1-certificate", "signme-2" },
        { "v1.0.0-elliptic-key", "signme-1" },
        { "v1.0.1-elliptic-key", "signme-1" }, { "v1.0.1-elliptic-key", "signme-2" },
    };

    [Theory]
    [MemberData(nameof(AllVectors))]
    public void Every_vector_verifies_with_the_signer_it_was_made_by(string vector)
    {
        var (exit, stdout, stderr) = Run(vector, Signer(vector));

        Assert.True(exit == 0, stdout + stderr);
        Assert.StartsWith("verified: ", stdout, StringComparison.Ordinal);
        if (SigstoreVectors.Keyless.Contains(vector))
        {
            Assert.Contains("signed by stefanb@us.ibm.com from https://sigstore.verify.ibm.com/oauth2", stdout, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(EveryVectorAndFile))]
    public void One_changed_byte_in_any_file_fails_naming_that_file(string vector, string file)
    {
        var model = Copy(vector);
        var bytes = File.ReadAllBytes(Path.Combine(model, file));
        bytes[bytes.Length / 2] ^= 0x20;
        File.WriteAllBytes(Path.Combine(model, file), bytes);

        var (exit, stdout, _) = Run(vector, Signer(vector), model);

        Assert.Equal(1, exit);
        Assert.Contains($"FileMismatch: {file} differs from the signed manifest", stdout, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(AllVectors))]
    public void One_changed_byte_in_the_signature_fails(string vector)
    {
        var model = Copy(vector);
        var signature = Path.Combine(model, "model.sig");
        File.WriteAllBytes(signature, BundleEditing.FlipByte(File.ReadAllBytes(signature), "dsseEnvelope.signatures.0.sig", 12));

        var (exit, stdout, _) = Run(vector, Signer(vector), model);

        Assert.Equal(1, exit);
        Assert.Contains("SignatureMismatch", stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("v1.0.1-sigstore", "IdentityMismatch", "--identity", "someone@example.com", "--identity-provider", "https://sigstore.verify.ibm.com/oauth2")]
    [InlineData("v1.0.1-sigstore", "IdentityMismatch", "--identity", "stefanb@us.ibm.com", "--identity-provider", "https://token.actions.githubusercontent.com")]
    [InlineData("v1.0.1-certificate", "UntrustedChain", "--certificate-chain", "KEYS/signing-key-cert.pem")]
    [InlineData("v1.0.1-elliptic-key", "UntrustedKey", "--certificate-chain", "KEYS/ca-cert.pem")]
    [InlineData("v1.0.1-certificate", "UntrustedKey", "--public-key", "KEYS/signing-key-pub.pem")]
    public void The_wrong_signer_fails_with_its_reason(string vector, string reason, params string[] signer)
    {
        var (exit, stdout, stderr) = Run(vector, signer.Select(s => s.Replace("KEYS/", SigstoreVectors.KeyFile("") + "/", StringComparison.Ordinal)).ToArray());

        Assert.True(exit == 1, stdout + stderr);
        Assert.Contains($"not verified: ", stdout, StringComparison.Ordinal);
        Assert.Contains(reason, stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void A_wrong_public_key_fails()
    {
        using var other = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP384);
        var key = Path.Combine(dir.FullName, "other.pub");
        File.WriteAllText(key, other.ExportSubjectPublicKeyInfoPem());

        var (exit, stdout, _) = Run("v1.0.1-elliptic-key", ["--public-key", key, "--ignore-paths", "ignore-me"]);

        Assert.Equal(1, exit);
        Assert.Contains("SignatureMismatch", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_outside_the_manifest_fails_unless_ignored()
    {
        var signer = Signer("v1.0.1-sigstore").Where(a => a != "--ignore-paths" && a != "ignore-me").ToArray();

        var (exit, stdout, _) = Run("v1.0.1-sigstore", signer);

        Assert.Equal(1, exit);
        Assert.Contains("FileNotSigned: ignore-me is not in the signed manifest", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_signed_file_fails_naming_it()
    {
        var model = Copy("v1.0.0-certificate");
        File.Delete(Path.Combine(model, "signme-2"));

        var (exit, stdout, _) = Run("v1.0.0-certificate", Signer("v1.0.0-certificate"), model);

        Assert.Equal(1, exit);
        Assert.Contains("FileMissing: signme-2 is signed but missing", stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("two signers", "name exactly one signer", "--public-key", "KEYS/signing-key-pub.pem", "--certificate-chain", "KEYS/ca-cert.pem")]
    [InlineData("no signer", "name exactly one signer")]
    [InlineData("identity without provider", "go together", "--identity", "a@b")]
    [InlineData("unreadable key", "--public-key /nonexistent.pem", "--public-key", "/nonexistent.pem")]
    [InlineData("not a key", "not a PEM public key", "--public-key", "KEYS/../../LICENSE")]
    public void Bad_input_exits_2_with_one_line_naming_it(string why, string expected, params string[] signer)
    {
        var (exit, stdout, stderr) = Run("v1.0.1-elliptic-key", signer.Select(s => s.Replace("KEYS/", SigstoreVectors.KeyFile("") + "/", StringComparison.Ordinal)).ToArray());

        Assert.True(exit == 2, why + ": " + stdout + stderr);
        Assert.StartsWith("aibaseline verify-model: ", stderr, StringComparison.Ordinal);
        Assert.Contains(expected, stderr, StringComparison.Ordinal);
        Assert.Single(stderr.Trim().Split('\n'));
    }

    [Fact]
    public void A_signature_that_is_not_a_bundle_is_bad_input_naming_the_file()
    {
        var model = Copy("v1.0.1-elliptic-key");
        File.WriteAllText(Path.Combine(model, "model.sig"), "{\"mediaType\": 3}");

        var (exit, _, stderr) = Run("v1.0.1-elliptic-key", Signer("v1.0.1-elliptic-key"), model);

        Assert.Equal(2, exit);
        Assert.Contains("model.sig: bundle.mediaType is not a string", stderr, StringComparison.Ordinal);
    }

    public void Dispose() => dir.Delete(recursive: true);

    private static string[] Signer(string vector)
    {
        string[] ignore = vector.StartsWith("v1.0.1", StringComparison.Ordinal) ? ["--ignore-paths", "ignore-me"] : [];
        if (SigstoreVectors.Keyless.Contains(vector))
        {
            return ["--identity", SigstoreVectors.Identity, "--identity-provider", SigstoreVectors.Issuer,
                "--trusted-root", Path.Combine(SigstoreVectors.Dir, "public-good-trusted_root.json"), .. ignore];
        }

        return SigstoreVectors.Chain.Contains(vector)
            ? ["--certificate-chain", SigstoreVectors.KeyFile("ca-cert.pem"), .. ignore]
            : ["--public-key", SigstoreVectors.KeyFile("signing-key-pub.pem"), .. ignore];
    }

    private string Copy(string vector)
    {
        var target = Path.Combine(dir.FullName, vector);
        Directory.CreateDirectory(target);
        foreach (var file in Directory.GetFiles(SigstoreVectors.Model(vector)))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        }

        return target;
    }

    /// <summary>Runs the command; the model is the vector's folder (or its one file for v1.0.0-elliptic-key, signed as a single file).</summary>
    private static (int Exit, string Stdout, string Stderr) Run(string vector, string[] signer, string? modelDir = null)
    {
        modelDir ??= SigstoreVectors.Model(vector);
        var model = vector == "v1.0.0-elliptic-key" ? Path.Combine(modelDir, "signme-1") : modelDir;
        var root = new System.CommandLine.RootCommand { AiBaseline.Commands.VerifyModelCommand.Create(TimeProvider.System) };
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        string[] args = ["verify-model", model, "--signature", Path.Combine(modelDir, "model.sig"), .. signer];
        var exit = AiBaseline.Commands.UsageErrors.InvokeAsync(root.Parse(args), new System.CommandLine.InvocationConfiguration { Output = stdout, Error = stderr }).GetAwaiter().GetResult();
        return (exit, stdout.ToString(), stderr.ToString());
    }
}
