using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using static AiBaseline.Provenance.Sigstore.ProtoJson;

namespace AiBaseline.Provenance.Sigstore;

/// <summary>A transparency log (Rekor) or certificate transparency log key, identified by sha256 of its key.</summary>
internal sealed record LogKey(string BaseUrl, byte[] KeyId, SigningKey Key, DateTimeOffset Start, DateTimeOffset? End)
{
    public bool ValidAt(DateTimeOffset time) => time >= Start && (End is null || time <= End);
}

/// <summary>A Fulcio (or private) certificate authority: its chain, leaf-most first, and when it issued.</summary>
internal sealed record CertificateAuthority(string Uri, ImmutableArray<CertificateInfo> Chain, DateTimeOffset Start, DateTimeOffset? End)
{
    public bool ValidAt(DateTimeOffset time) => time >= Start && (End is null || time <= End);
}

/// <summary>
/// The trust material of a Sigstore deployment, read from a <c>trusted_root.json</c>
/// (application/vnd.dev.sigstore.trustedroot+json): Rekor keys, Fulcio CAs, CT log keys and RFC 3161 timestamp
/// authorities, each with its validity window.
/// </summary>
public sealed class TrustedRoot
{
    private static readonly Lazy<TrustedRoot> PublicGoodRoot = new(() =>
    {
        using var stream = typeof(TrustedRoot).Assembly.GetManifestResourceStream("AiBaseline.Provenance.Sigstore.public-good-trusted_root.json")
            ?? throw new InvalidOperationException("the public-good trusted root is not embedded in the assembly");
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        return Parse(memory.ToArray(), "public-good trusted_root.json");
    });

    private TrustedRoot(ImmutableArray<LogKey> tlogs, ImmutableArray<CertificateAuthority> authorities, ImmutableArray<LogKey> ctlogs, ImmutableArray<CertificateAuthority> timestampAuthorities)
    {
        Tlogs = tlogs;
        CertificateAuthorities = authorities;
        CtLogs = ctlogs;
        TimestampAuthorities = timestampAuthorities;
    }

    /// <summary>The Sigstore public-good instance's root as shipped with this release (see Sigstore/README.md).</summary>
    public static TrustedRoot PublicGood => PublicGoodRoot.Value;

    internal ImmutableArray<LogKey> Tlogs { get; }

    internal ImmutableArray<CertificateAuthority> CertificateAuthorities { get; }

    internal ImmutableArray<LogKey> CtLogs { get; }

    /// <summary>RFC 3161 timestamp authorities: each chain starts with the certificate that signs the timestamps.</summary>
    internal ImmutableArray<CertificateAuthority> TimestampAuthorities { get; }

    /// <summary>Reads a trusted_root.json.</summary>
    /// <param name="json">The file's bytes.</param>
    /// <param name="source">The file name, for messages.</param>
    /// <exception cref="FormatException">The file is not a trusted root; the message names the file and field.</exception>
    public static TrustedRoot Parse(byte[] json, string source)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException($"{source}: not a JSON object");
            }

            var tlogs = Array(root, "tlogs", "trustedRoot").Select((t, i) => ReadLog(t, $"trustedRoot.tlogs[{i}]")).ToImmutableArray();
            var ctlogs = Array(root, "ctlogs", "trustedRoot").Select((t, i) => ReadLog(t, $"trustedRoot.ctlogs[{i}]")).ToImmutableArray();
            var cas = Array(root, "certificateAuthorities", "trustedRoot").Select((c, i) => ReadAuthority(c, $"trustedRoot.certificateAuthorities[{i}]")).ToImmutableArray();
            var tsas = Array(root, "timestampAuthorities", "trustedRoot").Select((c, i) => ReadAuthority(c, $"trustedRoot.timestampAuthorities[{i}]")).ToImmutableArray();
            return new TrustedRoot(tlogs, cas, ctlogs, tsas);
        }
        catch (JsonException e)
        {
            throw new FormatException($"{source}: not JSON: {e.Message}", e);
        }
        catch (SigstoreVerificationException e)
        {
            throw new FormatException($"{source}: {e.Message}", e);
        }
    }

    /// <summary>A root with only certificate authorities: a private PKI's chain, leaf-most first, with no logs.</summary>
    internal static TrustedRoot FromCertificateChain(IReadOnlyList<CertificateInfo> chain) =>
        new([], [new CertificateAuthority("", [.. chain], DateTimeOffset.MinValue, null)], [], []);

    private static CertificateAuthority ReadAuthority(JsonElement c, string path)
    {
        var chain = Array(Object(c, "certChain", path), "certificates", path + ".certChain")
            .Select((x, j) => CertificateInfo.TryParse(Bytes(x, "rawBytes", $"{path}.certChain.certificates[{j}]"))
                ?? throw SigstoreVerificationException.Malformed($"{path}.certChain.certificates[{j}] is not an X.509 certificate"))
            .ToImmutableArray();
        if (chain.IsEmpty)
        {
            throw SigstoreVerificationException.Malformed($"{path}.certChain.certificates is empty");
        }

        var (start, end) = ReadValidity(c, path);
        return new CertificateAuthority(OptionalString(c, "uri", path) ?? "", chain, start, end);
    }

    private static LogKey ReadLog(JsonElement log, string path)
    {
        var key = Object(log, "publicKey", path);
        var spki = Bytes(key, "rawBytes", path + ".publicKey");
        var signingKey = SigningKey.FromSpki(spki) ?? throw SigstoreVerificationException.Malformed($"{path}.publicKey.rawBytes is not a supported public key");
        var (start, end) = ReadValidity(key, path + ".publicKey");
        return new LogKey(OptionalString(log, "baseUrl", path) ?? "", Bytes(Object(log, "logId", path), "keyId", path + ".logId"), signingKey, start, end);
    }

    private static (DateTimeOffset Start, DateTimeOffset? End) ReadValidity(JsonElement parent, string path)
    {
        if (OptionalObject(parent, "validFor", path) is not { } validFor)
        {
            return (DateTimeOffset.MinValue, null);
        }

        var start = OptionalString(validFor, "start", path + ".validFor");
        var end = OptionalString(validFor, "end", path + ".validFor");
        return (start is null ? DateTimeOffset.MinValue : Time(start, path + ".validFor.start"), end is null ? null : Time(end, path + ".validFor.end"));
    }

    private static DateTimeOffset Time(string text, string path) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t)
            ? t
            : throw SigstoreVerificationException.Malformed($"{path} \"{text}\" is not an RFC 3339 time");
}
