using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace AiBaseline.ControlPlane;

/// <summary>
/// The certificates and keys a control plane needs, made fresh for each one and written as PEM files into its folder:
/// a CA, the API server's serving certificate for 127.0.0.1 and localhost, client certificates for the admin
/// (<c>O=system:masters</c>) and the controller manager, and the ServiceAccount token signing key.
/// </summary>
internal sealed class ClusterPki
{
    private ClusterPki(string directory) => Directory = directory;

    public string Directory { get; }

    public string CaCertificate => Path.Combine(Directory, "ca.crt");

    public string ServingCertificate => Path.Combine(Directory, "apiserver.crt");

    public string ServingKey => Path.Combine(Directory, "apiserver.key");

    public string AdminCertificate => Path.Combine(Directory, "admin.crt");

    public string AdminKey => Path.Combine(Directory, "admin.key");

    public string ControllerManagerCertificate => Path.Combine(Directory, "controller-manager.crt");

    public string ControllerManagerKey => Path.Combine(Directory, "controller-manager.key");

    public string ServiceAccountKey => Path.Combine(Directory, "sa.key");

    public string ServiceAccountPublicKey => Path.Combine(Directory, "sa.pub");

    /// <summary>Makes every certificate and key, valid for a day, under <paramref name="directory"/>.</summary>
    public static ClusterPki Create(string directory)
    {
        var pki = new ClusterPki(directory);
        System.IO.Directory.CreateDirectory(directory);
        var now = DateTimeOffset.UtcNow.AddMinutes(-5);

        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=aibaseline-test-ca", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        using var ca = caRequest.CreateSelfSigned(now, now.AddDays(1));
        File.WriteAllText(pki.CaCertificate, ca.ExportCertificatePem());

        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        names.AddDnsName("kubernetes.default.svc");
        Issue(ca, "CN=kube-apiserver", names.Build(), serverAuth: true, pki.ServingCertificate, pki.ServingKey, now);
        Issue(ca, "CN=aibaseline-test-admin, O=system:masters", null, serverAuth: false, pki.AdminCertificate, pki.AdminKey, now);
        Issue(ca, "CN=system:kube-controller-manager", null, serverAuth: false, pki.ControllerManagerCertificate, pki.ControllerManagerKey, now);

        using var serviceAccountKey = RSA.Create(2048);
        File.WriteAllText(pki.ServiceAccountKey, serviceAccountKey.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(pki.ServiceAccountPublicKey, serviceAccountKey.ExportSubjectPublicKeyInfoPem());
        return pki;
    }

    private static void Issue(X509Certificate2 ca, string subject, X509Extension? alternativeNames, bool serverAuth, string certificatePath, string keyPath, DateTimeOffset notBefore)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([Oid.FromOidValue(serverAuth ? "1.3.6.1.5.5.7.3.1" : "1.3.6.1.5.5.7.3.2", OidGroup.EnhancedKeyUsage)], false));
        if (alternativeNames is not null)
        {
            request.CertificateExtensions.Add(alternativeNames);
        }

        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7f;
        using var certificate = request.Create(ca, notBefore, notBefore.AddDays(1), serial);
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
    }
}
