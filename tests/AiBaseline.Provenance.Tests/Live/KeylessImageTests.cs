using AiBaseline.Api.V1Alpha1;
using AiBaseline.Engine;
using AiBaseline.Provenance.Sigstore;
using AiBaseline.Provenance.Tests.Support;
using static AiBaseline.Provenance.Tests.Live.KeylessRegistryFixture;

namespace AiBaseline.Provenance.Tests.Live;

/// <summary>
/// Certificate-signed cosign images (legacy .sig tags) on a real registry, verified against a profile's images
/// section: a private CA chain or a trusted_root.json, keyless identities, and a test log's signed entry timestamps.
/// </summary>
[Collection(KeylessRegistryCollection.Name)]
public sealed class KeylessImageTests(KeylessRegistryFixture registry)
{
    private static readonly CancellationToken Ct = TestContext.Current.CancellationToken;

    private static string Signer => $"{Release.Email} from {Release.Issuer}";

    [Fact]
    public async Task Certificate_from_the_trusted_chain_with_the_right_identity_is_verified_and_names_the_signer()
    {
        var result = await Verify("good", registry.ChainPolicy(Identity()));

        Assert.Equal(VerificationOutcome.Verified, result.Outcome);
        Assert.Equal([$"release-ca: {Signer}"], result.SignedBy);
        Assert.Equal(registry.Images["good"].Split('@')[1], result.Digest);
    }

    [Fact]
    public async Task Trusted_root_without_logs_verifies_the_identity_at_the_verifiers_clock()
    {
        var result = await Verify("good", registry.RootPolicy(withLog: false, Identity()));

        Assert.Equal(VerificationOutcome.Verified, result.Outcome);
        Assert.Equal([Signer], result.SignedBy);
    }

    [Fact]
    public async Task Subject_and_issuer_regular_expressions_and_github_claims_are_matched()
    {
        var identity = new KeylessIdentity
        {
            SubjectRegExp = ".*@acme\\.test", IssuerRegExp = "https://issuer\\.acme\\..*",
            GitHubWorkflowRepository = "https://github.com/acme/scorer", GitHubWorkflowRef = "refs/heads/main", GitHubWorkflowTrigger = "push",
        };

        var result = await Verify("good", registry.ChainPolicy(identity));

        Assert.Equal(VerificationOutcome.Verified, result.Outcome);
    }

    public static TheoryData<string, string, string, string> Refusals => new()
    {
        // why, identity subject, issuer, what the message names
        { "wrong subject", "someone@acme.test", Release.Issuer, $"identity someone@acme.test from {Release.Issuer}" },
        { "wrong issuer", Release.Email, "https://accounts.other.test", $"identity {Release.Email} from https://accounts.other.test" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task Another_identity_is_refused_naming_who_signed(string why, string subject, string issuer, string message)
    {
        var result = await Verify("good", registry.ChainPolicy(Identity(subject, issuer)));

        Assert.True(VerificationOutcome.Failed == result.Outcome, why);
        Assert.Equal(SigstoreReasons.IdentityMismatch, result.Reason);
        Assert.Contains($"release-ca: signed by {Signer}, and the policy trusts certificate chain to ", result.Message, StringComparison.Ordinal);
        Assert.EndsWith(message, result.Message, StringComparison.Ordinal);
        Assert.Empty(result.SignedBy);
    }

    [Fact]
    public async Task Github_workflow_pin_on_another_repository_is_refused()
    {
        var identity = Identity();
        identity.GitHubWorkflowRepository = "acme/other";

        var result = await Verify("good", registry.ChainPolicy(identity));

        Assert.Equal(SigstoreReasons.IdentityMismatch, result.Reason);
        Assert.Contains("repo acme/other", result.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, string, string> Failures => new()
    {
        // scenario, reason, what the message says
        { "rogue", SigstoreReasons.UntrustedChain, "does not chain to a certificate authority in the trusted root" },  // its own CA in the chain annotation
        { "expired", SigstoreReasons.ExpiredAtSigning, "no transparency log entry dates it" },                     // certificate expired an hour ago
        { "tampered", SigstoreReasons.SignatureMismatch, "does not verify over the artifact" },                   // one payload byte changed after signing
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task Bad_certificate_signatures_fail_with_a_reason_of_their_own(string scenario, string reason, string message)
    {
        var result = await Verify(scenario, registry.ChainPolicy(Identity()));

        Assert.Equal(VerificationOutcome.Failed, result.Outcome);
        Assert.Equal(reason, result.Reason);
        Assert.Contains($"demo/{scenario}@", result.Message, StringComparison.Ordinal);
        Assert.Contains(message, result.Message, StringComparison.Ordinal);
        Assert.Empty(result.SignedBy);
    }

    [Fact]
    public async Task Signed_entry_timestamp_of_a_trusted_log_dates_the_signature()
    {
        var result = await Verify("logged", registry.RootPolicy(withLog: true, Identity()));

        Assert.Equal(VerificationOutcome.Verified, result.Outcome);
        Assert.Equal([Signer], result.SignedBy);
    }

    public static TheoryData<string, string, string> LogFailures => new()
    {
        // scenario, reason, what the message says
        { "good", SigstoreReasons.MissingTlogEntry, "no transparency log entry" },                         // the root has a log, the signature none
        { "logged-bad-set", SigstoreReasons.InvalidSignedEntryTimestamp, "does not verify with the key of" }, // one SET byte flipped
        { "logged-after-expiry", SigstoreReasons.ExpiredAtSigning, "and the signature was made at" },       // logged after the certificate expired
    };

    [Theory]
    [MemberData(nameof(LogFailures))]
    public async Task Root_with_a_log_requires_a_valid_signed_entry_timestamp(string scenario, string reason, string message)
    {
        var result = await Verify(scenario, registry.RootPolicy(withLog: true, Identity()));

        Assert.Equal(VerificationOutcome.Failed, result.Outcome);
        Assert.Equal(reason, result.Reason);
        Assert.Contains(message, result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Public_good_identity_does_not_accept_a_private_certificate_without_a_log_entry()
    {
        var result = await Verify("good", new ImagePolicy { Identities = [Identity()] });

        Assert.Equal(VerificationOutcome.Failed, result.Outcome);
        Assert.Equal(SigstoreReasons.MissingTlogEntry, result.Reason);
    }

    [Fact]
    public async Task Key_only_policy_names_what_it_trusts_when_only_certificates_signed()
    {
        var result = await Verify("good", new ImagePolicy { SignatureKeys = [new SignatureKey { Name = "stranger", PublicKey = Vectors.PublicKey }] });

        Assert.Equal(VerificationOutcome.Failed, result.Outcome);
        Assert.Equal(VerificationReasons.UntrustedSigner, result.Reason);
        Assert.Contains("a trusted key (stranger)", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Policies_with_other_identities_or_roots_have_other_fingerprints()
    {
        var a = TrustPolicy.FromProfile("p", registry.ChainPolicy(Identity())).Fingerprint;
        Assert.Equal(a, TrustPolicy.FromProfile("q", registry.ChainPolicy(Identity())).Fingerprint);
        Assert.NotEqual(a, TrustPolicy.FromProfile("p", registry.ChainPolicy(Identity("someone@acme.test"))).Fingerprint);
        Assert.NotEqual(a, TrustPolicy.FromProfile("p", registry.RootPolicy(withLog: false, Identity())).Fingerprint);
        Assert.NotEqual(
            TrustPolicy.FromProfile("p", registry.RootPolicy(withLog: false, Identity())).Fingerprint,
            TrustPolicy.FromProfile("p", registry.RootPolicy(withLog: true, Identity())).Fingerprint);
    }

    [Fact]
    public async Task Bundle_referrer_made_with_the_trusted_certificate_is_a_signature_and_an_attestation()
    {
        var images = registry.ChainPolicy(Identity());
        images.RequiredAttestations = [new RequiredAttestation { PredicateType = "https://slsa.dev/provenance/v1", BuilderId = BuilderId }];

        var result = await Verify("bundle", images);

        Assert.Equal(VerificationOutcome.Verified, result.Outcome);
        Assert.Equal([$"release-ca: {Signer}"], result.SignedBy);
        Assert.Equal(["https://slsa.dev/provenance/v1"], result.AttestationTypes);
    }

    public static TheoryData<string, string, string, string> BundleFailures => new()
    {
        // scenario, trusted subject, reason, what the message says
        { "bundle", "someone@acme.test", SigstoreReasons.IdentityMismatch, $"signed by {Release.Email} from {Release.Issuer}" },
        { "bundle-rogue", Release.Email, SigstoreReasons.UntrustedChain, "does not chain to a certificate authority" },
        { "bundle-tampered", Release.Email, SigstoreReasons.SignatureMismatch, "DSSE envelope's signature does not verify" },
    };

    [Theory]
    [MemberData(nameof(BundleFailures))]
    public async Task Bundle_referrers_that_do_not_verify_fail_with_the_bundles_reason(string scenario, string subject, string reason, string message)
    {
        var result = await Verify(scenario, registry.ChainPolicy(Identity(subject)));

        Assert.Equal(VerificationOutcome.Failed, result.Outcome);
        Assert.Equal(reason, result.Reason);
        Assert.Contains("1 Sigstore bundle(s) attached, none from a trusted signer", result.Message, StringComparison.Ordinal);
        Assert.Contains(message, result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Certificate_signed_attestation_in_the_att_tag_meets_the_required_attestation()
    {
        var images = registry.ChainPolicy(Identity());
        images.RequiredAttestations = [new RequiredAttestation { PredicateType = "https://slsa.dev/provenance/v1", BuilderId = BuilderId }];

        var result = await Verify("good", images);

        Assert.Equal(VerificationOutcome.Verified, result.Outcome);
        Assert.Equal(["https://slsa.dev/provenance/v1"], result.AttestationTypes);
    }

    [Fact]
    public async Task Certificate_signed_attestation_from_another_builder_is_invalid_naming_the_builder()
    {
        var images = registry.ChainPolicy(Identity());
        images.RequiredAttestations = [new RequiredAttestation { PredicateType = "https://slsa.dev/provenance/v1", BuilderId = "https://ci.other.test/builder" }];

        var result = await Verify("good", images);

        Assert.Equal(VerificationOutcome.Failed, result.Outcome);
        Assert.Equal(VerificationReasons.AttestationInvalid, result.Reason);
        Assert.Contains($"names builder {BuilderId}, the policy requires https://ci.other.test/builder", result.Message, StringComparison.Ordinal);
        Assert.Equal([$"release-ca: {Signer}"], result.SignedBy);
    }

    [Fact]
    public async Task Bundle_referrer_with_an_RFC_3161_timestamp_verifies_an_expired_certificate_valid_at_that_time()
    {
        var images = registry.TimestampRootPolicy(Identity());
        images.RequiredAttestations = [new RequiredAttestation { PredicateType = "https://slsa.dev/provenance/v1", BuilderId = BuilderId }];

        var result = await Verify("bundle-timestamped-in-time", images);

        Assert.Equal(VerificationOutcome.Verified, result.Outcome);
        Assert.Equal([Signer], result.SignedBy);
        Assert.Equal(["https://slsa.dev/provenance/v1"], result.AttestationTypes);
    }

    public static TheoryData<string, string, string> TimestampFailures => new()
    {
        // scenario, reason, what the message says
        { "bundle-timestamped-expired", SigstoreReasons.ExpiredAtSigning, ", and the signature was made at " },   // the authority dated it after the certificate expired
        { "bundle", SigstoreReasons.MissingTimestamp, "it lists no transparency log), and the bundle has none" },
    };

    [Theory]
    [MemberData(nameof(TimestampFailures))]
    public async Task Root_with_a_timestamp_authority_and_no_log_requires_a_timestamp_inside_the_certificates_validity(string scenario, string reason, string message)
    {
        var result = await Verify(scenario, registry.TimestampRootPolicy(Identity()));

        Assert.Equal(VerificationOutcome.Failed, result.Outcome);
        Assert.Equal(reason, result.Reason);
        Assert.Contains(message, result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bundle_referrer_signed_with_a_trusted_key_is_a_signature_and_an_attestation()
    {
        var images = new ImagePolicy
        {
            SignatureKeys = [new SignatureKey { Name = "release", PublicKey = registry.KeyPem }],
            RequiredAttestations = [new RequiredAttestation { PredicateType = "https://slsa.dev/provenance/v1", BuilderId = BuilderId }],
        };

        var result = await Verify("bundle-key", images);

        Assert.Equal(VerificationOutcome.Verified, result.Outcome);
        Assert.Equal(["release"], result.SignedBy);
        Assert.Equal(["https://slsa.dev/provenance/v1"], result.AttestationTypes);
    }

    public static TheoryData<string, string, string> KeyBundleFailures => new()
    {
        // why, reason, what the message says
        { "another key", SigstoreReasons.SignatureMismatch, "stranger: the DSSE envelope's signature does not verify with the signer's key" },
        { "only certificate signers trusted", SigstoreReasons.UntrustedKey, "the bundle is signed with a key, and the policy trusts only certificate signers" },
    };

    [Theory]
    [MemberData(nameof(KeyBundleFailures))]
    public async Task Bundle_referrer_signed_with_a_key_is_refused_by_other_signers(string why, string reason, string message)
    {
        var images = why == "another key"
            ? new ImagePolicy { SignatureKeys = [new SignatureKey { Name = "stranger", PublicKey = Vectors.PublicKey }] }
            : registry.ChainPolicy(Identity());

        var result = await Verify("bundle-key", images);

        Assert.Equal(VerificationOutcome.Failed, result.Outcome);
        Assert.Equal(reason, result.Reason);
        Assert.Contains("1 Sigstore bundle(s) attached, none from a trusted signer", result.Message, StringComparison.Ordinal);
        Assert.Contains(message, result.Message, StringComparison.Ordinal);
    }

    private Task<ArtifactVerification> Verify(string scenario, ImagePolicy images) =>
        new CosignVerifier(new Oci.RegistryClient(Verifiers.FastRetries(registry.Registry.Host), TimeProvider.System), TimeProvider.System)
            .VerifyAsync(registry.Images[scenario], TrustPolicy.FromProfile("keyless", images), null, Ct);
}
