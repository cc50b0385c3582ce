using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Cmp;
using Org.BouncyCastle.Asn1.Ess;
using Org.BouncyCastle.Asn1.Nist;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.Tsp;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Cms;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tsp;
using Org.BouncyCastle.X509;

namespace AiBaseline.Provenance.Tests.Support;

/// <summary>
/// An RFC 3161 timestamp authority made in the test: a self-signed root and a signing certificate with the critical
/// timeStamping extended key usage (valid when the test says), answering TimeStampReqs with BouncyCastle's
/// TimeStampResponseGenerator at any genTime the test names. Made with <c>timeStampingUsage: false</c>, its certificate
/// is for code signing instead, and the token is assembled by hand (both BouncyCastle's generator and openssl refuse).
/// </summary>
internal sealed class TestTsa : IDisposable
{
    private readonly ECDsa rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly ECDsa signingKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly bool timeStampingUsage;
    private long serial = 1;

    public TestTsa(string name, DateTimeOffset notBefore, DateTimeOffset notAfter, bool timeStampingUsage = true)
    {
        Name = name;
        this.timeStampingUsage = timeStampingUsage;
        var rootRequest = new CertificateRequest($"CN={name} root, O=aibaseline tests", rootKey, HashAlgorithmName.SHA256);
        rootRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        rootRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        rootRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(rootRequest.PublicKey, false));
        Root = rootRequest.CreateSelfSigned(new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2040, 1, 1, 0, 0, 0, TimeSpan.Zero));

        var request = new CertificateRequest($"CN={name}, O=aibaseline tests", signingKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(timeStampingUsage ? "1.3.6.1.5.5.7.3.8" : "1.3.6.1.5.5.7.3.3")], true));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Root, true, false));
        var serialBytes = RandomNumberGenerator.GetBytes(12);
        serialBytes[0] &= 0x7f;
        using var issued = request.Create(Root, notBefore, notAfter, serialBytes);
        Certificate = X509CertificateLoader.LoadCertificate(issued.RawData);
    }

    public string Name { get; }

    public X509Certificate2 Root { get; }

    /// <summary>The certificate that signs the timestamps.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>The signing certificate's private key, PKCS#8 PEM (for openssl ts).</summary>
    public string SigningKeyPem() => signingKey.ExportPkcs8PrivateKeyPem();

    /// <summary>A granted DER TimeStampResp whose message imprint is the SHA-256 of <paramref name="signature"/>, made at <paramref name="genTime"/>.</summary>
    public byte[] Timestamp(byte[] signature, DateTimeOffset genTime)
    {
        var request = new TimeStampRequestGenerator();
        request.SetCertReq(true);
        return Respond(request.Generate(TspAlgorithms.Sha256, SHA256.HashData(signature), BigInteger.ValueOf(Random.Shared.NextInt64(1, long.MaxValue))), genTime);
    }

    /// <summary>The granted DER TimeStampResp to <paramref name="tsq"/>, made at <paramref name="genTime"/>.</summary>
    public byte[] Respond(TimeStampRequest tsq, DateTimeOffset genTime)
    {
        var key = PrivateKeyFactory.CreateKey(signingKey.ExportPkcs8PrivateKey());
        var certificate = new X509CertificateParser().ReadCertificate(Certificate.RawData);
        if (!timeStampingUsage)
        {
            return HandMade(tsq, genTime, key, certificate);
        }

        var signerInfo = new SignerInfoGeneratorBuilder().Build(new Asn1SignatureFactory("SHA256WITHECDSA", key), certificate);
        var generator = new TimeStampTokenGenerator(signerInfo, Asn1DigestFactory.Get(NistObjectIdentifiers.IdSha256), new DerObjectIdentifier("1.3.6.1.4.1.57264.2"), true);
        var responses = new TimeStampResponseGenerator(generator, TspAlgorithms.Allowed);
        return responses.Generate(tsq, BigInteger.ValueOf(Interlocked.Increment(ref serial)), genTime.UtcDateTime).GetEncoded();
    }

    /// <summary>A TimeStampResp whose token has what RFC 3161 asks (TSTInfo, ESS signing-certificate-v2), built without BouncyCastle's certificate checks.</summary>
    private byte[] HandMade(TimeStampRequest tsq, DateTimeOffset genTime, Org.BouncyCastle.Crypto.AsymmetricKeyParameter key, Org.BouncyCastle.X509.X509Certificate certificate)
    {
        var info = new TstInfo(new DerObjectIdentifier("1.3.6.1.4.1.57264.2"), new MessageImprint(new AlgorithmIdentifier(NistObjectIdentifiers.IdSha256), tsq.GetMessageImprintDigest()),
            DerInteger.ValueOf(Interlocked.Increment(ref serial)), new Asn1GeneralizedTime(genTime.UtcDateTime), null, DerBoolean.False, tsq.Nonce is null ? null : new DerInteger(tsq.Nonce), null, null);
        var signingCertificate = new SigningCertificateV2(new EssCertIDv2(SHA256.HashData(Certificate.RawData)));
        var attributes = new Org.BouncyCastle.Asn1.Cms.AttributeTable(new Asn1EncodableVector(
            new Org.BouncyCastle.Asn1.Cms.Attribute(PkcsObjectIdentifiers.IdAASigningCertificateV2, new DerSet(signingCertificate))));
        var signer = new SignerInfoGeneratorBuilder().WithSignedAttributeGenerator(new DefaultSignedAttributeTableGenerator(attributes))
            .Build(new Asn1SignatureFactory("SHA256WITHECDSA", key), certificate);
        var generator = new CmsSignedDataGenerator();
        generator.AddSignerInfoGenerator(signer);
        var signed = generator.Generate(new CmsProcessableByteArray(PkcsObjectIdentifiers.IdCTTstInfo, info.GetEncoded()), true);
        return new TimeStampResp(new PkiStatusInfo(0), signed.ContentInfo).GetEncoded();
    }

    /// <summary>The timestampAuthorities entry of a trusted_root.json: the signing certificate, then the root.</summary>
    public string RootEntry(string start = "2020-01-01T00:00:00Z", string? end = null) => $$$"""
        {"subject":{"organization":"aibaseline tests","commonName":"{{{Name}}}"},"uri":"https://{{{Name}}}.aibaseline.test/api/v1/timestamp",
         "certChain":{"certificates":[{"rawBytes":"{{{Convert.ToBase64String(Certificate.RawData)}}}"},{"rawBytes":"{{{Convert.ToBase64String(Root.RawData)}}}"}]},
         "validFor":{"start":"{{{start}}}"{{{(end is null ? "" : $",\"end\":\"{end}\"")}}}}}
        """;

    public void Dispose()
    {
        Root.Dispose();
        Certificate.Dispose();
        rootKey.Dispose();
        signingKey.Dispose();
    }
}
