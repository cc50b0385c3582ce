using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using AiBaseline.Provenance.Signing;

namespace AiBaseline.Provenance.Tests.Support;

/// <summary>
/// A signer with a certificate from a <see cref="TestCa"/> (Fulcio's claims, valid when the test says) that makes
/// v0.3 DSSE bundles with no log entry and the RFC 3161 timestamps the test asks for over its signature.
/// </summary>
internal sealed class TimestampedSigner : IDisposable
{
    public const string PayloadType = "application/vnd.in-toto+json";

    private readonly ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public TimestampedSigner(TestCa ca, SignerClaims claims, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        CertificatePem = ca.Issue(key.ExportSubjectPublicKeyInfoPem(), claims, notBefore, notAfter);
        var fields = PemEncoding.Find(CertificatePem);
        Certificate = Convert.FromBase64String(CertificatePem[fields.Base64Data]);
    }

    public string CertificatePem { get; }

    public byte[] Certificate { get; }

    /// <summary>The signature over the DSSE PAE of <paramref name="payload"/>.</summary>
    public byte[] Sign(byte[] payload) => key.SignData(DsseCheck.Pae(PayloadType, payload), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);

    /// <summary>
    /// A bundle over <paramref name="payload"/> carrying the timestamps <paramref name="timestamps"/> makes from the signature
    /// (<paramref name="signature"/> when given: ECDSA signs differently each time).
    /// </summary>
    public byte[] Bundle(byte[] payload, Func<byte[], IEnumerable<byte[]>> timestamps, byte[]? signature = null)
    {
        signature ??= Sign(payload);
        var material = new JsonObject
        {
            ["certificate"] = new JsonObject { ["rawBytes"] = Convert.ToBase64String(Certificate) },
            ["tlogEntries"] = new JsonArray(),
            ["timestampVerificationData"] = new JsonObject
            {
                ["rfc3161Timestamps"] = new JsonArray([.. timestamps(signature).Select(t => (JsonNode)new JsonObject { ["signedTimestamp"] = Convert.ToBase64String(t) })]),
            },
        };
        var bundle = new JsonObject
        {
            ["mediaType"] = "application/vnd.dev.sigstore.bundle.v0.3+json",
            ["verificationMaterial"] = material,
            ["dsseEnvelope"] = new JsonObject
            {
                ["payload"] = Convert.ToBase64String(payload),
                ["payloadType"] = PayloadType,
                ["signatures"] = new JsonArray(new JsonObject { ["sig"] = Convert.ToBase64String(signature) }),
            },
        };
        return Encoding.UTF8.GetBytes(bundle.ToJsonString());
    }

    public void Dispose() => key.Dispose();
}
