using AiBaseline.Api.V1Alpha1;
using AiBaseline.Provenance.Sigstore;
using AiBaseline.Provenance.Tests.Support;
using static AiBaseline.Provenance.Tests.Live.KeylessRegistryFixture;

namespace AiBaseline.Provenance.Tests.Live;

/// <summary>
/// The Sigstore bundle referrers real cosign made get the same accept/refuse from <c>cosign verify-attestation
/// --new-bundle-format --trusted-root</c> (offline: no log, no TUF) and from this verifier, under the same trust:
/// a trusted root with the test CA (checked at the clock, as cosign does with --insecure-ignore-tlog), the same root
/// with the test timestamp authority (cosign's --use-signed-timestamps), or the cosign key.
/// </summary>
[Collection(KeylessRegistryCollection.Name)]
public sealed class CosignCrossCheckTests(KeylessRegistryFixture registry)
{
    private const string Verified = VerificationReasons.Verified;
    private static readonly CancellationToken Ct = TestContext.Current.CancellationToken;

    public static TheoryData<string, string, string, string, string> Cases => new()
    {
        // scenario, trust, identity subject, our reason, what cosign says when it refuses
        { "bundle", "ca", Release.Email, Verified, "" },
        { "bundle", "ca", "someone@acme.test", SigstoreReasons.IdentityMismatch, "expected SAN value \"someone@acme.test\"" },
        { "bundle-rogue", "ca", Release.Email, SigstoreReasons.UntrustedChain, "leaf certificate verification failed" },
        { "bundle-tampered", "ca", Release.Email, SigstoreReasons.SignatureMismatch, "could not verify envelope" },
        { "bundle-timestamped-expired", "ca", Release.Email, SigstoreReasons.ExpiredAtSigning, "leaf certificate verification failed" },   // expired before now
        { "bundle-timestamped-in-time", "ca", Release.Email, SigstoreReasons.ExpiredAtSigning, "leaf certificate verification failed" },   // timestamp not trusted: checked now
        { "bundle-timestamped", "ca", Release.Email, Verified, "" },                                                                      // timestamp not required
        { "bundle-timestamped", "tsa", Release.Email, Verified, "" },                                                                     // dated by the trusted authority
        { "bundle-timestamped-in-time", "tsa", Release.Email, Verified, "" },                                                              // expired now, valid when timestamped
        { "bundle-timestamped-expired", "tsa", Release.Email, SigstoreReasons.ExpiredAtSigning, "leaf certificate verification failed" },  // timestamped after it expired
        { "bundle", "tsa", Release.Email, SigstoreReasons.MissingTimestamp, "threshold not met for verified signed timestamps" },
        { "bundle-key", "key", Release.Email, Verified, "" },
        { "bundle-key", "other-key", Release.Email, SigstoreReasons.SignatureMismatch, "could not verify envelope" },
        { "bundle", "key", Release.Email, SigstoreReasons.UntrustedKey, "expected key signature, not certificate" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Cosign_and_this_verifier_agree(string scenario, string trust, string subject, string reason, string cosignSays)
    {
        var verifies = reason == Verified;
        var rootFile = registry.Write($"root-{trust}.json", TestLog.TrustedRoot([registry.Ca], null, trust == "tsa" ? [registry.Tsa.RootEntry()] : []));
        var otherKey = registry.Write("other-cosign.pub", Vectors.PublicKey);
        string[] cosignTrust = trust switch
        {
            "key" => ["--key", registry.PublicKeyFile, "--insecure-ignore-tlog"],
            "other-key" => ["--key", otherKey, "--insecure-ignore-tlog"],
            _ => ["--insecure-ignore-tlog", "--insecure-ignore-sct", .. trust == "tsa" ? new[] { "--use-signed-timestamps" } : [],
                  "--certificate-identity", subject, "--certificate-oidc-issuer", Release.Issuer],
        };
        var images = trust switch
        {
            "key" => new ImagePolicy { SignatureKeys = [new SignatureKey { Name = "release", PublicKey = await File.ReadAllTextAsync(registry.PublicKeyFile, Ct) }] },
            "other-key" => new ImagePolicy { SignatureKeys = [new SignatureKey { Name = "other", PublicKey = Vectors.PublicKey }] },
            "tsa" => registry.TimestampRootPolicy(Identity(subject)),
            _ => registry.RootPolicy(withLog: false, Identity(subject)),
        };

        var (cosignVerified, output) = await registry.Cosign.VerifyBundleAttestationAsync(registry.Images[scenario], rootFile, registry.CaFile, cosignTrust);
        var ours = await new CosignVerifier(new Oci.RegistryClient(Verifiers.FastRetries(registry.Registry.Host), TimeProvider.System), TimeProvider.System)
            .VerifyAsync(registry.Images[scenario], TrustPolicy.FromProfile("cross-check", images), null, Ct);

        Assert.DoesNotContain("tuf", output, StringComparison.OrdinalIgnoreCase);
        Assert.True(cosignVerified == verifies, $"cosign {(cosignVerified ? "verified" : "refused")}: {output}");
        Assert.Contains(cosignSays, output, StringComparison.Ordinal);
        Assert.True(ours.Reason == reason, $"ours: {ours.Outcome} {ours.Reason}: {ours.Message}");
    }
}
