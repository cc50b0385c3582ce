using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.X509;

namespace AiBaseline.Provenance.Sigstore;

/// <summary>
/// One X.509 certificate with the fields Sigstore reads: validity, CA flag, the subject alternative name,
/// Fulcio's OIDC extensions (OID arc 1.3.6.1.4.1.57264.1) and the embedded SCT list.
/// </summary>
internal sealed class CertificateInfo
{
    private const string SctListOid = "1.3.6.1.4.1.11129.2.4.2";
    private const string SanOid = "2.5.29.17";
    private const string FulcioUsernameOid = "1.3.6.1.4.1.57264.1.7";

    private SigningKey? key;

    private CertificateInfo(byte[] der, X509Certificate certificate)
    {
        Der = der;
        Certificate = certificate;
        Spki = certificate.CertificateStructure.SubjectPublicKeyInfo.GetDerEncoded();
    }

    public byte[] Der { get; }

    public X509Certificate Certificate { get; }

    public byte[] Spki { get; }

    public DateTimeOffset NotBefore => new(DateTime.SpecifyKind(Certificate.NotBefore, DateTimeKind.Utc));

    public DateTimeOffset NotAfter => new(DateTime.SpecifyKind(Certificate.NotAfter, DateTimeKind.Utc));

    public bool IsCa => Certificate.GetBasicConstraints() >= 0;

    /// <summary>Parses DER; null when the bytes are not a certificate.</summary>
    public static CertificateInfo? TryParse(byte[] der)
    {
        try
        {
            var certificate = new X509CertificateParser().ReadCertificate(der);
            return certificate is null ? null : new CertificateInfo(der, certificate);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return null;
        }
    }

    /// <summary>The DER SubjectPublicKeyInfo of a DER certificate (empty when it is not one).</summary>
    public static byte[] SpkiOf(byte[] der) => TryParse(der)?.Spki ?? [];

    /// <summary>This certificate's public key, loaded once.</summary>
    public SigningKey? Key => key ??= SigningKey.FromSpki(Spki);

    /// <summary>
    /// Whether this certificate's signature verifies with <paramref name="issuer"/>'s key: through the BCL
    /// (OpenSSL) for ECDSA and RSA PKCS#1 with SHA-2, the common case and many times faster; BouncyCastle otherwise.
    /// </summary>
    public bool IsSignedBy(CertificateInfo issuer)
    {
        var (hash, rsaAlgorithm) = Certificate.SigAlgOid switch
        {
            "1.2.840.10045.4.3.2" => (HashAlgorithmName.SHA256, false),
            "1.2.840.10045.4.3.3" => (HashAlgorithmName.SHA384, false),
            "1.2.840.10045.4.3.4" => (HashAlgorithmName.SHA512, false),
            "1.2.840.113549.1.1.11" => (HashAlgorithmName.SHA256, true),
            "1.2.840.113549.1.1.12" => (HashAlgorithmName.SHA384, true),
            "1.2.840.113549.1.1.13" => (HashAlgorithmName.SHA512, true),
            _ => (default(HashAlgorithmName), false),
        };
        if (hash != default && issuer.Key?.VerifyWithHash(Certificate.GetTbsCertificate(), Certificate.GetSignature(), hash, rsaAlgorithm) is { } verified)
        {
            return verified;
        }

        try
        {
            Certificate.Verify(issuer.Certificate.GetPublicKey());
            return true;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return false;
        }
    }

    public bool IsValidAt(DateTimeOffset time) => time >= NotBefore && time <= NotAfter;

    /// <summary>The raw value (inside the extension's OCTET STRING) of an extension, or null.</summary>
    public byte[]? Extension(string oid) => Certificate.GetExtensionValue(new DerObjectIdentifier(oid))?.GetOctets();

    /// <summary>A Fulcio extension's text: DER UTF8String for the newer OIDs, raw bytes for the deprecated ones.</summary>
    public string? FulcioExtension(string oid, bool derEncoded)
    {
        var value = Extension(oid);
        if (value is null)
        {
            return null;
        }

        if (!derEncoded)
        {
            return Encoding.UTF8.GetString(value);
        }

        try
        {
            return new AsnReader(value, AsnEncodingRules.DER).ReadCharacterString(UniversalTagNumber.UTF8String);
        }
        catch (AsnContentException)
        {
            return null;
        }
    }

    /// <summary>The subject alternative names Fulcio writes: e-mail, URI, or its username otherName.</summary>
    public IReadOnlyList<string> SubjectAlternativeNames()
    {
        var value = Extension(SanOid);
        var names = new List<string>();
        if (value is null)
        {
            return names;
        }

        try
        {
            var sequence = new AsnReader(value, AsnEncodingRules.DER).ReadSequence();
            while (sequence.HasData)
            {
                var tag = sequence.PeekTag();
                if (tag.TagClass == TagClass.ContextSpecific && tag.TagValue is 1 or 6)
                {
                    names.Add(sequence.ReadCharacterString(UniversalTagNumber.IA5String, tag));
                }
                else if (tag.TagClass == TagClass.ContextSpecific && tag.TagValue == 0)
                {
                    var other = sequence.ReadSequence(tag);
                    var oid = other.ReadObjectIdentifier();
                    var inner = other.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0, true));
                    if (oid == FulcioUsernameOid)
                    {
                        names.Add(inner.ReadCharacterString(UniversalTagNumber.UTF8String));
                    }
                }
                else
                {
                    sequence.ReadEncodedValue();
                }
            }
        }
        catch (AsnContentException)
        {
        }

        return names;
    }

    /// <summary>The TLS-encoded SignedCertificateTimestampList embedded in the certificate, or null.</summary>
    public byte[]? SctList()
    {
        var value = Extension(SctListOid);
        if (value is null)
        {
            return null;
        }

        try
        {
            return new AsnReader(value, AsnEncodingRules.DER).ReadOctetString();
        }
        catch (AsnContentException)
        {
            return null;
        }
    }

    /// <summary>The DER TBSCertificate with the SCT list extension removed: what the CT log signed (RFC 6962 §3.2).</summary>
    public byte[] PrecertificateTbs()
    {
        var tbs = new AsnReader(Certificate.GetTbsCertificate(), AsnEncodingRules.DER).ReadSequence();
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            var extensionsTag = new Asn1Tag(TagClass.ContextSpecific, 3, true);
            while (tbs.HasData)
            {
                if (tbs.PeekTag() != extensionsTag)
                {
                    writer.WriteEncodedValue(tbs.ReadEncodedValue().Span);
                    continue;
                }

                var extensions = tbs.ReadSequence(extensionsTag).ReadSequence();
                using (writer.PushSequence(extensionsTag))
                using (writer.PushSequence())
                {
                    while (extensions.HasData)
                    {
                        var extension = extensions.ReadEncodedValue();
                        if (new AsnReader(extension, AsnEncodingRules.DER).ReadSequence().ReadObjectIdentifier() != SctListOid)
                        {
                            writer.WriteEncodedValue(extension.Span);
                        }
                    }
                }
            }
        }

        return writer.Encode();
    }
}
