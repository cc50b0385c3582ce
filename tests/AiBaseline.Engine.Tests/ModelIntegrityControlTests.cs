using System.Collections.Immutable;
using AiBaseline.Api.V1Alpha1;
using AiBaseline.Engine.Controls;
using static AiBaseline.Engine.Tests.Builders;
using static AiBaseline.Engine.Tests.ControlHarness;

namespace AiBaseline.Engine.Tests;

public sealed class ModelIntegrityControlTests
{
    private const string PinnedSource = "oci://registry.example.com/models/scorer@" + Digest;
    private const string TaggedSource = "oci://registry.example.com/models/scorer:v3";
    private const string PvcSource = "pvc://weights/scorer";
    private static readonly string OtherDigest = "sha256:" + new string('0', 64);
    private static readonly string Sha512 = "sha512:" + new string('a', 128);
    private static readonly ModelIntegrityControl Control = new();

    public static TheoryData<string, Snapshot, BaselineProfile, ControlResult, string, string> Cases => new()
    {
        { "an OCI artifact pinned to its declared digest is met, as pinned, not as verified", Snapshot(), Profile(), ControlResult.Met, ModelIntegrityControl.DigestPinnedReason, "the model artifact meets the profile" },
        { "an OCI artifact by tag with a declared digest is met only as declared", With(Model(TaggedSource, Digest)), Profile(), ControlResult.Met, ModelIntegrityControl.DigestDeclaredReason, "model weights (spec.models[0]) from " + TaggedSource },
        { "a missing digest is named with its index", With(Model(TaggedSource, null)), Profile(), ControlResult.NotMet, ModelIntegrityControl.DigestMissingReason, "model weights (spec.models[0]): no digest is declared" },
        { "a missing digest is fine when the profile does not require one, but nothing pins the artifact", With(Model(TaggedSource, null)), Profile(p => p.Models.RequireDigest = false), ControlResult.Met, ModelIntegrityControl.DigestDeclaredReason, "5.2.1-2 needs evidence" },
        { "a truncated digest is malformed", With(Model(TaggedSource, "sha256:1f7c")), Profile(), ControlResult.NotMet, ModelIntegrityControl.DigestMalformedReason, "digest sha256:1f7c is not" },
        { "upper-case hex is not how OCI writes digests", With(Model(TaggedSource, Digest.ToUpperInvariant())), Profile(), ControlResult.NotMet, ModelIntegrityControl.DigestMalformedReason, "" },
        { "a sha512 digest is well formed; on s3 it is only declared", With(Model("s3://models/scorer/weights.safetensors", Sha512)), Profile(), ControlResult.Met, ModelIntegrityControl.DigestDeclaredReason, "from s3://models/scorer/weights.safetensors" },
        { "a source without a scheme is malformed", With(Model("models/scorer", Digest)), Profile(), ControlResult.NotMet, ModelIntegrityControl.SourceMalformedReason, "source \"models/scorer\" has no scheme" },
        { "a manifest without a source is named, not a crash", With(Model(null!, Digest)), Profile(), ControlResult.NotMet, ModelIntegrityControl.SourceMalformedReason, "source \"\" has no scheme" },
        { "a scheme off the allowed list is named", With(Model("s3://models/scorer", Digest)), Schemes("oci", "pvc"), ControlResult.NotMet, ModelIntegrityControl.SchemeNotAllowedReason, "scheme s3 is not in spec.models.allowedSchemes [oci, pvc]" },
        { "schemes compare case-insensitively", Snapshot(), Schemes("OCI"), ControlResult.Met, ModelIntegrityControl.DigestPinnedReason, "" },
        { "an OCI source pinned to another digest than declared is a mismatch", With(Model("oci://registry.example.com/models/scorer@" + OtherDigest, Digest)), Profile(), ControlResult.NotMet, ModelIntegrityControl.DigestMismatchReason, "source is pinned to sha256:0000" },
        { "the second artifact is named by its index", With(Model(PinnedSource, Digest), Model(TaggedSource, null, "adapter")), Profile(), ControlResult.NotMet, ModelIntegrityControl.DigestMissingReason, "model adapter (spec.models[1])" },
        { "signature keys without registry evidence leave it unknown", Snapshot(), Signing(), ControlResult.Unknown, ModelIntegrityControl.SignatureNotCheckedReason, "signatures of " + PinnedSource + " were not checked" },
        { "image keyless identities sign oci:// models too", Snapshot(), Profile(p => p.Images.Identities = [new KeylessIdentity { Subject = "release@acme.example", Issuer = "https://accounts.example.com" }]), ControlResult.Unknown, ModelIntegrityControl.SignatureNotCheckedReason, "signatures of " + PinnedSource + " were not checked" },
        { "verified evidence with the declared digest is met, and only then Verified", WithEvidence(Snapshot(), Verified(PinnedSource)), Signing(), ControlResult.Met, ModelIntegrityControl.VerifiedReason, "it was verified at the registry" },
        { "the registry serving another digest than declared is a mismatch", WithEvidence(With(Model(TaggedSource, Digest)), Verified(TaggedSource, OtherDigest)), Signing(), ControlResult.NotMet, ModelIntegrityControl.DigestMismatchReason, "the registry serves sha256:0000" },
        { "failed evidence is not met with its own reason", WithEvidence(Snapshot(), Failed(PinnedSource, "SignatureMissing", "no signature from a trusted key")), Signing(), ControlResult.NotMet, "SignatureMissing", "no signature from a trusted key" },
        { "unavailable evidence is unknown with its own reason", WithEvidence(Snapshot(), Unavailable(PinnedSource, "RegistryUnavailable", "registry.example.com did not answer")), Signing(), ControlResult.Unknown, "RegistryUnavailable", "did not answer" },
        { "non-OCI artifacts cannot be verified against signature keys", With(Model("pvc://weights/scorer", Digest)), Signing(), ControlResult.Unknown, ModelIntegrityControl.NotVerifiableReason, "pvc sources cannot be verified" },
        { "non-OCI artifacts do not make it unknown without signature keys, but their digest is only declared", With(Model("https://models.example.com/scorer.bin", Digest)), Profile(), ControlResult.Met, ModelIntegrityControl.DigestDeclaredReason, "nothing here can check" },
        { "a missing digest is not met although the artifact cannot be verified", With(Model("s3://models/scorer", null)), Signing(), ControlResult.NotMet, ModelIntegrityControl.DigestMissingReason, "" },
        { "no models in Development is not met", WithStage(LifecycleStage.Development, null), Profile(), ControlResult.NotMet, ModelIntegrityControl.NoModelsDeclaredReason, "declare the model artifacts in spec.models" },
        { "an empty list in Deployment is not met", WithStage(LifecycleStage.Deployment, []), Profile(), ControlResult.NotMet, ModelIntegrityControl.NoModelsDeclaredReason, "" },
        { "no models in Design is not applicable yet", WithStage(LifecycleStage.Design, null), Profile(), ControlResult.NotApplicable, ModelIntegrityControl.NoModelsDeclaredReason, "" },
        { "a signed model whose files verified under the profile's model trust is met naming the signer", Signed(Verified(PvcSource)), Trusting(), ControlResult.Met, ModelIntegrityControl.SignatureVerifiedReason, "model weights signed by release (manifest " + Digest + ")" },
        { "a verified model signature also answers the image signature keys, which cannot check a PVC", Signed(Verified(PvcSource)), Trusting(Signing()), ControlResult.Met, ModelIntegrityControl.SignatureVerifiedReason, "signed by release" },
        { "a signed model nobody verified is unknown, saying how to verify it", Signed(), Trusting(), ControlResult.Unknown, ModelIntegrityControl.SignatureNotCheckedReason, "run `aibaseline audit --verify --model-root DIR`" },
        { "a file that differs from the signed manifest is not met with the evidence's reason", Signed(Failed(PvcSource, "FileMismatch", "signme-2 differs from the signed manifest")), Trusting(), ControlResult.NotMet, "FileMismatch", "signme-2 differs" },
        { "files not reachable where the audit ran are unknown", Signed(Unavailable(PvcSource, ModelIntegrityControl.ModelNotReachableReason, "pass --model-root DIR")), Trusting(), ControlResult.Unknown, ModelIntegrityControl.ModelNotReachableReason, "pass --model-root DIR" },
        { "a signed manifest other than the declared digest is a mismatch", Signed(Verified(PvcSource, OtherDigest)), Trusting(), ControlResult.NotMet, ModelIntegrityControl.DigestMismatchReason, "the signed manifest's digest is sha256:0000" },
        { "an oci:// model whose layers matched its signed files is met: the declared digest is the artifact's, not the signed manifest's", Signed(PinnedSource, Verified(PinnedSource, OtherDigest) with { ArtifactDigest = Digest }), Trusting(), ControlResult.Met, ModelIntegrityControl.SignatureVerifiedReason, "model weights signed by release (manifest " + OtherDigest + ")" },
        { "an oci:// model signature verified on another artifact than the declared digest is a mismatch", Signed(PinnedSource, Verified(PinnedSource, Digest) with { ArtifactDigest = OtherDigest }), Trusting(), ControlResult.NotMet, ModelIntegrityControl.DigestMismatchReason, "the registry serves sha256:0000" },
        { "a signature the profile has no model signers for is not judged", Signed(Verified(PvcSource)), Profile(), ControlResult.Met, ModelIntegrityControl.DigestDeclaredReason, "nothing here can check" },
        { "the workload is not needed", Snapshot() with { Workload = null }, Profile(), ControlResult.Met, ModelIntegrityControl.DigestPinnedReason, "pulled from an OCI registry by digest" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Judges_model_artifacts(string reason, Snapshot snapshot, BaselineProfile profile, ControlResult result, string expectedReason, string fragment) =>
        AssertRow(Control, reason, snapshot, profile, result, expectedReason, fragment);

    private static ModelArtifact Model(string source, string? digest, string name = "weights") => new() { Name = name, Source = source, Digest = digest };

    private static Snapshot With(params ModelArtifact[] models)
    {
        var deployment = Deployment();
        deployment.Spec.Models = [.. models];
        return Snapshot(deployment);
    }

    private static Snapshot WithStage(LifecycleStage stage, List<ModelArtifact>? models)
    {
        var deployment = Deployment(stage);
        deployment.Spec.Models = models;
        return Snapshot(deployment);
    }

    private static Snapshot WithEvidence(Snapshot snapshot, params ArtifactVerification[] evidence) => snapshot with { Provenance = Provenance(evidence) };

    /// <summary>A PVC model that names its signature, with the evidence of its files (keyed by model name) when given.</summary>
    private static Snapshot Signed(params ArtifactVerification[] evidence) => Signed(PvcSource, evidence);

    /// <summary>A model from <paramref name="source"/> that names its signature, with the evidence of its files when given.</summary>
    private static Snapshot Signed(string source, params ArtifactVerification[] evidence)
    {
        var model = Model(source, Digest);
        model.Signature = "model.sig";
        var snapshot = With(model);
        return evidence.Length == 0 ? snapshot : snapshot with { ModelSignatures = evidence.ToImmutableDictionary(_ => model.Name, StringComparer.Ordinal) };
    }

    private static BaselineProfile Trusting(BaselineProfile? profile = null)
    {
        profile ??= Profile();
        profile.Spec.Models.Trust = new ModelTrustPolicy { PublicKeys = [new SignatureKey { Name = "release", PublicKey = "-----BEGIN PUBLIC KEY-----" }] };
        return profile;
    }

    private static BaselineProfile Schemes(params string[] schemes) => Profile(p => p.Models.AllowedSchemes = [.. schemes]);

    private static BaselineProfile Signing() => Profile(p => p.Images.SignatureKeys = [new SignatureKey { Name = "release", PublicKey = "-----BEGIN PUBLIC KEY-----" }]);
}
