using System.Collections.Immutable;
using System.Security.Cryptography;

namespace AiBaseline.Provenance.Sigstore;

/// <summary>
/// Whom a Sigstore bundle must come from: keyless signers (identities under a trusted root, with the
/// transparency log and CT checks), a public key, or a private certificate chain (for air-gapped users).
/// </summary>
public sealed class SigstorePolicy
{
    private SigstorePolicy(TrustedRoot root, ImmutableArray<SigstoreIdentity> identities, SigningKey? key, string description, bool requireLogs)
    {
        Root = root;
        Identities = identities;
        Key = key;
        Description = description;
        RequireLogs = requireLogs;
    }

    /// <summary>The trust material the chain and logs are checked against.</summary>
    public TrustedRoot Root { get; }

    /// <summary>Keyless identities, any of which may sign; empty for key and private-chain policies.</summary>
    public ImmutableArray<SigstoreIdentity> Identities { get; }

    /// <summary>What the policy trusts, in a few words.</summary>
    public string Description { get; }

    internal SigningKey? Key { get; }

    /// <summary>Keyless verification needs a transparency log entry and SCTs; keys and private chains do not.</summary>
    internal bool RequireLogs { get; }

    /// <summary>Keyless signatures by one of <paramref name="identities"/>, certified by the root's Fulcio and logged in its Rekor.</summary>
    /// <exception cref="FormatException">An identity is unusable.</exception>
    public static SigstorePolicy Keyless(TrustedRoot root, IEnumerable<SigstoreIdentity> identities)
    {
        var list = identities.ToImmutableArray();
        if (list.IsEmpty)
        {
            throw new FormatException("a keyless policy needs at least one identity");
        }

        foreach (var identity in list)
        {
            identity.Validate();
        }

        return new SigstorePolicy(root, list, null, "identity " + string.Join(" or ", list), true);
    }

    /// <summary>Signatures by the key in a PEM "PUBLIC KEY" block.</summary>
    /// <exception cref="FormatException">The PEM holds no supported public key.</exception>
    public static SigstorePolicy PublicKey(string pem)
    {
        var key = SigningKey.FromPem(pem) ?? throw new FormatException("not a PEM public key of a supported algorithm (ECDSA, RSA, Ed25519)");
        var fingerprint = Convert.ToHexStringLower(SHA256.HashData(key.Spki))[..16];
        return new SigstorePolicy(TrustedRoot.FromCertificateChain([]), [], key, $"public key sha256:{fingerprint}…", false);
    }

    /// <summary>Signatures by a certificate that chains to one of the PEM certificates (roots or intermediates of a private PKI).</summary>
    /// <exception cref="FormatException">A PEM holds no certificate.</exception>
    public static SigstorePolicy CertificateChain(IEnumerable<string> pems)
    {
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
        return new SigstorePolicy(TrustedRoot.FromCertificateChain(anchors), [], null, $"certificate chain to {names}", false);
    }

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
