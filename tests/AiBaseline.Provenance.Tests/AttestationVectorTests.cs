using System.Text;
using AiBaseline.Engine;
using AiBaseline.Provenance.Signing;
using AiBaseline.Provenance.Tests.Support;

namespace AiBaseline.Provenance.Tests;

/// <summary>DSSE attestations cosign 2.5 wrote (SLSA v0.2 and v1), checked offline.</summary>
public sealed class AttestationVectorTests
{
    private static readonly CancellationToken Ct = TestContext.Current.CancellationToken;

    public static TheoryData<string, string?, VerificationOutcome, string> Requirements => new()
    {
        // predicate type, builder id, expected outcome, expected reason
        { "https://slsa.dev/provenance/v1", null, VerificationOutcome.Verified, VerificationReasons.Verified },
        { "https://slsa.dev/provenance/v1", "https://ci.example.invalid/builder@v1", VerificationOutcome.Verified, VerificationReasons.Verified },
        { "https://slsa.dev/provenance/v1", "https://evil.example/builder", VerificationOutcome.Failed, VerificationReasons.AttestationInvalid },
        { "https://slsa.dev/provenance/v0.2", "https://ci.example.invalid/builder@v1", VerificationOutcome.Verified, VerificationReasons.Verified },
        { "https://spdx.dev/Document", null, VerificationOutcome.Failed, VerificationReasons.AttestationMissing },
    };

    [Theory]
    [MemberData(nameof(Requirements))]
    public async Task Required_attestation_is_checked_by_type_and_builder(string predicateType, string? builderId, VerificationOutcome outcome, string reason)
    {
        var policy = Verifiers.SampleKey(new AttestationRequirement(predicateType, builderId));
        var result = await Verifiers.Over(FakeRegistryHandler.WithSampleImage()).VerifyAsync(Vectors.Image, policy, null, Ct);

        Assert.Equal(outcome, result.Outcome);
        Assert.Equal(reason, result.Reason);
        Assert.Equal(["release"], result.SignedBy);
    }

    [Fact]
    public void Envelope_verifies_over_pae_and_names_its_predicate_type()
    {
        using var key = TrustedKey.FromPem("release", Vectors.PublicKey);
        var (attestation, problem, _) = DsseCheck.Check(Vectors.Bytes("att-envelope-1.json"), Vectors.ImageDigest, [key]);

        Assert.Null(problem);
        Assert.Equal("https://slsa.dev/provenance/v1", attestation!.PredicateType);
        Assert.Equal("https://ci.example.invalid/builder@v1", AttestationSearch.BuilderId(attestation.Predicate));
    }

    [Fact]
    public void Pae_has_the_dsse_v1_layout()
    {
        var pae = Encoding.UTF8.GetString(DsseCheck.Pae("application/vnd.in-toto+json", Encoding.UTF8.GetBytes("{\"a\":1}")));
        Assert.Equal("DSSEv1 28 application/vnd.in-toto+json 7 {\"a\":1}", pae);
    }

    [Fact]
    public void Envelope_for_another_subject_is_rejected()
    {
        using var key = TrustedKey.FromPem("release", Vectors.PublicKey);
        var (attestation, problem, type) = DsseCheck.Check(Vectors.Bytes("att-envelope-0.json"), "sha256:" + new string('2', 64), [key]);

        Assert.Null(attestation);
        Assert.Equal("its subject is another digest", problem);
        Assert.Equal("https://slsa.dev/provenance/v0.2", type);
    }

    [Fact]
    public async Task Attestation_signed_by_an_untrusted_key_is_invalid_not_missing()
    {
        var policy = new TrustPolicy([Verifiers.StrangerKey()], [new AttestationRequirement("https://slsa.dev/provenance/v1")]);
        var handler = FakeRegistryHandler.WithSampleImage();
        var attestations = new AttestationSearch(
            new Oci.RegistryClient(Verifiers.FastRetries(Vectors.Registry), TimeProvider.System, handler),
            Oci.ImageReference.TryParse(Vectors.Image)!, Vectors.ImageDigest, policy, null, DateTimeOffset.UtcNow);
        var (types, failure) = await attestations.RunAsync(Task.FromResult(BundleSearchResult.None), Ct);

        Assert.Empty(types);
        Assert.Equal(VerificationReasons.AttestationInvalid, failure!.Reason);
        Assert.Contains("no trusted key signed it", failure.Message, StringComparison.Ordinal);
    }
}
