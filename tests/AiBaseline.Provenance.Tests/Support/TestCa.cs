using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace AiBaseline.Provenance.Tests.Support;

/// <summary>What a test signing certificate says about its holder, as Fulcio writes it.</summary>
internal sealed record SignerClaims(string Email, string Issuer, string? Repository = null, string? Ref = null, string? Trigger = null);

/// <summary>
/// A certificate authority made in the test: it issues code-signing certificates for a cosign public key, with
/// the e-mail SAN and Fulcio's OIDC issuer and GitHub workflow extensions, valid when the test says.
/// </summary>
internal sealed class TestCa : IDisposable
{
    private readonly ECDsa key;

    private TestCa(string name, ECDsa key, X509Certificate2 certificate)
    {
        Name = name;
        this.key = key;
        Certificate = certificate;
    }

    public string Name { get; }

    public X509Certificate2 Certificate { get; }

    public string Pem => Certificate.ExportCertificatePem() + "\n";

    public static TestCa Create(string name)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}, O=aibaseline tests", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        return new TestCa(name, key, request.CreateSelfSigned(now.AddDays(-1), now.AddDays(2)));
    }

    /// <summary>A leaf certificate (PEM) for <paramref name="publicKeyPem"/>, valid from <paramref name="notBefore"/> to <paramref name="notAfter"/>.</summary>
    public string Issue(string publicKeyPem, SignerClaims claims, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        var spki = Convert.FromBase64String(string.Concat(publicKeyPem.Split('\n').Where(l => l.Length > 0 && !l.StartsWith("-----", StringComparison.Ordinal))));
        var request = new CertificateRequest(new X500DistinguishedName(""), PublicKey.CreateFromSubjectPublicKeyInfo(spki, out _), HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddEmailAddress(claims.Email);
        request.CertificateExtensions.Add(san.Build(true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.3")], false));
        request.CertificateExtensions.Add(new X509Extension("1.3.6.1.4.1.57264.1.1", Encoding.UTF8.GetBytes(claims.Issuer), false));
        request.CertificateExtensions.Add(Utf8Extension("1.3.6.1.4.1.57264.1.8", claims.Issuer));
        if (claims.Repository is { } repository)
        {
            request.CertificateExtensions.Add(Utf8Extension("1.3.6.1.4.1.57264.1.12", repository));
        }

        if (claims.Ref is { } gitRef)
        {
            request.CertificateExtensions.Add(Utf8Extension("1.3.6.1.4.1.57264.1.14", gitRef));
        }

        if (claims.Trigger is { } trigger)
        {
            request.CertificateExtensions.Add(Utf8Extension("1.3.6.1.4.1.57264.1.20", trigger));
        }

        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7f;
        using var leaf = request.Create(Certificate.SubjectName, X509SignatureGenerator.CreateForECDsa(key), notBefore, notAfter, serial);
        return leaf.ExportCertificatePem() + "\n";
    }

    public void Dispose()
    {
        key.Dispose();
        Certificate.Dispose();
    }

    private static X509Extension Utf8Extension(string oid, string value)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        writer.WriteCharacterString(UniversalTagNumber.UTF8String, value);
        return new X509Extension(oid, writer.Encode(), false);
    }
}
