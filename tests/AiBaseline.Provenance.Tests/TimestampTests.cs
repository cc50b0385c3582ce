using System.Text;
using System.Text.Json.Nodes;
using AiBaseline.Provenance.Sigstore;
using AiBaseline.Provenance.Tests.Support;

namespace AiBaseline.Provenance.Tests;

/// <summary>
/// RFC 3161 timestamps as the signing time: a test CA's certificate and a test timestamp authority in a private
/// trusted root (and the public-good vectors with a timestamp added), each kind of bad timestamp with its own reason.
/// </summary>
public sealed class TimestampTests : IDisposable
{
    private static readonly SignerClaims Claims = new("release@acme.test", "https://issuer.acme.test");
    private static readonly byte[] Payload = Encoding.UTF8.GetBytes("""{"_type":"https://in-toto.io/Statement/v1","subject":[],"predicateType":"https://example.test/v1","predicate":{}}""");
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    private readonly TestCa ca = TestCa.Create("release-ca");
    private readonly TestTsa tsa = new("test-tsa", new(2020, 1, 1, 0, 0, 0, TimeSpan.Zero), new(2039, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly TimestampedSigner signer;
    private readonly TimestampedSigner expiredSigner;

    public TimestampTests()
    {
        signer = new TimestampedSigner(ca, Claims, Now.AddMinutes(-10), Now.AddMinutes(10));
        expiredSigner = new TimestampedSigner(ca, Claims, Now.AddHours(-3), Now.AddHours(-2));
    }

    [Fact]
    public void A_timestamp_from_a_trusted_authority_dates_a_signature_with_no_log_entry()
    {
        var result = Verify(signer.Bundle(Payload, s => [tsa.Timestamp(s, Now)]), Root());

        Assert.Equal("release@acme.test from https://issuer.acme.test", result.Signer);
        Assert.InRange(result.SignedAt!.Value, Now.AddSeconds(-1), Now.AddSeconds(1));
    }

    [Fact]
    public void A_certificate_that_expired_since_verifies_when_the_timestamp_falls_inside_its_validity()
    {
        // The point of a signing time: a ten-minute certificate verifies long after it expired.
        var result = Verify(expiredSigner.Bundle(Payload, s => [tsa.Timestamp(s, Now.AddMinutes(-150))]), Root());

        Assert.NotNull(result.SignedAt);
    }

    [Fact]
    public void A_token_without_the_response_around_it_is_accepted_too()
    {
        var bare = (byte[] s) => new[] { new Org.BouncyCastle.Tsp.TimeStampResponse(tsa.Timestamp(s, Now)).TimeStampToken.GetEncoded() };

        Assert.NotNull(Verify(signer.Bundle(Payload, bare), Root()).SignedAt);
    }

    [Fact]
    public async Task A_real_openssl_ts_reply_from_the_authoritys_certificate_verifies()
    {
        var dir = Directory.CreateTempSubdirectory("aibaseline-openssl-ts-");
        try
        {
            var signature = signer.Sign(Payload);
            var reply = await OpensslTs.ReplyAsync(tsa, signature, dir.FullName);

            var result = Verify(signer.Bundle(Payload, _ => [reply], signature), Root());

            Assert.InRange(result.SignedAt!.Value, Now.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    public static TheoryData<string, string, string> Failures => new()
    {
        // case, reason, what the message says
        { "no timestamp", SigstoreReasons.MissingTimestamp, "it lists no transparency log), and the bundle has none" },
        { "timestamp of another signature", SigstoreReasons.TimestampMismatch, "message imprint is not the SHA256 of this bundle's signature" },
        { "authority not in the root", SigstoreReasons.UntrustedTimestampAuthority, "which is not a timestamp authority of the trusted root" },
        { "authority's certificate expired at genTime", SigstoreReasons.InvalidTimestamp, "certificate 0 of timestamp authority https://old-tsa.aibaseline.test/api/v1/timestamp is valid from" },
        { "authority's certificate not for time stamping", SigstoreReasons.InvalidTimestamp, "ExtendedKeyUsage not solely time stamping" },
        { "genTime outside the root's window for the authority", SigstoreReasons.UntrustedTimestampAuthority, "outside the trusted root's validity window of timestamp authority" },
        { "certificate expired at genTime", SigstoreReasons.ExpiredAtSigning, "and the signature was made at" },
        { "the same timestamp twice", SigstoreReasons.InvalidTimestamp, "repeats another one" },
        { "root with a log, bundle with a timestamp only", SigstoreReasons.MissingTlogEntry, "the bundle has no transparency log entry" },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public void A_bad_timestamp_fails_with_a_reason_of_its_own(string why, string reason, string message)
    {
        using var other = new TestTsa("other-tsa", Now.AddYears(-1), Now.AddYears(1));
        using var old = new TestTsa("old-tsa", Now.AddDays(-3), Now.AddDays(-2));
        using var codeSigning = new TestTsa("code-tsa", Now.AddYears(-1), Now.AddYears(1), timeStampingUsage: false);
        using var log = new TestLog();
        var (bundle, root) = why switch
        {
            "no timestamp" => (signer.Bundle(Payload, _ => []), Root()),
            "timestamp of another signature" => (signer.Bundle(Payload, _ => [tsa.Timestamp(signer.Sign(Payload), Now)]), Root()),
            "authority not in the root" => (signer.Bundle(Payload, s => [other.Timestamp(s, Now)]), Root()),
            "authority's certificate expired at genTime" => (signer.Bundle(Payload, s => [old.Timestamp(s, Now)]), Root(old.RootEntry())),
            "authority's certificate not for time stamping" => (signer.Bundle(Payload, s => [codeSigning.Timestamp(s, Now)]), Root(codeSigning.RootEntry())),
            "genTime outside the root's window for the authority" => (signer.Bundle(Payload, s => [tsa.Timestamp(s, Now)]), Root(tsa.RootEntry(end: "2025-01-01T00:00:00Z"))),
            "certificate expired at genTime" => (expiredSigner.Bundle(Payload, s => [tsa.Timestamp(s, Now)]), Root()),
            "the same timestamp twice" => (signer.Bundle(Payload, s => { var t = tsa.Timestamp(s, Now); return [t, t]; }), Root()),
            _ => (signer.Bundle(Payload, s => [tsa.Timestamp(s, Now)]), TestLog.TrustedRoot([ca], log, [tsa.RootEntry()])),
        };

        var error = Assert.Throws<SigstoreVerificationException>(() => Verify(bundle, root));

        Assert.True(error.Reason == reason, $"{why}: expected {reason}, got {error.Reason}: {error.Message}");
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_public_good_bundle_with_a_timestamp_from_an_authority_of_another_root_is_refused()
    {
        var bundle = WithTimestamp(SigstoreVectors.Bundle("v1.0.1-sigstore"), tsa, out _);

        var error = Assert.Throws<SigstoreVerificationException>(() => SigstoreVerifier.Verify(SigstoreBundle.Parse(bundle), SigstoreVectors.KeylessPolicy(), null, Now));

        Assert.Equal(SigstoreReasons.UntrustedTimestampAuthority, error.Reason);
    }

    [Fact]
    public void A_public_good_bundle_with_a_timestamp_from_an_authority_the_root_lists_verifies_at_both_times()
    {
        var bundle = WithTimestamp(SigstoreVectors.Bundle("v1.0.1-sigstore"), tsa, out var logged);
        var root = JsonNode.Parse(File.ReadAllText(Path.Combine(SigstoreVectors.Dir, "public-good-trusted_root.json")))!;
        root["timestampAuthorities"]!.AsArray().Add(JsonNode.Parse(tsa.RootEntry()));
        var policy = SigstorePolicy.Keyless(TrustedRoot.Parse(Encoding.UTF8.GetBytes(root.ToJsonString()), "root"),
            [new SigstoreIdentity(Subject: SigstoreVectors.Identity, Issuer: SigstoreVectors.Issuer)]);

        var result = SigstoreVerifier.Verify(SigstoreBundle.Parse(bundle), policy, null, Now);

        Assert.Equal(logged, result.SignedAt);
    }

    public void Dispose()
    {
        signer.Dispose();
        expiredSigner.Dispose();
        tsa.Dispose();
        ca.Dispose();
    }

    /// <summary>The bundle with a timestamp over its signature, made by <paramref name="authority"/> at the log's integrated time.</summary>
    internal static byte[] WithTimestamp(byte[] bundle, TestTsa authority, out DateTimeOffset logged)
    {
        var root = JsonNode.Parse(bundle)!;
        var signature = Convert.FromBase64String((string)root["dsseEnvelope"]!["signatures"]![0]!["sig"]!);
        logged = DateTimeOffset.FromUnixTimeSeconds(long.Parse((string)root["verificationMaterial"]!["tlogEntries"]![0]!["integratedTime"]!, System.Globalization.CultureInfo.InvariantCulture));
        root["verificationMaterial"]!["timestampVerificationData"] = new JsonObject
        {
            ["rfc3161Timestamps"] = new JsonArray(new JsonObject { ["signedTimestamp"] = Convert.ToBase64String(authority.Timestamp(signature, logged)) }),
        };
        return Encoding.UTF8.GetBytes(root.ToJsonString());
    }

    private string Root(params string[] timestampAuthorities) =>
        TestLog.TrustedRoot([ca], null, timestampAuthorities.Length == 0 ? [tsa.RootEntry()] : timestampAuthorities);

    private static SigstoreVerification Verify(byte[] bundle, string rootJson) =>
        SigstoreVerifier.Verify(SigstoreBundle.Parse(bundle),
            SigstorePolicy.KeylessUnder(TrustedRoot.Parse(Encoding.UTF8.GetBytes(rootJson), "trusted_root.json"), [new SigstoreIdentity(Subject: Claims.Email, Issuer: Claims.Issuer)]),
            null, DateTimeOffset.UtcNow);
}
