using System.Text;
using AiBaseline.Provenance.Sigstore;
using AiBaseline.Provenance.Tests.Support;

namespace AiBaseline.Provenance.Tests.Differential;

/// <summary>
/// Bundles dated only by RFC 3161 timestamps, under a private trusted root with a test CA and test timestamp
/// authorities and no logs, get the same accept/reject from this verifier and from sigstore-js (told, as our root
/// implies, that no transparency log entry and no SCT is required), as signed and with 300 seeded mutations.
/// </summary>
public sealed class TimestampDifferentialTests : IDisposable
{
    private const int MutationsPerBundle = 150;
    private static readonly SignerClaims Claims = new("release@acme.test", "https://issuer.acme.test");
    private static readonly byte[] Payload = Encoding.UTF8.GetBytes("""{"_type":"https://in-toto.io/Statement/v1","subject":[],"predicateType":"https://example.test/v1","predicate":{}}""");

    /// <summary>
    /// Where this verifier is knowingly stricter than sigstore-js 4.1.3, which reads the response by position: it
    /// does not check the tags of parts it skips (status text, digestAlgorithms, the encapsulated content's wrapper),
    /// nor the response's status, and Node verifies with SHA-256 when the SignerInfo's signature algorithm is unknown.
    /// None of these parts is signed; a damaged one is refused here as a malformed timestamp.
    /// </summary>
    private static readonly (string Ours, string Why)[] Stricter =
    [
        ("is not a DER TimeStampResp or TimeStampToken", "malformed ASN.1 in a part sigstore-js skips"),
        ("signed data is not a timestamp token", "malformed ASN.1 in a part sigstore-js skips"),
        ("is a TimeStampResp with status", "status other than granted"),
        ("cannot find algorithm", "unknown signature algorithm OID"),
    ];

    private readonly DirectoryInfo dir = Directory.CreateTempSubdirectory("sigstore-timestamp-differential-");

    [Fact]
    public async Task Timestamped_bundles_and_300_mutations_get_the_same_verdict_from_both_verifiers()
    {
        SigstoreJs.Directory();
        var now = DateTimeOffset.UtcNow;
        using var ca = TestCa.Create("release-ca");
        using var tsa = new TestTsa("test-tsa", now.AddYears(-1), now.AddYears(1));
        using var other = new TestTsa("other-tsa", now.AddYears(-1), now.AddYears(1));
        using var old = new TestTsa("old-tsa", now.AddDays(-3), now.AddDays(-2));
        using var a = new TimestampedSigner(ca, Claims, now.AddMinutes(-10), now.AddMinutes(10));
        using var b = new TimestampedSigner(ca, Claims, now.AddMinutes(-10), now.AddMinutes(10));
        using var expired = new TimestampedSigner(ca, Claims, now.AddHours(-3), now.AddHours(-2));
        var rootFile = Path.Combine(dir.FullName, "trusted_root.json");
        await File.WriteAllTextAsync(rootFile, TestLog.TrustedRoot([ca], null, [tsa.RootEntry(), old.RootEntry()]), TestContext.Current.CancellationToken);

        var bundleA = a.Bundle(Payload, s => [tsa.Timestamp(s, now)]);
        var bundleB = b.Bundle(Payload, s => [tsa.Timestamp(s, now.AddMinutes(-1))]);
        var signature = a.Sign(Payload);
        var reply = await OpensslTs.ReplyAsync(tsa, signature, dir.FullName);
        var openssl = a.Bundle(Payload, _ => [reply], signature);
        List<(string Name, byte[] Bundle)> cases =
        [
            ("timestamped as signed", bundleA),
            ("another timestamped as signed", bundleB),
            ("openssl ts reply", openssl),
            ("expired certificate, timestamp inside its validity", expired.Bundle(Payload, s => [tsa.Timestamp(s, now.AddMinutes(-150))])),
            ("expired certificate, timestamp after it expired", expired.Bundle(Payload, s => [tsa.Timestamp(s, now)])),
            ("timestamp authority not in the root", a.Bundle(Payload, s => [other.Timestamp(s, now)])),
            ("timestamp authority's certificate expired at genTime", a.Bundle(Payload, s => [old.Timestamp(s, now)])),
            ("no timestamp", a.Bundle(Payload, _ => [])),
            .. TimestampMutations.Of(bundleA, bundleB, seed: 17, MutationsPerBundle).Select(m => ("A " + m.Name, m.Bundle)),
            .. TimestampMutations.Of(bundleB, bundleA, seed: 71, MutationsPerBundle).Select(m => ("B " + m.Name, m.Bundle)),
        ];

        var theirs = SigstoreJs.Verify(dir.FullName, [.. cases.Select(c => c.Bundle)], rootFile, Claims.Email, Claims.Issuer, tlogThreshold: 0, ctlogThreshold: 0);
        var policy = SigstorePolicy.KeylessUnder(TrustedRoot.Parse(await File.ReadAllBytesAsync(rootFile, TestContext.Current.CancellationToken), rootFile),
            [new SigstoreIdentity(Subject: Claims.Email, Issuer: Claims.Issuer)]);
        var disagreements = SigstoreJs.Disagreements(cases, theirs, policy);
        var unexplained = disagreements.Where(d => Stricter.All(s => !d.Contains(s.Ours, StringComparison.Ordinal) || !d.EndsWith("sigstore-js accepts", StringComparison.Ordinal))).ToList();
        TestContext.Current.TestOutputHelper?.WriteLine($"{cases.Count} cases, {disagreements.Count} disagreements, all where this verifier is stricter:\n" + string.Join('\n', disagreements));

        Assert.True(unexplained.Count == 0, $"{unexplained.Count} of {cases.Count} disagree:\n" + string.Join('\n', unexplained));
        Assert.Equal([true, true, true, true, false, false, false, false], theirs.Take(8).Select(t => t.Ok));
        Assert.True(theirs.Skip(8).Count(t => !t.Ok) > MutationsPerBundle, "most mutations must be rejected, or the mutations test nothing");
    }

    public void Dispose() => dir.Delete(recursive: true);
}
