using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;

namespace AiBaseline.Provenance.Signing;

/// <summary>
/// A named public key from the trust policy, loaded once. Verifies signatures the way cosign makes them:
/// ECDSA (P-256/P-384/P-521, ASN.1 DER signatures, SHA-256), RSA PKCS#1 v1.5 with SHA-256, and pure Ed25519.
/// </summary>
public sealed class TrustedKey : IDisposable
{
    private const string EcOid = "1.2.840.10045.2.1";
    private const string RsaOid = "1.2.840.113549.1.1.1";
    private const string Ed25519Oid = "1.3.101.112";

    private readonly ECDsa? ecdsa;
    private readonly RSA? rsa;
    private readonly Ed25519PublicKeyParameters? ed25519;

    private TrustedKey(string name, string fingerprint, ECDsa? ecdsa, RSA? rsa, Ed25519PublicKeyParameters? ed25519)
    {
        Name = name;
        Fingerprint = fingerprint;
        this.ecdsa = ecdsa;
        this.rsa = rsa;
        this.ed25519 = ed25519;
    }

    /// <summary>The key's name in the profile; results list it in SignedBy.</summary>
    public string Name { get; }

    /// <summary>sha256 of the SubjectPublicKeyInfo DER, hex; identifies the key in cache keys.</summary>
    public string Fingerprint { get; }

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

        var fingerprint = Convert.ToHexStringLower(SHA256.HashData(spki));
        try
        {
            var key = PublicKey.CreateFromSubjectPublicKeyInfo(spki, out _);
            return key.Oid.Value switch
            {
                EcOid => new TrustedKey(name, fingerprint, key.GetECDsaPublicKey(), null, null),
                RsaOid => new TrustedKey(name, fingerprint, null, key.GetRSAPublicKey(), null),
                Ed25519Oid => new TrustedKey(name, fingerprint, null, null, new Ed25519PublicKeyParameters(key.EncodedKeyValue.RawData)),
                _ => throw new FormatException($"signature key \"{name}\": algorithm {key.Oid.Value} is not supported (ECDSA, RSA or Ed25519)"),
            };
        }
        catch (CryptographicException)
        {
            throw new FormatException($"signature key \"{name}\": publicKey is not a valid SubjectPublicKeyInfo");
        }
    }

    /// <summary>Whether <paramref name="signature"/> is this key's signature over exactly <paramref name="data"/>.</summary>
    public bool Verify(ReadOnlySpan<byte> data, byte[] signature)
    {
        try
        {
            if (ecdsa is not null)
            {
                return ecdsa.VerifyData(data, signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
            }

            if (rsa is not null)
            {
                return rsa.VerifyData(data, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            }

            var signer = new Ed25519Signer();
            signer.Init(false, ed25519);
            var bytes = data.ToArray();
            signer.BlockUpdate(bytes, 0, bytes.Length);
            return signer.VerifySignature(signature);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        ecdsa?.Dispose();
        rsa?.Dispose();
    }
}
