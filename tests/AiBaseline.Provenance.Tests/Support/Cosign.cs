namespace AiBaseline.Provenance.Tests.Support;

/// <summary>The real cosign binary, offline (no transparency log, no Fulcio): with keys, and with keys certified by a test CA.</summary>
internal sealed class Cosign(string workDir)
{
    private const string Password = "test-only-password";
    private readonly Dictionary<string, string> environment = new()
    {
        ["COSIGN_PASSWORD"] = Password,
        ["HOME"] = workDir,
        ["DOCKER_CONFIG"] = Path.Combine(workDir, "docker"),
    };

    /// <summary>Makes a key pair in its own directory; returns the private key path and the public key PEM.</summary>
    public async Task<(string PrivateKey, string PublicPem)> GenerateKeyPairAsync(string name)
    {
        var dir = Path.Combine(workDir, "keys", name);
        Directory.CreateDirectory(dir);
        await ProcessRunner.RunAsync(Tools.Cosign, ["generate-key-pair"], environment, dir);
        return (Path.Combine(dir, "cosign.key"), await File.ReadAllTextAsync(Path.Combine(dir, "cosign.pub")));
    }

    /// <summary>Trusts <paramref name="caFile"/> and logs in to <paramref name="registry"/> for later commands.</summary>
    public void UseRegistryLogin(string registry, RegistryLogin login, string caFile)
    {
        Directory.CreateDirectory(environment["DOCKER_CONFIG"]);
        var auth = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{login.Username}:{login.Password}"));
        File.WriteAllText(Path.Combine(environment["DOCKER_CONFIG"], "config.json"), $$"""{"auths":{"{{registry}}":{"auth":"{{auth}}"} } }""");
        environment["SSL_CERT_FILE"] = caFile;
    }

    /// <summary>Signs one or more images in one cosign run.</summary>
    public Task SignAsync(string privateKey, params string[] images) =>
        ProcessRunner.RunAsync(Tools.Cosign, ["sign", "-y", "--key", privateKey, "--tlog-upload=false", "--allow-insecure-registry", .. images], environment, workDir);

    /// <summary>Signs with the key and attaches its certificate and chain (PEM files), as a private PKI or Fulcio would have issued them.</summary>
    public Task SignWithCertificateAsync(string privateKey, string certificate, string chain, string image) =>
        ProcessRunner.RunAsync(Tools.Cosign,
            ["sign", "-y", "--key", privateKey, "--certificate", certificate, "--certificate-chain", chain, "--tlog-upload=false", "--allow-insecure-registry", image],
            environment, workDir);

    /// <summary>
    /// Attests with the key and its certificate and chain: in the legacy .att tag, or with <paramref name="bundleFormat"/>
    /// as a Sigstore bundle attached as an OCI referrer.
    /// </summary>
    public Task AttestWithCertificateAsync(string privateKey, string certificate, string chain, string image, string type, string predicateJson, bool bundleFormat, string? timestampServer = null)
    {
        var predicate = Path.Combine(workDir, $"predicate-{Guid.NewGuid():N}.json");
        File.WriteAllText(predicate, predicateJson);
        return ProcessRunner.RunAsync(Tools.Cosign,
            ["attest", "-y", "--key", privateKey, "--certificate", certificate, "--certificate-chain", chain, "--tlog-upload=false",
             .. bundleFormat ? new[] { "--new-bundle-format" } : [], .. timestampServer is null ? [] : new[] { "--timestamp-server-url", timestampServer },
             "--allow-insecure-registry", "--type", type, "--predicate", predicate, image], environment, workDir);
    }

    /// <summary>
    /// Runs <c>cosign verify-attestation --new-bundle-format --trusted-root</c> offline with <paramref name="arguments"/>:
    /// cosign 2.5 fetches the Fulcio roots from TUF for keyless verification even when a trusted root is given (and
    /// refuses --certificate-chain and --ca-roots with bundles), so SIGSTORE_ROOT_FILE names the test CA instead.
    /// Returns whether cosign verified, and what it printed.
    /// </summary>
    public async Task<(bool Verified, string Output)> VerifyBundleAttestationAsync(string image, string trustedRoot, string rootFile, params string[] arguments)
    {
        var env = new Dictionary<string, string>(environment) { ["SIGSTORE_ROOT_FILE"] = rootFile };
        var (exitCode, stdout, stderr) = await ProcessRunner.TryRunAsync(Tools.Cosign,
            ["verify-attestation", "--new-bundle-format", "--trusted-root", trustedRoot, "--type", "slsaprovenance1", "--allow-insecure-registry", .. arguments, image],
            env, workDir);
        return (exitCode == 0, stderr + stdout);
    }

    /// <summary>Runs <c>cosign verify</c> offline with <paramref name="arguments"/>; fails when cosign does not verify.</summary>
    public Task VerifyAsync(string image, params string[] arguments) =>
        ProcessRunner.RunAsync(Tools.Cosign, ["verify", "--insecure-ignore-tlog", "--insecure-ignore-sct", "--allow-insecure-registry", .. arguments, image], environment, workDir);

    /// <summary>Attests with the key alone: in the legacy .att tag, or with <paramref name="bundleFormat"/> as a Sigstore bundle (public-key verification material) attached as an OCI referrer.</summary>
    public Task AttestAsync(string privateKey, string image, string type, string predicateJson, bool bundleFormat = false)
    {
        var predicate = Path.Combine(workDir, $"predicate-{Guid.NewGuid():N}.json");
        File.WriteAllText(predicate, predicateJson);
        return ProcessRunner.RunAsync(Tools.Cosign,
            ["attest", "-y", "--key", privateKey, "--tlog-upload=false", .. bundleFormat ? new[] { "--new-bundle-format" } : [],
             "--allow-insecure-registry", "--type", type, "--predicate", predicate, image], environment, workDir);
    }
}
