using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace AiBaseline.Admission;

/// <summary>The webhook's certificates as PEM, the way the Secret holds them (ca.crt, ca.key, tls.crt, tls.key).</summary>
internal sealed record CertificateSet(string CaCertificate, string CaKey, string ServingCertificate, string ServingKey);

/// <summary>
/// Issues the webhook's own CA and its serving certificate (ECDSA P-256) with <see cref="System.Security.Cryptography"/>,
/// and decides when the serving certificate is due: a third of its lifetime before it expires, or when the names it must
/// carry changed. Certificates start 5 minutes in the past, so a clock a little behind still accepts them. A renewal keeps the CA, so the CA bundle the API server trusts stays as it is and no request fails.
/// </summary>
internal static class ServingCertificates
{
    /// <summary>A fresh CA and a serving certificate it signed.</summary>
    public static CertificateSet IssueAll(IReadOnlyList<string> hosts, DateTimeOffset now, TimeSpan caLifetime, TimeSpan servingLifetime)
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=aibaseline-webhook-ca, O=aibaseline.io", caKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        using var ca = request.CreateSelfSigned(now.AddMinutes(-5), now + caLifetime);
        var caPem = ca.ExportCertificatePem();
        var caKeyPem = caKey.ExportPkcs8PrivateKeyPem();
        var (servingPem, servingKeyPem) = IssueServing(caPem, caKeyPem, hosts, now, servingLifetime);
        return new CertificateSet(caPem, caKeyPem, servingPem, servingKeyPem);
    }

    /// <summary>A new serving certificate signed by the CA of <paramref name="current"/>, which it keeps.</summary>
    public static CertificateSet Renew(CertificateSet current, IReadOnlyList<string> hosts, DateTimeOffset now, TimeSpan servingLifetime)
    {
        var (servingPem, servingKeyPem) = IssueServing(current.CaCertificate, current.CaKey, hosts, now, servingLifetime);
        return current with { ServingCertificate = servingPem, ServingKey = servingKeyPem };
    }

    /// <summary>Why the serving certificate must be replaced now (a third of <paramref name="lifetime"/> or less is left, or a name is missing), or null when it is good.</summary>
    public static string? RenewalReason(CertificateSet set, IReadOnlyList<string> hosts, DateTimeOffset now, TimeSpan lifetime)
    {
        using var serving = X509Certificate2.CreateFromPem(set.ServingCertificate);
        var notAfter = new DateTimeOffset(serving.NotAfter.ToUniversalTime());
        if (now >= notAfter - lifetime / 3)
        {
            return $"the serving certificate expires at {notAfter:u}";
        }

        var names = SubjectAlternativeNames(serving);
        var missing = hosts.Where(h => !names.Contains(h)).ToList();
        return missing.Count > 0 ? "the serving certificate does not name " + string.Join(", ", missing) : null;
    }

    /// <summary>The certificate Kestrel serves, with its key.</summary>
    public static X509Certificate2 Load(CertificateSet set)
    {
        using var pem = X509Certificate2.CreateFromPem(set.ServingCertificate, set.ServingKey);

        // An ephemeral key cannot be used by SslStream on every platform; a PKCS#12 round trip gives one that can.
        return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
    }

    private static (string Certificate, string Key) IssueServing(string caPem, string caKeyPem, IReadOnlyList<string> hosts, DateTimeOffset now, TimeSpan lifetime)
    {
        using var caKey = ECDsa.Create();
        caKey.ImportFromPem(caKeyPem);
        using var caPublic = X509Certificate2.CreateFromPem(caPem);
        using var ca = caPublic.CopyWithPrivateKey(caKey);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={(hosts.Count > 0 ? hosts[0] : "aibaseline-webhook")}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        foreach (var host in hosts)
        {
            if (IPAddress.TryParse(host, out var ip))
            {
                names.AddIpAddress(ip);
            }
            else
            {
                names.AddDnsName(host);
            }
        }

        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var notAfter = now + lifetime < ca.NotAfter.ToUniversalTime() ? now + lifetime : new DateTimeOffset(ca.NotAfter.ToUniversalTime());
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        using var serving = request.Create(ca, now.AddMinutes(-5), notAfter, serial);
        return (serving.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());
    }

    private static HashSet<string> SubjectAlternativeNames(X509Certificate2 certificate)
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var extension in certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>())
        {
            foreach (var dns in extension.EnumerateDnsNames())
            {
                names.Add(dns);
            }

            foreach (var ip in extension.EnumerateIPAddresses())
            {
                names.Add(ip.ToString());
            }
        }

        return names;
    }
}
