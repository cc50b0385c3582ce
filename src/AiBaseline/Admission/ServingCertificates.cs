using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace AiBaseline.Admission;

/// <summary>
/// The webhook's certificates as PEM, the way the Secret holds them: ca.crt (the CA bundle the API server trusts, the active
/// CA first, then a previous one while it is still valid), ca.key (the active CA's key), tls.crt and tls.key.
/// </summary>
internal sealed record CertificateSet(string CaCertificate, string CaKey, string ServingCertificate, string ServingKey);

/// <summary>
/// Issues the webhook's own CA and its serving certificate (ECDSA P-256) with <see cref="System.Security.Cryptography"/>,
/// and decides when the serving certificate is due: a third of its lifetime before it expires, or when the names it must
/// carry changed. Certificates start 5 minutes in the past, so a clock a little behind still accepts them. A renewal keeps the CA, so the CA bundle the API server trusts stays as it is and no request fails.
/// A CA with a third of its lifetime left is replaced in two steps: first the new CA joins the bundle beside the old one
/// (the serving certificate is left as it is), and only a later renewal signs with the new CA, once the API server
/// trusts both; the old CA leaves the bundle when it expires.
/// </summary>
internal static class ServingCertificates
{
    /// <summary>A fresh CA and a serving certificate it signed.</summary>
    public static CertificateSet IssueAll(IReadOnlyList<string> hosts, DateTimeOffset now, TimeSpan caLifetime, TimeSpan servingLifetime)
    {
        var (caPem, caKeyPem) = IssueCa(now, caLifetime);
        var (servingPem, servingKeyPem) = IssueServing(caPem, caKeyPem, hosts, now, servingLifetime);
        return new CertificateSet(caPem, caKeyPem, servingPem, servingKeyPem);
    }

    /// <summary>Why the active CA must be replaced now (a third of <paramref name="caLifetime"/> or less is left), or null.</summary>
    public static string? CaRotationReason(CertificateSet set, DateTimeOffset now, TimeSpan caLifetime)
    {
        using var ca = X509Certificate2.CreateFromPem(set.CaCertificate);
        var notAfter = new DateTimeOffset(ca.NotAfter.ToUniversalTime());
        return now >= notAfter - caLifetime / 3 ? $"the webhook CA expires at {notAfter:u}" : null;
    }

    /// <summary>
    /// A new active CA, trusted beside the CAs of the bundle still valid at <paramref name="now"/>; the serving certificate is
    /// kept, since the API server does not trust the new CA until it has read the new bundle.
    /// </summary>
    public static CertificateSet RotateCa(CertificateSet current, DateTimeOffset now, TimeSpan caLifetime)
    {
        var (caPem, caKeyPem) = IssueCa(now, caLifetime);
        var bundle = new X509Certificate2Collection();
        bundle.ImportFromPem(current.CaCertificate);
        var kept = bundle.Where(c => c.NotAfter.ToUniversalTime() > now.UtcDateTime).Select(c => c.ExportCertificatePem()).Take(1).ToList();
        foreach (var certificate in bundle)
        {
            certificate.Dispose();
        }

        return current with { CaCertificate = string.Join("\n", [caPem, .. kept]), CaKey = caKeyPem };
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

    private static (string Certificate, string Key) IssueCa(DateTimeOffset now, TimeSpan lifetime)
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        // Each CA gets a name of its own, so chain builders never confuse the old and the new one while both are trusted.
        var request = new CertificateRequest($"CN=aibaseline-webhook-ca-{now.UtcDateTime:yyyyMMddTHHmmssfffZ}, O=aibaseline.io", caKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        using var ca = request.CreateSelfSigned(now.AddMinutes(-5), now + lifetime);
        return (ca.ExportCertificatePem(), caKey.ExportPkcs8PrivateKeyPem());
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
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
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
