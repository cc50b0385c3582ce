using System.Collections.Immutable;
using System.Security.Cryptography;

namespace AiBaseline.Provenance.Sigstore;

/// <summary>
/// Whom a Sigstore bundle must come from: keyless signers (identities under a trusted root, with the
/// transparency log and CT checks), a public key, or a private certificate chain (for air-gapped users).
/// </summary>
public sealed class SigstorePolicy
{
    private SigstorePolicy(TrustedRoot root, ImmutableArray<SigstoreIdentity> identities, SigningKey? key, string description, bool requireTlog, bool requireSct)
    {
        Root = root;
        Identities = identities;
        Key = key;
        Description = description;
        RequireTlog = requireTlog;
        RequireSct = requireSct;
    }

    /// <summary>The trust material the chain and logs are checked against.</summary>
    public TrustedRoot Root { get; }

    /// <summary>Keyless identities, any of which may sign; empty for key and private-chain policies.</summary>
    public ImmutableArray<SigstoreIdentity> Identities { get; }

    /// <summary>What the policy trusts, in a few words.</summary>
    public string Description { get; }

    internal SigningKey? Key { get; }

    /// <summary>Whether a transparency log entry must date the signature (then the chain is checked at the log's time, else at the verifier's clock).</summary>
    internal bool RequireTlog { get; }

    /// <summary>Whether the signing certificate must carry an SCT from a CT log of the root.</summary>
    internal bool RequireSct { get; }

    /// <summary>Keyless signatures by one of <paramref name="identities"/>, certified by the root's Fulcio and logged in its Rekor.</summary>
    /// <exception cref="FormatException">An identity is unusable.</exception>
    public static SigstorePolicy Keyless(TrustedRoot root, IEnumerable<SigstoreIdentity> identities)
    {
        var list = Validated(identities, allowEmpty: false);
        return new SigstorePolicy(root, list, null, Describe(list), true, true);
    }

    /// <summary>
    /// Keyless signatures by one of <paramref name="identities"/> under a root that may be private: a transparency
    /// log entry is required when the root lists a log, an SCT when it lists a CT log. A root with certificate
    /// authorities only (a private CA) checks the chain at the verifier's clock, as cosign does for private infrastructure.
    /// </summary>
    /// <exception cref="FormatException">An identity is unusable, or there is none.</exception>
    public static SigstorePolicy KeylessUnder(TrustedRoot root, IEnumerable<SigstoreIdentity> identities)
    {
        ArgumentNullException.ThrowIfNull(root);
        var list = Validated(identities, allowEmpty: false);
        return new SigstorePolicy(root, list, null, Describe(list), !root.Tlogs.IsEmpty, !root.CtLogs.IsEmpty);
    }

    /// <summary>Signatures by the key in a PEM "PUBLIC KEY" block.</summary>
    /// <exception cref="FormatException">The PEM holds no supported public key.</exception>
    public static SigstorePolicy PublicKey(string pem)
    {
        var key = SigningKey.FromPem(pem) ?? throw new FormatException("not a PEM public key of a supported algorithm (ECDSA, RSA, Ed25519)");
        return ForKey(key, $"public key sha256:{Convert.ToHexStringLower(SHA256.HashData(key.Spki))[..16]}…");
    }

    /// <summary>Signatures by <paramref name="key"/>, described as <paramref name="description"/>; no log, no timestamps.</summary>
    internal static SigstorePolicy ForKey(SigningKey key, string description) =>
        new(TrustedRoot.FromCertificateChain([]), [], key, description, false, false);

    /// <summary>
    /// Signatures by a certificate that chains to one of the PEM certificates (roots or intermediates of a private PKI),
    /// and, when <paramref name="identities"/> are given, names one of them.
    /// </summary>
    /// <exception cref="FormatException">A PEM holds no certificate, or an identity is unusable.</exception>
    public static SigstorePolicy CertificateChain(IEnumerable<string> pems, IEnumerable<SigstoreIdentity>? identities = null)
    {
        var list = Validated(identities ?? [], allowEmpty: true);
        var anchors = new List<CertificateInfo>();
        foreach (var pem in pems)
        {
            var found = false;
            foreach (var block in PemBlocks(pem, "CERTIFICATE"))
            {
                anchors.Add(CertificateInfo.TryParse(block) ?? throw new FormatException("a PEM CERTIFICATE block is not an X.509 certificate"));
                found = true;
            }

            if (!found)
            {
                throw new FormatException("holds no PEM CERTIFICATE block");
            }
        }

        var names = string.Join(", ", anchors.Select(a => a.Certificate.SubjectDN.ToString()));
        var description = $"certificate chain to {names}" + (list.IsEmpty ? "" : ", " + Describe(list));
        return new SigstorePolicy(TrustedRoot.FromCertificateChain(anchors), list, null, description, false, false);
    }

    private static ImmutableArray<SigstoreIdentity> Validated(IEnumerable<SigstoreIdentity> identities, bool allowEmpty)
    {
        var list = identities.ToImmutableArray();
        if (list.IsEmpty && !allowEmpty)
        {
            throw new FormatException("a keyless policy needs at least one identity");
        }

        foreach (var identity in list)
        {
            identity.Validate();
        }

        return list;
    }

    private static string Describe(ImmutableArray<SigstoreIdentity> identities) => "identity " + string.Join(" or ", identities);

    private static IEnumerable<byte[]> PemBlocks(string text, string label)
    {
        var rest = text;
        while (PemEncoding.TryFind(rest, out var fields))
        {
            if (rest[fields.Label].SequenceEqual(label) && ProtoJson.DecodeBase64(rest[fields.Base64Data].ToString()) is { } der)
            {
                yield return der;
            }

            rest = rest[fields.Location.End..];
        }
    }

    /// <summary>A stable text of the policy, for cache keys.</summary>
    public override string ToString() => Description;
}
