using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;

namespace AiBaseline.Provenance.Sigstore;

/// <summary>
/// A public key from a SubjectPublicKeyInfo: ECDSA (the hash follows the curve: P-256 SHA-256, P-384 SHA-384,
/// P-521 SHA-512, as Sigstore's key details name them), RSA PKCS#1 v1.5 with SHA-256, or Ed25519.
/// </summary>
internal sealed class SigningKey : IDisposable
{
    private readonly ECDsa? ecdsa;
    private readonly HashAlgorithmName ecHash;
    private readonly RSA? rsa;
    private readonly Ed25519PublicKeyParameters? ed25519;

    private SigningKey(byte[] spki, ECDsa? ecdsa, HashAlgorithmName ecHash, RSA? rsa, Ed25519PublicKeyParameters? ed25519)
    {
        Spki = spki;
        this.ecdsa = ecdsa;
        this.ecHash = ecHash;
        this.rsa = rsa;
        this.ed25519 = ed25519;
    }

    /// <summary>The DER SubjectPublicKeyInfo.</summary>
    public byte[] Spki { get; }

    /// <summary>Loads a DER SubjectPublicKeyInfo; null when it is not a key of a supported algorithm.</summary>
    public static SigningKey? FromSpki(byte[] spki)
    {
        try
        {
            var key = System.Security.Cryptography.X509Certificates.PublicKey.CreateFromSubjectPublicKeyInfo(spki, out _);
            switch (key.Oid.Value)
            {
                case "1.2.840.10045.2.1":
                    var ec = key.GetECDsaPublicKey()!;
                    var hash = ec.KeySize switch { 384 => HashAlgorithmName.SHA384, 521 => HashAlgorithmName.SHA512, _ => HashAlgorithmName.SHA256 };
                    return new SigningKey(spki, ec, hash, null, null);
                case "1.2.840.113549.1.1.1":
                    return new SigningKey(spki, null, default, key.GetRSAPublicKey(), null);
                case "1.3.101.112":
                    return new SigningKey(spki, null, default, null, new Ed25519PublicKeyParameters(key.EncodedKeyValue.RawData));
                default:
                    return null;
            }
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException or NotSupportedException)
        {
            return null;
        }
    }

    /// <summary>Loads the first PEM "PUBLIC KEY" or "CERTIFICATE" block's key; null when there is none.</summary>
    public static SigningKey? FromPem(string pem)
    {
        if (!PemEncoding.TryFind(pem, out var fields))
        {
            return null;
        }

        var der = ProtoJson.DecodeBase64(pem[fields.Base64Data].ToString());
        if (der is null)
        {
            return null;
        }

        return pem[fields.Label] switch
        {
            "PUBLIC KEY" => FromSpki(der),
            "CERTIFICATE" => FromSpki(CertificateInfo.SpkiOf(der)),
            _ => null,
        };
    }

    public void Dispose()
    {
        ecdsa?.Dispose();
        rsa?.Dispose();
    }

    /// <summary>Whether the signature is this key's over <paramref name="data"/>.</summary>
    public bool Verify(ReadOnlySpan<byte> data, byte[] signature)
    {
        try
        {
            if (ecdsa is not null)
            {
                return ecdsa.VerifyData(data, signature, ecHash, DSASignatureFormat.Rfc3279DerSequence)
                    || (ecHash != HashAlgorithmName.SHA256 && ecdsa.VerifyData(data, signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));
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

    /// <summary>
    /// Whether the signature is this key's over <paramref name="data"/> with the given hash (an X.509 signature
    /// algorithm's); null when the key type does not fit the algorithm, so the caller can fall back.
    /// </summary>
    public bool? VerifyWithHash(ReadOnlySpan<byte> data, byte[] signature, HashAlgorithmName hash, bool rsaAlgorithm)
    {
        try
        {
            if (ecdsa is not null && !rsaAlgorithm)
            {
                return ecdsa.VerifyData(data, signature, hash, DSASignatureFormat.Rfc3279DerSequence);
            }

            if (rsa is not null && rsaAlgorithm)
            {
                return rsa.VerifyData(data, signature, hash, RSASignaturePadding.Pkcs1);
            }

            return null;
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    /// <summary>Whether the signature is this key's over a message whose digest (of <paramref name="algorithm"/>) is given.</summary>
    public bool VerifyDigest(byte[] digest, HashAlgorithmName algorithm, byte[] signature)
    {
        try
        {
            if (ecdsa is not null)
            {
                return ecdsa.VerifyHash(digest, signature, DSASignatureFormat.Rfc3279DerSequence);
            }

            return rsa is not null && rsa.VerifyHash(digest, signature, algorithm, RSASignaturePadding.Pkcs1);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }
}
