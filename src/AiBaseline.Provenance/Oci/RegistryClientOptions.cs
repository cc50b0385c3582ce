using System.Security.Cryptography.X509Certificates;

namespace AiBaseline.Provenance.Oci;

/// <summary>How the registry client connects: plain-HTTP registries, extra CAs, timeouts and retries.</summary>
public sealed record RegistryClientOptions
{
    /// <summary>Registry hosts ("host:port") spoken to over plain HTTP; every other registry uses HTTPS.</summary>
    public IReadOnlySet<string> PlainHttpRegistries { get; init; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>CA certificates trusted in addition to the system store, for registries with a private CA.</summary>
    public X509Certificate2Collection? ExtraTrustedCertificates { get; init; }

    /// <summary>Time allowed for one HTTP request, including reading the body.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Retries after a 429, a 5xx or a connection failure; other answers are never retried.</summary>
    public int MaxRetries { get; init; } = 3;

    /// <summary>First retry delay; each further retry doubles it, with ±50 % jitter.</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Upper bound on any single retry delay, including one a Retry-After header asks for.</summary>
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Largest manifest or blob read into memory; signature payloads and envelopes are a few KiB.</summary>
    public int MaxContentBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary>Reads a PEM bundle (one or more CERTIFICATE blocks) for <see cref="ExtraTrustedCertificates"/>.</summary>
    public static X509Certificate2Collection LoadPemBundle(string pem)
    {
        var collection = new X509Certificate2Collection();
        collection.ImportFromPem(pem);
        return collection;
    }
}
