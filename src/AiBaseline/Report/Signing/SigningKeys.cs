using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Macs;
using Org.BouncyCastle.Crypto.Parameters;

namespace AiBaseline.Report.Signing;

/// <summary>A key file that cannot be used, with what to do about it.</summary>
public sealed class KeyFileException(string message) : Exception(message);

/// <summary>
/// Reads the keys that sign and verify reports: an ECDSA P-256 private key as PEM (<c>EC PRIVATE KEY</c>,
/// <c>PRIVATE KEY</c>, or <c>ENCRYPTED PRIVATE KEY</c> with a password), or cosign's own encrypted key
/// (<c>ENCRYPTED SIGSTORE PRIVATE KEY</c> or <c>ENCRYPTED COSIGN PRIVATE KEY</c> from <c>cosign generate-key-pair</c>:
/// a JSON document whose PKCS#8 key is sealed with NaCl secretbox under a key derived from the password by scrypt);
/// the password comes from <c>COSIGN_PASSWORD</c>, as cosign takes it. Public keys are PEM <c>PUBLIC KEY</c>, as
/// cosign writes cosign.pub.
/// </summary>
public static class SigningKeys
{
    /// <summary>The private key of <paramref name="path"/>.</summary>
    public static ECDsa LoadPrivate(string path, string? password)
    {
        var pem = Read(path, "--sign-key");
        var key = ECDsa.Create();
        try
        {
            var block = Block(pem, path);
            switch (block.Label)
            {
                case "ENCRYPTED SIGSTORE PRIVATE KEY" or "ENCRYPTED COSIGN PRIVATE KEY":
                    key.ImportPkcs8PrivateKey(OpenCosignKey(path, block.Der, password ?? ""), out _);
                    break;
                case "ENCRYPTED PRIVATE KEY":
                    key.ImportFromEncryptedPem(pem, password ?? throw new KeyFileException($"--sign-key: {path}: the key is encrypted: set COSIGN_PASSWORD to its password"));
                    break;
                case "EC PRIVATE KEY" or "PRIVATE KEY":
                    key.ImportFromPem(pem);
                    break;
                default:
                    throw new KeyFileException($"--sign-key: {path}: a PEM block \"{block.Label}\" is not a private key: use an ECDSA P-256 key (openssl ecparam -name prime256v1 -genkey, or cosign generate-key-pair)");
            }
        }
        catch (CryptographicException e)
        {
            key.Dispose();
            throw new KeyFileException($"--sign-key: {path}: not a usable ECDSA private key: {e.Message}");
        }
        catch
        {
            key.Dispose();
            throw;
        }

        return RequireP256(key, path, "--sign-key");
    }

    /// <summary>The public key of <paramref name="path"/>, such as cosign.pub.</summary>
    public static ECDsa LoadPublic(string path)
    {
        var pem = Read(path, "--key");
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(pem);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            key.Dispose();
            throw new KeyFileException($"--key: {path}: not an ECDSA public key in PEM (-----BEGIN PUBLIC KEY-----): {e.Message}");
        }

        return RequireP256(key, path, "--key");
    }

    private static byte[] OpenCosignKey(string path, byte[] document, string password)
    {
        CosignKeyFile file;
        try
        {
            file = JsonSerializer.Deserialize<CosignKeyFile>(document) ?? throw new JsonException("empty");
        }
        catch (JsonException e)
        {
            throw new KeyFileException($"--sign-key: {path}: not a cosign key file: {e.Message}");
        }

        if (file.Kdf?.Name != "scrypt" || file.Cipher?.Name != "nacl/secretbox" || file.Kdf.Params is not { } p || file.Kdf.Salt is null || file.Cipher.Nonce is null || file.Ciphertext is null)
        {
            throw new KeyFileException($"--sign-key: {path}: a cosign key must use scrypt and nacl/secretbox, found {file.Kdf?.Name} and {file.Cipher?.Name}");
        }

        var secret = SCrypt.Generate(Encoding.UTF8.GetBytes(password), Convert.FromBase64String(file.Kdf.Salt), p.N, p.R, p.P, 32);
        var sealedBox = Convert.FromBase64String(file.Ciphertext);
        var nonce = Convert.FromBase64String(file.Cipher.Nonce);
        if (nonce.Length != 24 || sealedBox.Length < 16)
        {
            throw new KeyFileException($"--sign-key: {path}: the cosign key's nonce or ciphertext is cut short");
        }

        // NaCl secretbox: XSalsa20's first 32 bytes of key stream are the Poly1305 key; the tag leads the ciphertext.
        var stream = new XSalsa20Engine();
        stream.Init(false, new ParametersWithIV(new KeyParameter(secret), nonce));
        var macKey = new byte[32];
        stream.ProcessBytes(new byte[32], 0, 32, macKey, 0);
        var mac = new Poly1305();
        mac.Init(new KeyParameter(macKey));
        mac.BlockUpdate(sealedBox, 16, sealedBox.Length - 16);
        var tag = new byte[16];
        mac.DoFinal(tag, 0);
        if (!CryptographicOperations.FixedTimeEquals(tag, sealedBox.AsSpan(0, 16)))
        {
            throw new KeyFileException($"--sign-key: {path}: the password does not open this cosign key: set COSIGN_PASSWORD to the password it was made with");
        }

        var plain = new byte[sealedBox.Length - 16];
        stream.ProcessBytes(sealedBox, 16, plain.Length, plain, 0);
        return plain;
    }

    private static string Read(string path, string flag)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new KeyFileException($"{flag}: {path}: cannot be read: {e.Message}");
        }
    }

    private static (string Label, byte[] Der) Block(string pem, string path)
    {
        if (!PemEncoding.TryFind(pem, out var fields))
        {
            throw new KeyFileException($"--sign-key: {path}: no PEM block (-----BEGIN ...-----) in the key file");
        }

        return (pem[fields.Label].ToString(), Convert.FromBase64String(pem[fields.Base64Data].ToString()));
    }

    private static ECDsa RequireP256(ECDsa key, string path, string flag)
    {
        if (key.ExportParameters(false).Curve.Oid.Value != "1.2.840.10045.3.1.7")
        {
            key.Dispose();
            throw new KeyFileException($"{flag}: {path}: the key is not on curve P-256 (prime256v1), which cosign uses");
        }

        return key;
    }

    private sealed record CosignKeyFile(
        [property: System.Text.Json.Serialization.JsonPropertyName("kdf")] Kdf? Kdf,
        [property: System.Text.Json.Serialization.JsonPropertyName("cipher")] Cipher? Cipher,
        [property: System.Text.Json.Serialization.JsonPropertyName("ciphertext")] string? Ciphertext);

    private sealed record Kdf(
        [property: System.Text.Json.Serialization.JsonPropertyName("name")] string? Name,
        [property: System.Text.Json.Serialization.JsonPropertyName("params")] ScryptParams? Params,
        [property: System.Text.Json.Serialization.JsonPropertyName("salt")] string? Salt);

    private sealed record ScryptParams(
        [property: System.Text.Json.Serialization.JsonPropertyName("N")] int N,
        [property: System.Text.Json.Serialization.JsonPropertyName("r")] int R,
        [property: System.Text.Json.Serialization.JsonPropertyName("p")] int P);

    private sealed record Cipher(
        [property: System.Text.Json.Serialization.JsonPropertyName("name")] string? Name,
        [property: System.Text.Json.Serialization.JsonPropertyName("nonce")] string? Nonce);
}
