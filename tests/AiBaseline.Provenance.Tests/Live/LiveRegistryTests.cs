using System.Text;
using AiBaseline.Engine;
using AiBaseline.Provenance.Signing;

namespace AiBaseline.Provenance.Tests.Live;

/// <summary>Verification against real docker-registry processes holding real cosign signatures and attestations.</summary>
[Collection(LiveRegistryCollection.Name)]
public sealed class LiveRegistryTests(LiveRegistryFixture registry)
{
    private static readonly CancellationToken Ct = TestContext.Current.CancellationToken;

    private Task<ArtifactVerification> Verify(string scenario, TrustPolicy policy, RegistryCredentials? credentials = null) =>
        registry.NewVerifier().VerifyAsync(registry.Images[scenario], policy, credentials, Ct);

    [Fact]
    public async Task Image_signed_and_attested_by_the_trusted_key_is_verified()
    {
        var result = await Verify("signed", registry.Policy(new AttestationRequirement("https://slsa.dev/provenance/v1", LiveRegistryFixture.BuilderId)));

        Assert.Equal(VerificationOutcome.Verified, result.Outcome);
        Assert.Equal(["release"], result.SignedBy);
        Assert.Equal(["https://slsa.dev/provenance/v1"], result.AttestationTypes);
        Assert.Equal(registry.Images["signed"].Split('@')[1], result.Digest);
    }

    [Fact]
    public async Task Both_keys_are_named_when_two_trusted_keys_signed()
    {
        var policy = new TrustPolicy([TrustedKey.FromPem("release", registry.ReleaseKeyPem), TrustedKey.FromPem("second", registry.SecondKeyPem)]);
        var result = await Verify("two-keys", policy);

        Assert.Equal(VerificationOutcome.Verified, result.Outcome);
        Assert.Equal(["release", "second"], result.SignedBy);
    }

    [Fact]
    public async Task Second_key_alone_is_enough_for_the_image_it_signed()
    {
        var result = await Verify("two-keys", new TrustPolicy([TrustedKey.FromPem("second", registry.SecondKeyPem)]));

        Assert.Equal(VerificationOutcome.Verified, result.Outcome);
        Assert.Equal(["second"], result.SignedBy);
    }

    public static TheoryData<string, string> Failures => new()
    {
        // scenario, reason
        { "stranger", VerificationReasons.UntrustedSigner },   // signed, but by a key the policy does not hold
        { "unsigned", VerificationReasons.SignatureMissing },  // no .sig tag at all
        { "tampered", VerificationReasons.UntrustedSigner },   // payload edited after signing: the signature no longer verifies
        { "copied", VerificationReasons.PayloadMismatch },     // a valid signature of another image replayed at this tag
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task Bad_or_missing_signatures_fail_with_a_precise_reason(string scenario, string reason)
    {
        var result = await Verify(scenario, registry.Policy());

        Assert.Equal(VerificationOutcome.Failed, result.Outcome);
        Assert.Equal(reason, result.Reason);
        Assert.Contains($"{registry.Plain.Host}/demo/{scenario}@", result.Message, StringComparison.Ordinal);
        Assert.Empty(result.SignedBy);
    }

    [Fact]
    public async Task Missing_required_attestation_fails_although_the_signature_verifies()
    {
        var result = await Verify("two-keys", registry.Policy(new AttestationRequirement("https://slsa.dev/provenance/v1")));

        Assert.Equal(VerificationOutcome.Failed, result.Outcome);
        Assert.Equal(VerificationReasons.AttestationMissing, result.Reason);
        Assert.Equal(["release"], result.SignedBy);
    }

    [Fact]
    public async Task Attestation_from_another_builder_is_invalid()
    {
        var result = await Verify("signed", registry.Policy(new AttestationRequirement("https://slsa.dev/provenance/v1", "https://other.example/builder")));

        Assert.Equal(VerificationReasons.AttestationInvalid, result.Reason);
        Assert.Contains($"names builder {LiveRegistryFixture.BuilderId}, the policy requires https://other.example/builder", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Multi_arch_index_is_verified_by_its_own_digest_and_its_unsigned_child_is_not()
    {
        var index = await Verify("multi", registry.Policy());
        var child = await registry.NewVerifier().VerifyAsync(registry.MultiArchChild, registry.Policy(), null, Ct);

        Assert.Equal(VerificationOutcome.Verified, index.Outcome);
        Assert.Equal(registry.Images["multi"].Split('@')[1], index.Digest);
        Assert.Equal(VerificationReasons.SignatureMissing, child.Reason);
    }

    [Fact]
    public async Task Tls_registry_with_basic_auth_verifies_with_the_pull_secret()
    {
        var auth = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{LiveRegistryFixture.Robot.Username}:{LiveRegistryFixture.Robot.Password}"));
        var pullSecret = Encoding.UTF8.GetBytes($$"""{"auths":{"{{registry.Secure.Host}}":{"auth":"{{auth}}"} } }""");
        var result = await Verify("private", registry.Policy(), RegistryCredentials.FromDockerConfigJson(pullSecret));

        Assert.Equal(VerificationOutcome.Verified, result.Outcome);
        Assert.Equal(["release"], result.SignedBy);
    }

    [Fact]
    public async Task Tls_registry_without_credentials_is_unavailable_not_failed()
    {
        var result = await Verify("private", registry.Policy());

        Assert.Equal(VerificationOutcome.Unavailable, result.Outcome);
        Assert.Equal(VerificationReasons.RegistryUnauthorized, result.Reason);
        Assert.Contains($"registry {registry.Secure.Host} requires authentication", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tls_registry_whose_ca_is_not_trusted_is_unavailable()
    {
        var result = await registry.NewVerifier(trustCa: false).VerifyAsync(registry.Images["private"], registry.Policy(), null, Ct);

        Assert.Equal(VerificationOutcome.Unavailable, result.Outcome);
        Assert.Equal($"image {registry.Images["private"]}: registry {registry.Secure.Host} unavailable: SecureConnectionError after 3 attempts", result.Message);
    }

    [Fact]
    public async Task Recorded_cosign_sample_pushed_byte_for_byte_verifies_over_http()
    {
        using var pusher = new Support.ImagePusher(registry.Plain);
        await Support.SampleUpload.PushAsync(pusher, "sample/hello", Support.Vectors.Bytes);
        var policy = new TrustPolicy([TrustedKey.FromPem("release", Support.Vectors.PublicKey)],
            [new AttestationRequirement("https://slsa.dev/provenance/v1", "https://ci.example.invalid/builder@v1")]);
        var result = await registry.NewVerifier().VerifyAsync($"{registry.Plain.Host}/sample/hello:v1", policy, null, Ct);

        Assert.Equal(VerificationOutcome.Verified, result.Outcome);
        Assert.Equal(Support.SampleUpload.ImageDigest, result.Digest);
        Assert.Equal(["https://slsa.dev/provenance/v0.2", "https://slsa.dev/provenance/v1"], result.AttestationTypes);
    }
}
