using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace AiBaseline.Provenance.Tests.Support;

/// <summary>
/// A transparency log made in the test: it writes the <c>dev.sigstore.cosign/bundle</c> annotation Rekor would
/// give cosign for a hashedrekord entry (body, integrated time, index, log id, and the signed entry timestamp).
/// </summary>
internal sealed class TestLog : IDisposable
{
    public const string BaseUrl = "https://rekor.aibaseline.test";

    private readonly ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public byte[] Spki => key.ExportSubjectPublicKeyInfo();

    public byte[] LogId => SHA256.HashData(Spki);

    /// <summary>The annotation for a signature over <paramref name="payload"/> by <paramref name="certificatePem"/>, logged at <paramref name="integratedTime"/>.</summary>
    public string BundleAnnotation(byte[] payload, string signatureBase64, string certificatePem, DateTimeOffset integratedTime, long logIndex = 7)
    {
        var body = Encoding.UTF8.GetBytes(
            "{\"apiVersion\":\"0.0.1\",\"kind\":\"hashedrekord\",\"spec\":{\"data\":{\"hash\":{\"algorithm\":\"sha256\",\"value\":\"" + Convert.ToHexStringLower(SHA256.HashData(payload))
            + "\"}},\"signature\":{\"content\":\"" + signatureBase64 + "\",\"publicKey\":{\"content\":\"" + Convert.ToBase64String(Encoding.UTF8.GetBytes(certificatePem)) + "\"}}}}");
        var time = integratedTime.ToUnixTimeSeconds();
        var logId = Convert.ToHexStringLower(LogId);
        var signed = string.Create(CultureInfo.InvariantCulture,
            $$$"""{"body":"{{{Convert.ToBase64String(body)}}}","integratedTime":{{{time}}},"logID":"{{{logId}}}","logIndex":{{{logIndex}}}}""");
        var set = key.SignData(Encoding.UTF8.GetBytes(signed), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        return string.Create(CultureInfo.InvariantCulture,
            $$$"""{"SignedEntryTimestamp":"{{{Convert.ToBase64String(set)}}}","Payload":{"body":"{{{Convert.ToBase64String(body)}}}","integratedTime":{{{time}}},"logIndex":{{{logIndex}}},"logID":"{{{logId}}}"}}""");
    }

    /// <summary>A trusted_root.json with the CAs and, when given, this log and timestamp authority entries (no CT logs).</summary>
    public static string TrustedRoot(IEnumerable<TestCa> authorities, TestLog? log = null, IEnumerable<string>? timestampAuthorities = null)
    {
        var cas = string.Join(",", authorities.Select(ca => $$$"""
            {"subject":{"organization":"aibaseline tests","commonName":"{{{ca.Name}}}"},"uri":"https://{{{ca.Name}}}.aibaseline.test",
             "certChain":{"certificates":[{"rawBytes":"{{{Convert.ToBase64String(ca.Certificate.RawData)}}}"}]},"validFor":{"start":"2020-01-01T00:00:00Z"}}
            """));
        var tlogs = log is null ? "" : $$$"""
            {"baseUrl":"{{{BaseUrl}}}","hashAlgorithm":"SHA2_256","publicKey":{"rawBytes":"{{{Convert.ToBase64String(log.Spki)}}}","keyDetails":"PKIX_ECDSA_P256_SHA_256","validFor":{"start":"2020-01-01T00:00:00Z"}},"logId":{"keyId":"{{{Convert.ToBase64String(log.LogId)}}}"}}
            """;
        return $$$"""
            {"mediaType":"application/vnd.dev.sigstore.trustedroot+json;version=0.1","tlogs":[{{{tlogs}}}],"certificateAuthorities":[{{{cas}}}],"ctlogs":[],"timestampAuthorities":[{{{string.Join(",", timestampAuthorities ?? [])}}}]}
            """;
    }

    public void Dispose() => key.Dispose();
}
