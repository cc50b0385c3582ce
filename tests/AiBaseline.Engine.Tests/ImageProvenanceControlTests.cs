using AiBaseline.Api.V1Alpha1;
using AiBaseline.Engine.Controls;
using k8s.Models;
using static AiBaseline.Engine.Tests.Builders;
using static AiBaseline.Engine.Tests.ControlHarness;

namespace AiBaseline.Engine.Tests;

public sealed class ImageProvenanceControlTests
{
    private const string Pinned = "registry.example.com/ml/scorer@" + Digest;
    private const string Slsa1 = "https://slsa.dev/provenance/v1";
    private const string Slsa02 = "https://slsa.dev/provenance/v0.2";
    private static readonly ImageProvenanceControl Control = new();

    public static TheoryData<string, Snapshot, BaselineProfile, ControlResult, string, string> Cases => new()
    {
        { "a pinned image with no other rules is accepted", Snapshot(), Profile(), ControlResult.Met, ImageProvenanceControl.AcceptedReason, "pinned by digest" },
        { "a tag alone is not a pin", With("registry.example.com/ml/scorer:1.2"), Profile(), ControlResult.NotMet, ImageProvenanceControl.DigestMissingReason, "container server: image registry.example.com/ml/scorer:1.2 is not pinned by digest" },
        { ":latest is not a pin either", With("registry.example.com/ml/scorer:latest"), Profile(), ControlResult.NotMet, ImageProvenanceControl.DigestMissingReason, "scorer:latest is not pinned" },
        { "a truncated digest is malformed", With("registry.example.com/ml/scorer@sha256:1f7c"), Profile(), ControlResult.NotMet, ImageProvenanceControl.DigestMissingReason, "has a malformed digest" },
        { "tags are fine when the profile does not require digests", With("registry.example.com/ml/scorer:1.2"), Profile(p => p.Images.RequireDigest = false), ControlResult.Met, ImageProvenanceControl.AcceptedReason, "accepted as written" },
        { "init containers are checked", WithInit("registry.example.com/ml/fetch:1"), Profile(), ControlResult.NotMet, ImageProvenanceControl.DigestMissingReason, "init container fetch:" },
        { "ephemeral containers are checked", WithEphemeral("busybox"), Profile(), ControlResult.NotMet, ImageProvenanceControl.DigestMissingReason, "ephemeral container debug: image busybox" },
        { "a container without an image is named", With(""), Profile(), ControlResult.NotMet, ImageProvenanceControl.ImageMissingReason, "container server: no image is set" },
        { "an image under a trusted repository prefix passes", With("ghcr.io/acme/scorer@" + Digest), Trusting("ghcr.io/acme/"), ControlResult.Met, ImageProvenanceControl.AcceptedReason, "from trusted registries" },
        { "a prefix matches only at a path boundary", With("ghcr.io/acme-evil/scorer@" + Digest), Trusting("ghcr.io/acme/"), ControlResult.NotMet, ImageProvenanceControl.UntrustedRegistryReason, "ghcr.io/acme-evil/scorer" },
        { "a host prefix does not match a longer host", With("ghcr.io.evil.com/acme/scorer@" + Digest), Trusting("ghcr.io"), ControlResult.NotMet, ImageProvenanceControl.UntrustedRegistryReason, "is not under spec.images.trustedRegistries [ghcr.io]" },
        { "a bare name is docker.io/library", With("nginx@" + Digest), Trusting("docker.io/library/"), ControlResult.Met, ImageProvenanceControl.AcceptedReason, "" },
        { "a Docker Hub user repository is not library", With("evil/nginx@" + Digest), Trusting("docker.io/library"), ControlResult.NotMet, ImageProvenanceControl.UntrustedRegistryReason, "(docker.io/evil/nginx)" },
        { "signature keys without registry evidence leave it unknown", Snapshot(), Signing(), ControlResult.Unknown, ImageProvenanceControl.SignatureNotCheckedReason, "aibaseline audit --verify" },
        { "evidence for another image does not count", WithEvidence(Verified("registry.example.com/ml/other@" + Digest)), Signing(), ControlResult.Unknown, ImageProvenanceControl.SignatureNotCheckedReason, "container server: signatures of image " + Pinned },
        { "verified evidence meets the control", WithEvidence(Verified(Pinned)), Signing(), ControlResult.Met, ImageProvenanceControl.VerifiedReason, "verified at the registry" },
        { "failed evidence is not met with its own reason", WithEvidence(Failed(Pinned, "SignatureMissing", "no signature from a trusted key")), Signing(), ControlResult.NotMet, "SignatureMissing", "container server: no signature from a trusted key" },
        { "unavailable evidence is unknown with its own reason", WithEvidence(Unavailable(Pinned, "RegistryUnavailable", "registry.example.com did not answer")), Signing(), ControlResult.Unknown, "RegistryUnavailable", "did not answer" },
        { "the registry resolving another digest is a mismatch", WithEvidence(Verified(Pinned, "sha256:" + new string('0', 64))), Signing(), ControlResult.NotMet, ImageProvenanceControl.DigestMismatchReason, "resolved to sha256:0000" },
        { "a required attestation type must be verified", WithEvidence(Verified(Pinned, Digest, Slsa02)), Attesting(Slsa1), ControlResult.NotMet, ImageProvenanceControl.AttestationMissingReason, "no verified attestation of type " + Slsa1 },
        { "required attestations present meet the control", WithEvidence(Verified(Pinned, Digest, Slsa02, Slsa1)), Attesting(Slsa1), ControlResult.Met, ImageProvenanceControl.VerifiedReason, "" },
        { "an unpinned image is not met although another could not be checked", NotMetBeatsUnknown(), Signing(), ControlResult.NotMet, ImageProvenanceControl.DigestMissingReason, "sidecar" },
        { "keyless identities alone ask for signatures", Snapshot(), Keyless(), ControlResult.Unknown, ImageProvenanceControl.SignatureNotCheckedReason, "aibaseline audit --verify" },
        { "a certificate chain alone asks for signatures", Snapshot(), Profile(p => p.Images.CertificateChains = [new CertificateChain { Name = "ca", Certificates = "-----BEGIN CERTIFICATE-----" }]), ControlResult.Unknown, ImageProvenanceControl.SignatureNotCheckedReason, "" },
        { "a keyless signer verified meets the control", WithEvidence(Verified(Pinned)), Keyless(), ControlResult.Met, ImageProvenanceControl.VerifiedReason, "verified at the registry" },
        { "an identity mismatch is not met with the verifier's reason", WithEvidence(Failed(Pinned, "IdentityMismatch", "signed by mallory@example.com from https://accounts.example.com")), Keyless(), ControlResult.NotMet, "IdentityMismatch", "signed by mallory@example.com" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Judges_images(string reason, Snapshot snapshot, BaselineProfile profile, ControlResult result, string expectedReason, string fragment) =>
        AssertRow(Control, reason, snapshot, profile, result, expectedReason, fragment);

    [Fact]
    public void Findings_are_listed_in_the_same_order_whatever_the_container_order()
    {
        var a = Container("alpha", "registry.example.com/ml/a:1");
        var b = Container("beta", "registry.example.com/ml/b:1");

        var forward = Evaluate(Control, Snapshot(workload: Workload(a, b)));
        var backward = Evaluate(Control, Snapshot(workload: Workload(b, a)));

        Assert.Equal(forward, backward);
        Assert.StartsWith("container alpha:", forward.Message, StringComparison.Ordinal);
        Assert.Contains("; container beta:", forward.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Long_lists_of_findings_are_cut_and_counted()
    {
        var containers = Enumerable.Range(0, 8).Select(i => Container($"c{i}", $"registry.example.com/ml/c{i}:1")).ToArray();

        var outcome = Evaluate(Control, Snapshot(workload: Workload(containers)));

        Assert.EndsWith("; and 3 more", outcome.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("container c5", outcome.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void No_workload_to_judge_defers_to_the_workload_gate()
    {
        var outcome = Evaluate(Control, Snapshot() with { Workload = null });

        Assert.Equal((ControlResult.Unknown, EvaluationContext.WorkloadNotFoundReason), (outcome.Result, outcome.Reason));
    }

    [Theory]
    [InlineData("nginx", "docker.io/library/nginx", null, null, "a bare name is a Docker Hub library image")]
    [InlineData("nginx:1.27", "docker.io/library/nginx", "1.27", null, "the tag is split off")]
    [InlineData("index.docker.io/nginx", "docker.io/library/nginx", null, null, "the legacy Docker Hub host is the same registry")]
    [InlineData("acme/scorer", "docker.io/acme/scorer", null, null, "a first part without a dot is a Docker Hub user, not a host")]
    [InlineData("localhost:5000/scorer:2@sha256:ab", "localhost:5000/scorer", "2", "sha256:ab", "a host with a port keeps its port; tag and digest both parse")]
    [InlineData("GHCR.io/acme/scorer", "ghcr.io/acme/scorer", null, null, "registry hosts are case-insensitive")]
    public void Image_references_normalise_like_the_runtime(string image, string repository, string? tag, string? digest, string reason)
    {
        var parsed = ImageReference.Parse(image);

        Assert.True(new ImageReference(repository, tag, digest) == parsed, $"{reason}: got {parsed}");
    }

    private static Snapshot With(string image) => Snapshot(workload: Workload(Container("server", image)));

    private static Snapshot WithInit(string image)
    {
        var workload = Workload();
        workload.Template.Spec.InitContainers = [Container("fetch", image)];
        return Snapshot(workload: workload);
    }

    private static Snapshot WithEphemeral(string image)
    {
        var workload = Workload();
        workload.Template.Spec.EphemeralContainers = [new V1EphemeralContainer { Name = "debug", Image = image }];
        return Snapshot(workload: workload);
    }

    private static Snapshot WithEvidence(params ArtifactVerification[] evidence) => Snapshot() with { Provenance = Provenance(evidence) };

    private static Snapshot NotMetBeatsUnknown() =>
        Snapshot(workload: Workload(Container("server", Pinned), Container("sidecar", "registry.example.com/ml/proxy:1")))
        with { Provenance = Provenance(Unavailable(Pinned, "RegistryUnavailable", "registry.example.com did not answer")) };

    private static BaselineProfile Trusting(params string[] registries) => Profile(p => p.Images.TrustedRegistries = [.. registries]);

    private static BaselineProfile Signing() => Profile(p => p.Images.SignatureKeys = [new SignatureKey { Name = "release", PublicKey = "-----BEGIN PUBLIC KEY-----" }]);

    private static BaselineProfile Keyless() => Profile(p => p.Images.Identities = [new KeylessIdentity { Subject = "release@acme.example", Issuer = "https://accounts.example.com" }]);

    private static BaselineProfile Attesting(string predicateType) => Profile(p =>
    {
        p.Images.SignatureKeys = [new SignatureKey { Name = "release", PublicKey = "-----BEGIN PUBLIC KEY-----" }];
        p.Images.RequiredAttestations = [new RequiredAttestation { PredicateType = predicateType }];
    });
}
