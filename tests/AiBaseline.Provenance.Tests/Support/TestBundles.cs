using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using AiBaseline.Provenance.Signing;

namespace AiBaseline.Provenance.Tests.Support;

/// <summary>A throw-away private PKI (CA and a leaf valid for two hours around <see cref="SignedAt"/>) that signs bundles of any version.</summary>
internal sealed class TestBundles : IDisposable
{
    private readonly ECDsa caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly ECDsa leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly X509Certificate2 ca;
    private readonly X509Certificate2 leaf;

    public TestBundles()
    {
        var caRequest = new CertificateRequest("CN=test-ca", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        ca = caRequest.CreateSelfSigned(SignedAt.AddYears(-1), SignedAt.AddYears(1));
        var leafRequest = new CertificateRequest("CN=signer", leafKey, HashAlgorithmName.SHA256);
        leafRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        leaf = leafRequest.Create(ca, SignedAt.AddHours(-1), SignedAt.AddHours(1), [1, 2, 3, 4]);
    }

    public static DateTimeOffset SignedAt { get; } = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    public string CaPem => ca.ExportCertificatePem();

    /// <summary>A bundle of <paramref name="mediaType"/> over <paramref name="artifact"/>: a message signature, or a DSSE envelope whose payload is the artifact.</summary>
    public byte[] Bundle(string mediaType, byte[] artifact, bool dsse)
    {
        var material = new JsonObject
        {
            ["x509CertificateChain"] = new JsonObject { ["certificates"] = new JsonArray(new JsonObject { ["rawBytes"] = Convert.ToBase64String(leaf.RawData) }) },
            ["tlogEntries"] = new JsonArray(),
        };
        var bundle = new JsonObject { ["mediaType"] = mediaType, ["verificationMaterial"] = material };
        if (dsse)
        {
            const string type = "application/vnd.in-toto+json";
            bundle["dsseEnvelope"] = new JsonObject
            {
                ["payload"] = Convert.ToBase64String(artifact),
                ["payloadType"] = type,
                ["signatures"] = new JsonArray(new JsonObject { ["sig"] = Convert.ToBase64String(leafKey.SignData(DsseCheck.Pae(type, artifact), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence)) }),
            };
        }
        else
        {
            bundle["messageSignature"] = new JsonObject
            {
                ["messageDigest"] = new JsonObject { ["algorithm"] = "SHA2_256", ["digest"] = Convert.ToBase64String(SHA256.HashData(artifact)) },
                ["signature"] = Convert.ToBase64String(leafKey.SignData(artifact, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence)),
            };
        }

        return Encoding.UTF8.GetBytes(bundle.ToJsonString());
    }

    public void Dispose()
    {
        ca.Dispose();
        leaf.Dispose();
        caKey.Dispose();
        leafKey.Dispose();
    }
}
