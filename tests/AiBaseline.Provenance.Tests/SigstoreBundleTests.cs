using System.Text;
using System.Text.Json.Nodes;
using AiBaseline.Provenance.Sigstore;
using AiBaseline.Provenance.Tests.Support;

namespace AiBaseline.Provenance.Tests;

/// <summary>The Sigstore bundle verifier against the real model-transparency vectors, and what each kind of tampering is reported as.</summary>
public sealed class SigstoreBundleTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 15, 0, 0, 0, TimeSpan.Zero);

    public static TheoryData<string> AllVectors => [.. SigstoreVectors.All];

    public static TheoryData<string> KeylessVectors => [.. SigstoreVectors.Keyless];

    private static SigstoreVerification Verify(byte[] bundle, SigstorePolicy policy) =>
        SigstoreVerifier.Verify(SigstoreBundle.Parse(bundle), policy, null, Now);

    private static string Reason(byte[] bundle, SigstorePolicy policy) =>
        Assert.Throws<SigstoreVerificationException>(() => Verify(bundle, policy)).Reason;

    [Theory]
    [MemberData(nameof(AllVectors))]
    public void Every_vector_verifies_with_the_policy_it_was_signed_for(string vector)
    {
        var result = Verify(SigstoreVectors.Bundle(vector), SigstoreVectors.RightPolicy(vector));

        Assert.NotNull(result.Envelope);
        Assert.Contains("model_signing/signature/v1.0", Encoding.UTF8.GetString(result.Envelope.Payload), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(KeylessVectors))]
    public void A_keyless_vector_names_its_signer_and_the_log_time(string vector)
    {
        var result = Verify(SigstoreVectors.Bundle(vector), SigstoreVectors.KeylessPolicy());

        Assert.Equal($"{SigstoreVectors.Identity} from {SigstoreVectors.Issuer}", result.Signer);
        Assert.NotNull(result.SignedAt);
        Assert.Equal(2025, result.SignedAt.Value.Year);
    }

    [Theory]
    [MemberData(nameof(KeylessVectors))]
    public void Another_identity_or_issuer_is_IdentityMismatch_naming_the_signer(string vector)
    {
        var bundle = SigstoreVectors.Bundle(vector);

        var wrongSubject = Assert.Throws<SigstoreVerificationException>(() => Verify(bundle, SigstoreVectors.KeylessPolicy(subject: "someone@example.com")));
        Assert.Equal(SigstoreReasons.IdentityMismatch, wrongSubject.Reason);
        Assert.Contains("stefanb@us.ibm.com", wrongSubject.Message, StringComparison.Ordinal);
        Assert.Equal(SigstoreReasons.IdentityMismatch, Reason(bundle, SigstoreVectors.KeylessPolicy(issuer: "https://accounts.google.com")));
    }

    [Theory]
    [InlineData("stefanb@.*", "https://sigstore\\.verify\\.ibm\\.com/.*", true)]
    [InlineData(".*@us\\.ibm\\.com", ".*", true)]
    [InlineData("stefanb", ".*", false)] // must match the whole subject
    [InlineData(".*", "https://github\\.com/.*", false)]
    public void Regular_expressions_match_the_whole_subject_and_issuer(string subject, string issuer, bool verifies)
    {
        var policy = SigstorePolicy.Keyless(SigstoreVectors.Root, [new SigstoreIdentity(SubjectRegex: subject, IssuerRegex: issuer)]);
        var bundle = SigstoreVectors.Bundle("v1.0.1-sigstore");

        if (verifies)
        {
            Verify(bundle, policy);
        }
        else
        {
            Assert.Equal(SigstoreReasons.IdentityMismatch, Reason(bundle, policy));
        }
    }

    [Fact]
    public void A_GitHub_workflow_pin_fails_for_a_certificate_made_outside_GitHub()
    {
        var policy = SigstorePolicy.Keyless(SigstoreVectors.Root,
            [new SigstoreIdentity(Subject: SigstoreVectors.Identity, Issuer: SigstoreVectors.Issuer, GitHubRepository: "sigstore/model-transparency")]);

        Assert.Equal(SigstoreReasons.IdentityMismatch, Reason(SigstoreVectors.Bundle("v1.0.1-sigstore"), policy));
    }

    [Theory]
    [MemberData(nameof(AllVectors))]
    public void A_wrong_key_is_rejected(string vector)
    {
        using var other = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP384);
        var policy = SigstorePolicy.PublicKey(other.ExportSubjectPublicKeyInfoPem());
        var reason = Reason(SigstoreVectors.Bundle(vector), policy);

        // A certificate-signed bundle under a key policy is refused before any signature is tried.
        Assert.Equal(SigstoreVectors.Key.Contains(vector) ? SigstoreReasons.SignatureMismatch : SigstoreReasons.UntrustedKey, reason);
    }

    [Theory]
    [MemberData(nameof(AllVectors))]
    public void A_wrong_chain_is_UntrustedChain(string vector)
    {
        using var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=other-ca", key, System.Security.Cryptography.HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new System.Security.Cryptography.X509Certificates.X509BasicConstraintsExtension(true, false, 0, true));
        using var ca = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddYears(-5), DateTimeOffset.UtcNow.AddYears(5));
        var policy = SigstorePolicy.CertificateChain([ca.ExportCertificatePem()]);

        var reason = Reason(SigstoreVectors.Bundle(vector), policy);

        Assert.Equal(SigstoreVectors.Key.Contains(vector) ? SigstoreReasons.UntrustedKey : SigstoreReasons.UntrustedChain, reason);
    }

    [Fact]
    public void A_private_chain_verifies_from_its_intermediate_and_not_under_the_public_good_policy()
    {
        // Trusting only the intermediate also verifies (it is a CA on the path); the keyless policy needs a log entry it does not have.
        Verify(SigstoreVectors.Bundle("v1.0.1-certificate"), SigstoreVectors.ChainPolicy("int-ca-cert.pem"));
        Assert.Equal(SigstoreReasons.MissingTlogEntry, Reason(SigstoreVectors.Bundle("v1.0.1-certificate"), SigstoreVectors.KeylessPolicy()));
    }

    [Fact]
    public void A_keyless_bundle_under_a_private_chain_policy_is_UntrustedChain()
    {
        Assert.Equal(SigstoreReasons.UntrustedChain, Reason(SigstoreVectors.Bundle("v1.0.1-sigstore"), SigstoreVectors.ChainPolicy()));
    }

    public static TheoryData<string, string, string> Tamperings => new()
    {
        { "dsseEnvelope.signatures.0.sig", "signature", SigstoreReasons.SignatureMismatch },
        { "dsseEnvelope.payload", "payload", SigstoreReasons.SignatureMismatch },
        { "verificationMaterial.certificate.rawBytes", "certificate", SigstoreReasons.TlogEntryMismatch },
        { "verificationMaterial.tlogEntries.0.inclusionPromise.signedEntryTimestamp", "SET", SigstoreReasons.InvalidSignedEntryTimestamp },
        { "verificationMaterial.tlogEntries.0.inclusionProof.hashes.3", "proof hash", SigstoreReasons.InvalidInclusionProof },
        { "verificationMaterial.tlogEntries.0.inclusionProof.checkpoint.envelope", "checkpoint", SigstoreReasons.InvalidInclusionProof },
        { "verificationMaterial.tlogEntries.0.canonicalizedBody", "log entry body", SigstoreReasons.TlogEntryMismatch },
        { "verificationMaterial.tlogEntries.0.logId.keyId", "log id", SigstoreReasons.MissingTlogEntry },
    };

    [Theory]
    [MemberData(nameof(Tamperings))]
    public void One_changed_byte_in_a_keyless_bundle_is_rejected_with_its_reason(string field, string what, string reason)
    {
        var bundle = BundleEditing.FlipByte(SigstoreVectors.Bundle("v1.0.1-sigstore"), field, 20);

        var error = Assert.Throws<SigstoreVerificationException>(() => Verify(bundle, SigstoreVectors.KeylessPolicy()));

        Assert.True(error.Reason == reason, $"{what}: expected {reason}, got {error.Reason}: {error.Message}");
    }

    [Fact]
    public void A_certificate_signed_by_another_CA_is_UntrustedChain_and_an_SCT_is_required()
    {
        var root = JsonNode.Parse(File.ReadAllText(Path.Combine(SigstoreVectors.Dir, "public-good-trusted_root.json")))!;
        var noCtLogs = root.DeepClone();
        noCtLogs["ctlogs"] = new JsonArray();
        var noFulcio = root.DeepClone();
        noFulcio["certificateAuthorities"]!.AsArray().RemoveAt(1);
        var bundle = SigstoreVectors.Bundle("v1.0.1-sigstore");

        Assert.Equal(SigstoreReasons.InvalidSct, Reason(bundle, Keyless(noCtLogs)));
        Assert.Equal(SigstoreReasons.UntrustedChain, Reason(bundle, Keyless(noFulcio)));
    }

    [Fact]
    public void A_certificate_authority_that_had_expired_when_the_log_recorded_the_signature_is_UntrustedChain()
    {
        var root = JsonNode.Parse(File.ReadAllText(Path.Combine(SigstoreVectors.Dir, "public-good-trusted_root.json")))!;
        root["certificateAuthorities"]![1]!["validFor"]!["end"] = "2024-01-01T00:00:00Z";

        Assert.Equal(SigstoreReasons.UntrustedChain, Reason(SigstoreVectors.Bundle("v1.0.1-sigstore"), Keyless(root)));
    }

    [Fact]
    public void A_log_time_without_a_signed_entry_timestamp_does_not_date_the_signature()
    {
        // Only the SET signs integratedTime: a bundle whose entry has only an inclusion proof has no trusted signing time.
        var bundle = JsonNode.Parse(SigstoreVectors.Bundle("v1.0.1-sigstore"))!;
        bundle["verificationMaterial"]!["tlogEntries"]![0]!.AsObject().Remove("inclusionPromise");

        Assert.Equal(SigstoreReasons.MissingTlogEntry, Reason(Encoding.UTF8.GetBytes(bundle.ToJsonString()), SigstoreVectors.KeylessPolicy()));
    }

    [Fact]
    public void The_same_log_entry_twice_is_TlogEntryMismatch()
    {
        var bundle = JsonNode.Parse(SigstoreVectors.Bundle("v1.0.1-sigstore"))!;
        var entries = bundle["verificationMaterial"]!["tlogEntries"]!.AsArray();
        entries.Add(entries[0]!.DeepClone());

        Assert.Equal(SigstoreReasons.TlogEntryMismatch, Reason(Encoding.UTF8.GetBytes(bundle.ToJsonString()), SigstoreVectors.KeylessPolicy()));
    }

    [Fact]
    public void A_private_chain_checked_after_its_CAs_expired_is_UntrustedChain()
    {
        // Without a log, a private chain is checked at the verifier's clock; the vector's CA certificates end in 2035.
        var late = new DateTimeOffset(2036, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var error = Assert.Throws<SigstoreVerificationException>(() =>
            SigstoreVerifier.Verify(SigstoreBundle.Parse(SigstoreVectors.Bundle("v1.0.1-certificate")), SigstoreVectors.ChainPolicy(), null, late));

        Assert.Equal(SigstoreReasons.UntrustedChain, error.Reason);
    }

    [Theory]
    [InlineData("{", "not JSON")]
    [InlineData("{\"mediaType\":\"application/vnd.dev.sigstore.bundle.v0.9+json\"}", "bundle.mediaType")]
    [InlineData("{\"mediaType\":\"application/vnd.dev.sigstore.bundle.v0.3+json\",\"verificationMaterial\":{}}", "no certificate")]
    public void A_malformed_bundle_is_MalformedBundle_naming_the_field(string json, string expected)
    {
        var error = Assert.Throws<SigstoreVerificationException>(() => SigstoreBundle.Parse(Encoding.UTF8.GetBytes(json)));

        Assert.Equal(SigstoreReasons.MalformedBundle, error.Reason);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_shipped_public_good_root_is_the_one_the_vectors_verify_with()
    {
        var policy = SigstorePolicy.Keyless(TrustedRoot.PublicGood, [new SigstoreIdentity(Subject: SigstoreVectors.Identity, Issuer: SigstoreVectors.Issuer)]);

        Verify(SigstoreVectors.Bundle("v1.0.0-sigstore"), policy);
    }

    private static SigstorePolicy Keyless(JsonNode root) => SigstorePolicy.Keyless(
        TrustedRoot.Parse(Encoding.UTF8.GetBytes(root.ToJsonString()), "test root"),
        [new SigstoreIdentity(Subject: SigstoreVectors.Identity, Issuer: SigstoreVectors.Issuer)]);
}
