using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace AiBaseline.Provenance.Oci;

/// <summary>Builds the socket handler: pooled connections, and extra CAs trusted on top of the system store.</summary>
internal static class RegistryHttpHandler
{
    public static SocketsHttpHandler Create(RegistryClientOptions options)
    {
        var handler = new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectTimeout = options.RequestTimeout,
            AutomaticDecompression = System.Net.DecompressionMethods.None,
            // A registry redirecting blob reads to object storage is normal; the digest check guards the bytes.
            AllowAutoRedirect = true,
        };
        if (options.ExtraTrustedCertificates is { Count: > 0 } extra)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, chain, errors) =>
                errors == SslPolicyErrors.None || TrustedByExtraCa(certificate, chain, errors, extra);
        }

        return handler;
    }

    private static bool TrustedByExtraCa(X509Certificate? certificate, X509Chain? presented, SslPolicyErrors errors, X509Certificate2Collection extra)
    {
        // Only chain problems may be excused by our CAs; a name mismatch stays fatal.
        if (certificate is null || errors != SslPolicyErrors.RemoteCertificateChainErrors)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(extra);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (presented is not null)
        {
            foreach (var element in presented.ChainElements)
            {
                chain.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        using var leaf = new X509Certificate2(certificate);
        return chain.Build(leaf);
    }
}
