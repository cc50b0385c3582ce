using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using AiBaseline.Provenance.Sigstore;

namespace AiBaseline.Provenance.Signing;

/// <summary>
/// A named public key from the trust policy, loaded once. Verifies signatures the way cosign makes them, with the
/// same key code as Sigstore bundles (<see cref="SigningKey"/>): ECDSA (P-256/P-384/P-521, ASN.1 DER signatures),
/// RSA PKCS#1 v1.5 with SHA-256, and pure Ed25519; and checks Sigstore bundles signed with it.
/// </summary>
public sealed class TrustedKey : IDisposable
{
    private TrustedKey(string name, string fingerprint, SigningKey key, SigstorePolicy bundles)
    {
        Name = name;
        Fingerprint = fingerprint;
        Key = key;
        Bundles = bundles;
    }

    /// <summary>The key's name in the profile; results list it in SignedBy.</summary>
    public string Name { get; }

    /// <summary>sha256 of the SubjectPublicKeyInfo DER, hex; identifies the key in cache keys.</summary>
    public string Fingerprint { get; }

    /// <summary>The policy that checks Sigstore bundles whose verification material is this key.</summary>
    internal SigstorePolicy Bundles { get; }

    internal SigningKey Key { get; }

    /// <summary>Loads a PEM "PUBLIC KEY" (SubjectPublicKeyInfo), as cosign.pub holds it.</summary>
    /// <exception cref="FormatException">The PEM is not a public key of a supported algorithm; the message names the key.</exception>
    public static TrustedKey FromPem(string name, string pem)
    {
        ArgumentNullException.ThrowIfNull(pem);
        byte[] spki;
        try
        {
            var fields = PemEncoding.Find(pem);
            if (!pem[fields.Label].SequenceEqual("PUBLIC KEY"))
            {
                throw new FormatException($"signature key \"{name}\": publicKey is a PEM \"{pem[fields.Label]}\" block, expected \"PUBLIC KEY\"");
            }

            spki = Convert.FromBase64String(pem[fields.Base64Data].ToString());
        }
        catch (ArgumentException)
        {
            throw new FormatException($"signature key \"{name}\": publicKey holds no PEM block");
        }

        if (SigningKey.FromSpki(spki) is not { } key)
        {
            string? algorithm;
            try
            {
                algorithm = PublicKey.CreateFromSubjectPublicKeyInfo(spki, out _).Oid.Value;
            }
            catch (CryptographicException)
            {
                throw new FormatException($"signature key \"{name}\": publicKey is not a valid SubjectPublicKeyInfo");
            }

            throw new FormatException($"signature key \"{name}\": algorithm {algorithm} is not supported (ECDSA, RSA or Ed25519)");
        }

        return new TrustedKey(name, Convert.ToHexStringLower(SHA256.HashData(spki)), key, SigstorePolicy.ForKey(key, $"key {name}"));
    }

    /// <summary>Whether <paramref name="signature"/> is this key's signature over exactly <paramref name="data"/>.</summary>
    public bool Verify(ReadOnlySpan<byte> data, byte[] signature) => Key.Verify(data, signature);

    /// <inheritdoc />
    public void Dispose() => Key.Dispose();
}
