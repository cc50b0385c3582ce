using System.Collections.Immutable;
using AiBaseline.Api.V1Alpha1;
using AiBaseline.Engine;
using AiBaseline.Engine.Controls;
using AiBaseline.Provenance;
using AiBaseline.Provenance.ModelSigning;
using AiBaseline.Provenance.Sigstore;

namespace AiBaseline.Verification;

/// <summary>
/// Verifies a model's files against its OpenSSF Model Signing signature under a profile's spec.models.trust, with
/// the same verifier as <c>aibaseline verify-model</c>, and turns the outcome into evidence for ModelIntegrity.
/// </summary>
public static class ModelSignatureCheck
{
    /// <summary>The signers of a profile's model trust policy: each public key, each certificate chain, then all keyless identities as one.</summary>
    /// <exception cref="FormatException">A key, chain, identity or trusted root is unusable; the message names the field.</exception>
    public static ImmutableArray<ModelSigner> SignersOf(ModelTrustPolicy trust)
    {
        ArgumentNullException.ThrowIfNull(trust);
        var signers = ImmutableArray.CreateBuilder<ModelSigner>();
        foreach (var (key, i) in (trust.PublicKeys ?? []).Select((k, i) => (k, i)))
        {
            signers.Add(new ModelSigner(key.Name, Field($"spec.models.trust.publicKeys[{i}]", () => SigstorePolicy.PublicKey(key.PublicKey))));
        }

        foreach (var (chain, i) in (trust.CertificateChains ?? []).Select((c, i) => (c, i)))
        {
            signers.Add(new ModelSigner(chain.Name, Field($"spec.models.trust.certificateChains[{i}]", () => SigstorePolicy.CertificateChain([chain.Certificates]))));
        }

        if (trust.Identities is { Count: > 0 } identities)
        {
            var root = trust.TrustedRoot is null ? TrustedRoot.PublicGood
                : Field("spec.models.trust.trustedRoot", () => TrustedRoot.Parse(System.Text.Encoding.UTF8.GetBytes(trust.TrustedRoot), "spec.models.trust.trustedRoot"));
            signers.Add(new ModelSigner(null, Field("spec.models.trust.identities", () => SigstorePolicy.Keyless(root,
                identities.Select(SigstoreIdentity.FromProfile)))));
        }

        return signers.ToImmutable();
    }

    /// <summary>Evidence that the model's files could not be read here, saying how to make them readable.</summary>
    public static ArtifactVerification NotReachable(ModelArtifact model, string why, DateTimeOffset now) =>
        new(model.Source, null, VerificationOutcome.Unavailable, ModelIntegrityControl.ModelNotReachableReason, why, [], [], now);

    /// <summary>
    /// Verifies the model at <paramref name="modelPath"/> against <paramref name="signaturePath"/>: Verified naming
    /// the first trusted signer whose signature verifies and whose manifest the files match; Failed naming the file
    /// that differs, or why no trusted signer's signature verifies.
    /// </summary>
    public static async Task<ArtifactVerification> VerifyAsync(ModelArtifact model, string modelPath, string signaturePath, ImmutableArray<ModelSigner> signers, DateTimeOffset now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (!File.Exists(modelPath) && !Directory.Exists(modelPath))
        {
            return NotReachable(model, $"{modelPath} (the local copy of {model.Source}) does not exist: point --model-root at the directory that holds the files", now);
        }

        if (!File.Exists(signaturePath))
        {
            return Failed(model, VerificationReasons.SignatureMissing, $"signature {model.Signature} is not at {signaturePath}", null, null, now);
        }

        var root = Directory.Exists(modelPath) ? modelPath : Path.GetDirectoryName(modelPath) ?? modelPath;
        var ignored = (model.IgnorePaths ?? []).Where(p => !string.IsNullOrWhiteSpace(p) && !p.Split('/').Contains(".."))
            .Select(p => Path.Combine([root, .. p.Split('/', StringSplitOptions.RemoveEmptyEntries)])).ToList();
        var failures = new List<(string Reason, string Message)>();
        foreach (var signer in signers)
        {
            ModelVerificationResult result;
            try
            {
                result = await ModelVerifier.VerifyAsync(modelPath, signaturePath, signer.Policy, ignored, now, ct).ConfigureAwait(false);
            }
            catch (ModelInputException e)
            {
                return Failed(model, VerificationReasons.MalformedArtifact, e.Message, null, null, now);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return NotReachable(model, $"{modelPath}: cannot read the model: {e.Message}", now);
            }

            var who = result.Signer is null ? null : signer.Describe(result.Signer);
            if (result.Verified)
            {
                return new ArtifactVerification(model.Source, result.ManifestDigest, VerificationOutcome.Verified, VerificationReasons.Verified,
                    $"{model.Source}: {result.Message}", [who!], [], now);
            }

            if (ModelVerifier.IsFileReason(result.Reason))
            {
                return Failed(model, result.Reason, $"{model.Source}: {result.Message}, signed by {who}", who, result.ManifestDigest, now);
            }

            failures.Add((result.Reason, signer.Name is null ? result.Message : $"{signer.Name}: {result.Message}"));
        }

        var reason = failures.Count > 0 && failures.All(f => f.Reason == failures[0].Reason) ? failures[0].Reason : VerificationReasons.UntrustedSigner;
        return Failed(model, reason, $"{model.Source}: no trusted signer's signature verifies: {string.Join("; ", failures.Select(f => f.Message))}", null, null, now);
    }

    private static ArtifactVerification Failed(ModelArtifact model, string reason, string message, string? signer, string? manifestDigest, DateTimeOffset now) =>
        new(model.Source, manifestDigest, VerificationOutcome.Failed, reason, message, signer is null ? [] : [signer], [], now);

    private static T Field<T>(string field, Func<T> make)
    {
        try
        {
            return make();
        }
        catch (FormatException e)
        {
            throw new FormatException($"{field}: {e.Message}", e);
        }
    }
}
