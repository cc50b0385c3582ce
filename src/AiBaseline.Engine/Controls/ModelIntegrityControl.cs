using System.Collections.Immutable;
using AiBaseline.Api.V1Alpha1;

namespace AiBaseline.Engine.Controls;

/// <summary>
/// ModelIntegrity: the model artifacts the deployment loads are declared, pinned and, where the registry
/// can prove it, verified.
/// <para>Reads: spec.models[*] (name, source, digest) and spec.stage; profile spec.models (requireDigest,
/// allowedSchemes) and spec.images signers (signatureKeys, identities, certificateChains); the snapshot's registry provenance, keyed by the source as
/// written. It does not need the workload.</para>
/// <para>Passes when every artifact declares a well-formed digest (sha256:&lt;64 hex&gt; or sha512:&lt;128 hex&gt;)
/// unless requireDigest is false; its source scheme (oci, s3, pvc, https, hf, …) is on allowedSchemes when the
/// list is set; an oci:// source pinned by @digest names the declared digest; and, when the profile has
/// signature keys, each oci:// artifact verified at its registry with the declared digest. Other schemes
/// cannot be verified online, so with signature keys they leave the control Unknown. An artifact that names a
/// signature (spec.models[*].signature), when the profile trusts model signers (spec.models.trust), is judged by
/// the snapshot's model signature evidence instead: its files verified against the OpenSSF Model Signing
/// signature of a trusted signer (and the declared digest, if any, is the signed manifest's, or for an oci://
/// artifact verified at its registry the artifact's manifest digest), a file that differs or another signer NotMet,
/// files not reachable or layers that cannot be compared Unknown. No artifacts declared is NotMet from stage
/// Development on and NotApplicable in Design.</para>
/// <para>Serves EN 304 223 5.2.4-1.2 (cryptographic hashes of models), 5.2.1-2 (secure supply chain) and
/// 5.2.1-4.2 (protect model integrity).</para>
/// </summary>
public sealed class ModelIntegrityControl : IControl
{
    /// <summary>Every artifact is declared with a digest and meets the profile.</summary>
    public const string VerifiedReason = "Verified";

    /// <summary>Met: every artifact is pulled from an OCI registry by digest, which the puller checks against the bytes.</summary>
    public const string DigestPinnedReason = "DigestPinned";

    /// <summary>Met for publishing hashes only: a digest is declared, but nothing here can check the bytes served at the source.</summary>
    public const string DigestDeclaredReason = "DigestDeclared";

    /// <summary>The provision that asks for assets to be authenticated, which a declared digest alone cannot show.</summary>
    private const string AuthenticatedAssets = "5.2.1-2";

    /// <summary>spec.models is empty.</summary>
    public const string NoModelsDeclaredReason = "NoModelsDeclared";

    /// <summary>An artifact declares no digest.</summary>
    public const string DigestMissingReason = "DigestMissing";

    /// <summary>An artifact's digest is not sha256:&lt;64 hex&gt; or sha512:&lt;128 hex&gt;.</summary>
    public const string DigestMalformedReason = "DigestMalformed";

    /// <summary>The digest the source is pinned to, or the registry resolved, differs from the declared digest.</summary>
    public const string DigestMismatchReason = "DigestMismatch";

    /// <summary>An artifact's source has no scheme://.</summary>
    public const string SourceMalformedReason = "SourceMalformed";

    /// <summary>An artifact's scheme is not on spec.models.allowedSchemes.</summary>
    public const string SchemeNotAllowedReason = "SchemeNotAllowed";

    /// <summary>Signatures are required, but a non-OCI artifact cannot be verified online.</summary>
    public const string NotVerifiableReason = "NotVerifiable";

    /// <summary>Met: every artifact is verified, and at least one by its files' model signature.</summary>
    public const string SignatureVerifiedReason = "SignatureVerified";

    /// <summary>A model names a signature, but its files could not be read where the verification ran.</summary>
    public const string ModelNotReachableReason = "ModelNotReachable";

    /// <summary>Signatures are required, but nobody checked them.</summary>
    public const string SignatureNotCheckedReason = "SignatureNotChecked";

    /// <summary>Fallback for registry evidence that failed without a reason of its own.</summary>
    public const string VerificationFailedReason = "VerificationFailed";

    /// <summary>Fallback for registry evidence that could not be gathered without a reason of its own.</summary>
    public const string VerificationUnavailableReason = "VerificationUnavailable";

    private const string OciScheme = "oci";

    public string Name => "ModelIntegrity";

    public string ConditionType => ConditionTypes.ModelIntegrityVerified;

    public ImmutableArray<string> Provisions { get; } = ["5.2.4-1.2", "5.2.1-2", "5.2.1-4.2"];

    public ControlOutcome Evaluate(EvaluationContext context)
    {
        var models = context.Deployment.Spec.Models;
        if (models is null || models.Count == 0)
        {
            return context.Stage == LifecycleStage.Design
                ? ControlOutcome.NotApplicable(NoModelsDeclaredReason, "no model artifacts are declared yet in stage Design")
                : ControlOutcome.NotMet(NoModelsDeclaredReason, "spec.models is empty: declare the model artifacts in spec.models with their digests");
        }

        var policy = context.Profile.Models;
        var signed = context.Profile.Images.HasSigners();
        var provenance = context.Snapshot.Provenance;
        var findings = new FindingSet();
        var signing = new Signing(policy.Trust?.HasSigners() == true, context.Snapshot.ModelSignatures, []);
        var assurances = new Assurance[models.Count];
        for (var i = 0; i < models.Count; i++)
        {
            assurances[i] = Check(models[i], $"model {models[i].Name} (spec.models[{i}])", policy, signed, provenance, signing, findings);
        }

        if (findings.Outcome() is { } problem)
        {
            return problem;
        }

        var what = models.Count == 1 ? "the model artifact meets the profile" : $"all {models.Count} model artifacts meet the profile";
        if (assurances.All(a => a == Assurance.Verified) && signing.Signers.Count > 0)
        {
            return ControlOutcome.Met(SignatureVerifiedReason, $"{what}; {(models.Count == 1 ? "it was" : "each was")} verified: {string.Join("; ", signing.Signers)}");
        }

        if (assurances.All(a => a == Assurance.Verified))
        {
            return ControlOutcome.Met(VerifiedReason, $"{what}; {(models.Count == 1 ? "it was" : "each was")} verified at the registry");
        }

        if (assurances.All(a => a >= Assurance.Pinned))
        {
            return ControlOutcome.Met(DigestPinnedReason, $"{what}: pulled from an OCI registry by digest, which the puller checks");
        }

        var declared = string.Join("; ", Enumerable.Range(0, models.Count).Where(i => assurances[i] == Assurance.Declared)
            .Select(i => $"model {models[i].Name} (spec.models[{i}]) from {models[i].Source}"));
        return ControlOutcome.Met(
            DigestDeclaredReason,
            $"{what}, but only by declaring digests nothing here can check: {declared}: {AuthenticatedAssets} needs evidence until the artifact is served from an OCI registry by digest or verified by signature") with
        {
            Unverified = [AuthenticatedAssets],
        };
    }

    /// <summary>What backs an artifact's digest, weakest first.</summary>
    private enum Assurance
    {
        /// <summary>Declared (or absent where the profile allows it); nothing checks the bytes.</summary>
        Declared,

        /// <summary>Pulled from an OCI registry by digest: the puller checks the bytes.</summary>
        Pinned,

        /// <summary>Verified at the registry by this tool: signatures and the served digest.</summary>
        Verified,
    }

    /// <summary>Whether the profile trusts model signers, the evidence of models' files by name, and the signers found so far.</summary>
    private sealed record Signing(bool Trusted, ImmutableDictionary<string, ArtifactVerification>? Evidence, List<string> Signers);

    /// <summary>Records what is wrong with one artifact, and returns what backs its digest.</summary>
    private static Assurance Check(ModelArtifact model, string where, ModelPolicy policy, bool signed, ImmutableDictionary<string, ArtifactVerification>? provenance, Signing signing, FindingSet findings)
    {
        var declared = string.IsNullOrWhiteSpace(model.Digest) ? null : model.Digest.Trim();
        if (declared is null)
        {
            if (policy.RequireDigest)
            {
                findings.NotMet(DigestMissingReason, $"{where}: no digest is declared: set digest to the artifact's sha256:<64 hex digits>");
            }
        }
        else if (!Digests.IsWellFormed(declared))
        {
            findings.NotMet(DigestMalformedReason, $"{where}: digest {declared} is not sha256:<64 hex digits> or sha512:<128 hex digits>");
            declared = null;
        }

        // A manifest can leave source out; the API's [Required] is enforced by the API server, not by the audit.
        var source = model.Source ?? "";
        var separator = source.IndexOf("://", StringComparison.Ordinal);
        if (separator <= 0)
        {
            findings.NotMet(SourceMalformedReason, $"{where}: source \"{source}\" has no scheme: write it as oci://, s3://, pvc:// or https://");
            return Assurance.Declared;
        }

        var scheme = source[..separator].ToLowerInvariant();
        if (policy.AllowedSchemes is { Count: > 0 } allowed && !allowed.Contains(scheme, StringComparer.OrdinalIgnoreCase))
        {
            findings.NotMet(SchemeNotAllowedReason, $"{where}: scheme {scheme} is not in spec.models.allowedSchemes [{string.Join(", ", allowed)}]: serve the artifact from an allowed source");
        }

        if (signing.Trusted && !string.IsNullOrWhiteSpace(model.Signature))
        {
            return CheckSignature(model, where, declared, signing, findings) ? Assurance.Verified : Assurance.Declared;
        }

        if (scheme != OciScheme)
        {
            if (signed)
            {
                findings.Unknown(NotVerifiableReason, $"{where}: {scheme} sources cannot be verified against the profile's signature keys: publish the artifact to an OCI registry and sign it");
            }

            return Assurance.Declared;
        }

        var at = source.LastIndexOf('@');
        var pinned = at < 0 ? null : source[(at + 1)..];
        if (pinned is not null && declared is not null && !string.Equals(pinned, declared, StringComparison.Ordinal))
        {
            findings.NotMet(DigestMismatchReason, $"{where}: source is pinned to {pinned} but digest declares {declared}: make them agree");
        }

        if (signed)
        {
            return CheckProvenance(model, where, declared, provenance, findings) ? Assurance.Verified : Assurance.Declared;
        }

        return pinned is not null && Digests.IsWellFormed(pinned) ? Assurance.Pinned : Assurance.Declared;
    }

    private static bool CheckSignature(ModelArtifact model, string where, string? declared, Signing signing, FindingSet findings)
    {
        if (signing.Evidence is null || !signing.Evidence.TryGetValue(model.Name, out var evidence))
        {
            findings.Unknown(SignatureNotCheckedReason, $"{where}: its files were not checked against signature {model.Signature}: run `aibaseline audit --verify --model-root DIR` where the files are at hand, or `aibaseline verify-model`");
            return false;
        }

        if (!Verified(evidence, where, ModelNotReachableReason, findings))
        {
            return false;
        }

        if (declared is not null && evidence.ArtifactDigest is { } served && !string.Equals(served, declared, StringComparison.Ordinal))
        {
            findings.NotMet(DigestMismatchReason, $"{where}: the registry serves {served} but digest declares {declared}: pin the artifact or correct the digest");
            return false;
        }

        if (declared is not null && evidence.ArtifactDigest is null && evidence.Digest is { } signedDigest && !string.Equals(signedDigest, declared, StringComparison.Ordinal))
        {
            findings.NotMet(DigestMismatchReason, $"{where}: the signed manifest's digest is {signedDigest} but digest declares {declared}: declare the manifest's digest or leave digest out");
            return false;
        }

        var signer = evidence.SignedBy.IsDefaultOrEmpty ? "a trusted signer" : evidence.SignedBy[0];
        signing.Signers.Add($"model {model.Name} signed by {signer}{(evidence.Digest is null ? "" : $" (manifest {evidence.Digest})")}");
        return true;
    }

    private static bool CheckProvenance(ModelArtifact model, string where, string? declared, ImmutableDictionary<string, ArtifactVerification>? provenance, FindingSet findings)
    {
        if (provenance is null || !provenance.TryGetValue(model.Source, out var evidence))
        {
            findings.Unknown(SignatureNotCheckedReason, $"{where}: signatures of {model.Source} were not checked: run the operator with registry access or `aibaseline audit --verify`");
            return false;
        }

        if (!Verified(evidence, where, VerificationUnavailableReason, findings))
        {
            return false;
        }

        if (declared is not null && evidence.Digest is { } served && !string.Equals(served, declared, StringComparison.Ordinal))
        {
            findings.NotMet(DigestMismatchReason, $"{where}: the registry serves {served} but digest declares {declared}: pin the artifact or correct the digest");
            return false;
        }

        return true;
    }

    /// <summary>Whether the evidence verified; otherwise records why (its own reason, or the default of its outcome).</summary>
    private static bool Verified(ArtifactVerification evidence, string where, string unavailableReason, FindingSet findings)
    {
        switch (evidence.Outcome)
        {
            case VerificationOutcome.Failed:
                findings.NotMet(string.IsNullOrEmpty(evidence.Reason) ? VerificationFailedReason : evidence.Reason, $"{where}: {evidence.Message}");
                return false;
            case VerificationOutcome.Unavailable:
                findings.Unknown(string.IsNullOrEmpty(evidence.Reason) ? unavailableReason : evidence.Reason, $"{where}: {evidence.Message}");
                return false;
            default:
                return true;
        }
    }
}
