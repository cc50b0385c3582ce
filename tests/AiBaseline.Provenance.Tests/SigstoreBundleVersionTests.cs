using System.Security.Cryptography;
using System.Text;
using AiBaseline.Provenance.Sigstore;
using AiBaseline.Provenance.Tests.Support;

namespace AiBaseline.Provenance.Tests;

/// <summary>Bundles of every media type, with message signatures and DSSE envelopes, signed by a test private PKI.</summary>
public sealed class SigstoreBundleVersionTests : IDisposable
{
    private static readonly byte[] Artifact = Encoding.UTF8.GetBytes("{\"_type\":\"https://in-toto.io/Statement/v1\"}");
    private readonly TestBundles pki = new();

    public static TheoryData<string, bool> Versions => new()
    {
        { "application/vnd.dev.sigstore.bundle+json;version=0.1", false },
        { "application/vnd.dev.sigstore.bundle+json;version=0.1", true },
        { "application/vnd.dev.sigstore.bundle+json;version=0.2", false },
        { "application/vnd.dev.sigstore.bundle+json;version=0.2", true },
        { "application/vnd.dev.sigstore.bundle+json;version=0.3", false },
        { "application/vnd.dev.sigstore.bundle.v0.3+json", true },
    };

    [Theory]
    [MemberData(nameof(Versions))]
    public void Every_bundle_version_verifies_and_a_changed_artifact_does_not(string mediaType, bool dsse)
    {
        var policy = SigstorePolicy.CertificateChain([pki.CaPem]);
        var bundle = SigstoreBundle.Parse(pki.Bundle(mediaType, Artifact, dsse));

        var result = SigstoreVerifier.Verify(bundle, policy, dsse ? null : SHA256.HashData(Artifact), TestBundles.SignedAt);
        Assert.Contains("CN=signer", result.Signer, StringComparison.Ordinal);

        var other = Encoding.UTF8.GetBytes("{\"_type\":\"https://in-toto.io/Statement/v0.1\"}");
        var tampered = dsse ? bundle with { Dsse = bundle.Dsse! with { Payload = other } } : bundle;
        var error = Assert.Throws<SigstoreVerificationException>(() =>
            SigstoreVerifier.Verify(tampered, policy, dsse ? null : SHA256.HashData(other), TestBundles.SignedAt));
        Assert.Equal(SigstoreReasons.SignatureMismatch, error.Reason);
    }

    [Fact]
    public void A_certificate_used_after_it_expired_is_ExpiredAtSigning()
    {
        var bundle = SigstoreBundle.Parse(pki.Bundle("application/vnd.dev.sigstore.bundle.v0.3+json", Artifact, dsse: true));

        var error = Assert.Throws<SigstoreVerificationException>(() =>
            SigstoreVerifier.Verify(bundle, SigstorePolicy.CertificateChain([pki.CaPem]), null, TestBundles.SignedAt.AddDays(1)));

        Assert.Equal(SigstoreReasons.ExpiredAtSigning, error.Reason);
        Assert.Contains("valid from", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_keyless_policy_needs_a_log_entry_that_a_private_bundle_lacks()
    {
        var bundle = SigstoreBundle.Parse(pki.Bundle("application/vnd.dev.sigstore.bundle+json;version=0.2", Artifact, dsse: false));
        var policy = SigstorePolicy.Keyless(SigstoreVectors.Root, [new SigstoreIdentity(Subject: "x", Issuer: "y")]);

        var error = Assert.Throws<SigstoreVerificationException>(() => SigstoreVerifier.Verify(bundle, policy, SHA256.HashData(Artifact), TestBundles.SignedAt));

        Assert.Equal(SigstoreReasons.MissingTlogEntry, error.Reason);
    }

    public void Dispose() => pki.Dispose();
}
