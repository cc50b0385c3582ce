using System.CommandLine;
using AiBaseline.Api.V1Alpha1;
using AiBaseline.Engine;
using AiBaseline.Provenance.ModelSigning;
using AiBaseline.Provenance.Sigstore;

namespace AiBaseline.Commands;

/// <summary>
/// <c>aibaseline verify-model PATH --signature FILE</c>: verifies a model directory (or file) against its OpenSSF
/// Model Signing signature. Exit 0 verified, 1 not verified (naming the first file that differs or the signer
/// that does not match), 2 bad input. With <c>--trust-policy-env</c> the signers are a BaselineProfile's
/// spec.models.trust (any of its keys, chains or identities), as the operator's verification Job runs it; with
/// <c>--result-file</c> the outcome is also written there as one line of JSON (<see cref="Verification.ModelResultLine"/>),
/// such as the container's termination message, where the operator reads it.
/// </summary>
internal static class VerifyModelCommand
{
    private const string Name = "verify-model";

    public static Command Create(TimeProvider clock)
    {
        var path = new Argument<string>("PATH") { Description = "The model: a directory of files, or one file" };
        var signature = new Option<string>("--signature") { Description = "The OMS signature (a Sigstore bundle, usually model.sig)", Required = true };
        var publicKey = new Option<string?>("--public-key") { Description = "Trust signatures by this PEM public key" };
        var chain = new Option<string[]>("--certificate-chain") { Description = "Trust certificates that chain to this PEM certificate (repeatable)" };
        var identity = new Option<string?>("--identity") { Description = "Trust keyless signatures by this identity (e-mail or URI in the Fulcio certificate)" };
        var provider = new Option<string?>("--identity-provider") { Description = "With --identity: the OIDC issuer that vouched for it" };
        var trustedRoot = new Option<string?>("--trusted-root") { Description = "With --identity: a trusted_root.json (default: the Sigstore public-good root shipped with aibaseline)" };
        var ignore = new Option<string[]>("--ignore-paths") { Description = "A file or directory to leave out of the model (repeatable), relative to the current directory or to PATH" };
        var trustEnv = new Option<string?>("--trust-policy-env") { Description = "Trust the signers of a BaselineProfile's spec.models.trust, given as JSON in this environment variable" };
        var source = new Option<string?>("--source") { Description = "With --trust-policy-env: the model's source as the deployment names it (pvc://claim/path), for messages" };
        var resultFile = new Option<string?>("--result-file") { Description = "Also write the outcome there as one line of JSON (such as /dev/termination-log)" };
        var command = new Command(Name, "Verify a model's files against an OpenSSF Model Signing signature; exit 0 verified, 1 not verified, 2 bad input")
        {
            path, signature, publicKey, chain, identity, provider, trustedRoot, ignore, trustEnv, source, resultFile,
        };
        command.Validators.Add(r =>
        {
            var kinds = (r.GetValue(publicKey) is null ? 0 : 1) + (r.GetValue(chain) is { Length: > 0 } ? 1 : 0) + (r.GetValue(identity) is null ? 0 : 1)
                + (r.GetValue(trustEnv) is null ? 0 : 1);
            if (kinds != 1)
            {
                r.AddError("name exactly one signer: --public-key, --certificate-chain, --identity with --identity-provider, or --trust-policy-env");
            }
            else if ((r.GetValue(identity) is null) != (r.GetValue(provider) is null))
            {
                r.AddError("--identity and --identity-provider go together");
            }
            else if (r.GetValue(trustedRoot) is not null && r.GetValue(identity) is null)
            {
                r.AddError("--trusted-root is for keyless verification with --identity");
            }
        });
        command.SetAction(async (result, token) =>
        {
            var output = result.InvocationConfiguration.Output;
            var error = result.InvocationConfiguration.Error;
            var model = result.GetRequiredValue(path);
            if (result.GetValue(trustEnv) is { } variable)
            {
                return await VerifyWithProfileTrustAsync(
                    new ModelArtifact { Name = "model", Source = result.GetValue(source) ?? model, Signature = result.GetRequiredValue(signature), IgnorePaths = [.. result.GetValue(ignore) ?? []] },
                    model, variable, result.GetValue(resultFile), output, error, clock, token);
            }

            SigstorePolicy policy;
            try
            {
                policy = BuildPolicy(result.GetValue(publicKey), result.GetValue(chain) ?? [], result.GetValue(identity), result.GetValue(provider), result.GetValue(trustedRoot));
            }
            catch (ModelInputException e)
            {
                return UsageErrors.Report(error, Name, e.Message);
            }

            var ignored = (result.GetValue(ignore) ?? []).Select(p => Path.Exists(p) || Path.IsPathRooted(p) ? p : Path.Combine(model, p)).ToList();
            try
            {
                var outcome = await ModelVerifier.VerifyAsync(model, result.GetRequiredValue(signature), policy, ignored, clock.GetUtcNow(), token);
                if (outcome.Verified)
                {
                    output.WriteLine($"verified: {model}: {outcome.Message} (manifest {outcome.ManifestDigest})");
                    return 0;
                }

                output.WriteLine($"not verified: {model}: {outcome.Reason}: {outcome.Message}");
                return 1;
            }
            catch (ModelInputException e)
            {
                return UsageErrors.Report(error, Name, e.Message);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return UsageErrors.Report(error, Name, $"{model}: cannot read the model: {e.Message}");
            }
        });
        return command;
    }

    /// <summary>Verifies against every signer of a profile's spec.models.trust, with the operator's reasons, and writes the result line.</summary>
    private static async Task<int> VerifyWithProfileTrustAsync(ModelArtifact model, string path, string variable, string? resultFile, TextWriter output, TextWriter error, TimeProvider clock, CancellationToken token)
    {
        ArtifactVerification outcome;
        int code;
        try
        {
            var json = Environment.GetEnvironmentVariable(variable);
            var trust = string.IsNullOrWhiteSpace(json) ? throw new FormatException($"environment variable {variable} is empty")
                : k8s.KubernetesJson.Deserialize<ModelTrustPolicy>(json) ?? throw new FormatException($"environment variable {variable} is null");
            var signers = Verification.ModelSignatureCheck.SignersOf(trust);
            var signaturePath = Path.IsPathRooted(model.Signature!) ? model.Signature! : Path.Combine(Directory.Exists(path) ? path : Path.GetDirectoryName(path) ?? path, model.Signature!);
            outcome = await Verification.ModelSignatureCheck.VerifyAsync(model, path, signaturePath, signers, clock.GetUtcNow(), token);
            code = outcome.Outcome == VerificationOutcome.Verified ? 0 : 1;
            output.WriteLine(outcome.Outcome == VerificationOutcome.Verified ? $"verified: {outcome.Message}" : $"not verified: {outcome.Reason}: {outcome.Message}");
        }
        catch (Exception e) when (e is FormatException or System.Text.Json.JsonException)
        {
            outcome = new ArtifactVerification(model.Source, null, VerificationOutcome.Unavailable, Verification.ModelResultLine.TrustPolicyUnusable,
                $"--trust-policy-env {variable}: {e.Message}", [], [], clock.GetUtcNow());
            code = UsageErrors.Report(error, Name, outcome.Message);
        }

        if (resultFile is not null)
        {
            try
            {
                await File.WriteAllTextAsync(resultFile, Verification.ModelResultLine.Format(outcome), token);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return UsageErrors.Report(error, Name, $"--result-file {resultFile}: {e.Message}");
            }
        }

        return code;
    }

    private static SigstorePolicy BuildPolicy(string? publicKey, string[] chain, string? identity, string? provider, string? trustedRoot)
    {
        if (publicKey is not null)
        {
            return Wrap("--public-key", publicKey, () => SigstorePolicy.PublicKey(File.ReadAllText(publicKey)));
        }

        if (chain.Length > 0)
        {
            return Wrap("--certificate-chain", string.Join(", ", chain), () => SigstorePolicy.CertificateChain(chain.Select(File.ReadAllText).ToList()));
        }

        var root = trustedRoot is null
            ? TrustedRoot.PublicGood
            : Wrap("--trusted-root", trustedRoot, () => TrustedRoot.Parse(File.ReadAllBytes(trustedRoot), trustedRoot));
        return SigstorePolicy.Keyless(root, [new SigstoreIdentity(Subject: identity, Issuer: provider)]);
    }

    private static T Wrap<T>(string option, string file, Func<T> load)
    {
        try
        {
            return load();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            throw new ModelInputException($"{option} {file}: {e.Message}");
        }
    }
}
