using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace AiBaseline.Provenance.Sigstore;

/// <summary>
/// Checks that a Rekor entry's canonicalized body is about this bundle: hashedrekord 0.0.1 (signature, digest,
/// certificate or key), dsse 0.0.1 (payload hash, signature, verifier) or intoto 0.0.2 (payload hash, signature,
/// key), with the kind and version the bundle declares.
/// </summary>
internal static class TlogBodyCheck
{
    public static void Verify(TlogEntry entry, SigstoreBundle bundle, byte[]? signerDer)
    {
        try
        {
            using var document = JsonDocument.Parse(entry.CanonicalizedBody);
            var root = document.RootElement;
            var kind = root.GetProperty("kind").GetString();
            var version = root.GetProperty("apiVersion").GetString();
            if (kind != entry.Kind || version != entry.KindVersion)
            {
                throw Mismatch(entry, $"its body is a {kind} {version} entry, the bundle says {entry.Kind} {entry.KindVersion}");
            }

            var spec = root.GetProperty("spec");
            switch ((kind, version, bundle.Dsse, bundle.MessageSignature))
            {
                case ("hashedrekord", "0.0.1", null, { } message):
                    var data = spec.GetProperty("data").GetProperty("hash");
                    if (message.Digest is null || data.GetProperty("algorithm").GetString() != "sha256"
                        || !string.Equals(data.GetProperty("value").GetString(), Convert.ToHexStringLower(message.Digest), StringComparison.OrdinalIgnoreCase))
                    {
                        throw Mismatch(entry, "its body is for another artifact digest");
                    }

                    var signature = spec.GetProperty("signature");
                    Same(entry, signature.GetProperty("content").GetString(), message.Signature);
                    SameSigner(entry, signature.GetProperty("publicKey").GetProperty("content").GetString(), signerDer);
                    return;
                case ("dsse", "0.0.1", { } envelope, null):
                    SamePayload(entry, spec.GetProperty("payloadHash"), envelope.Payload);
                    var signatures = spec.GetProperty("signatures").EnumerateArray().ToList();
                    if (signatures.Count != envelope.Signatures.Length)
                    {
                        throw Mismatch(entry, $"its body has {signatures.Count} signatures, the envelope {envelope.Signatures.Length}");
                    }

                    Same(entry, signatures[0].GetProperty("signature").GetString(), envelope.Signatures[0]);
                    SameSigner(entry, signatures[0].GetProperty("verifier").GetString(), signerDer);
                    return;
                case ("intoto", "0.0.2", { } envelope, null):
                    var content = spec.GetProperty("content");
                    SamePayload(entry, content.GetProperty("payloadHash"), envelope.Payload);
                    var intotoSignatures = content.GetProperty("envelope").GetProperty("signatures").EnumerateArray().ToList();
                    if (intotoSignatures.Count != envelope.Signatures.Length)
                    {
                        throw Mismatch(entry, $"its body has {intotoSignatures.Count} signatures, the envelope {envelope.Signatures.Length}");
                    }

                    // intoto 0.0.2 stores the signature base64-encoded twice.
                    var inner = ProtoJson.DecodeBase64(intotoSignatures[0].GetProperty("sig").GetString() ?? "");
                    Same(entry, inner is null ? null : Encoding.UTF8.GetString(inner), envelope.Signatures[0]);
                    SameSigner(entry, intotoSignatures[0].GetProperty("publicKey").GetString(), signerDer);
                    return;
                default:
                    throw Mismatch(entry, $"a {kind} {version} entry cannot record a bundle with {(bundle.Dsse is null ? "a message signature" : "a DSSE envelope")}");
            }
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw Mismatch(entry, "its body is not a Rekor entry of the expected shape");
        }
    }

    private static void SamePayload(TlogEntry entry, JsonElement hash, byte[] payload)
    {
        if (hash.GetProperty("algorithm").GetString() != "sha256"
            || !string.Equals(hash.GetProperty("value").GetString(), Convert.ToHexStringLower(SHA256.HashData(payload)), StringComparison.OrdinalIgnoreCase))
        {
            throw Mismatch(entry, "its body is for another payload");
        }
    }

    private static void Same(TlogEntry entry, string? base64, byte[] signature)
    {
        if (base64 is null || ProtoJson.DecodeBase64(base64) is not { } logged || !logged.AsSpan().SequenceEqual(signature))
        {
            throw Mismatch(entry, "its body records another signature");
        }
    }

    /// <summary>The logged verifier is base64 of a PEM certificate (or key); it must be the bundle's signer.</summary>
    private static void SameSigner(TlogEntry entry, string? base64, byte[]? signerDer)
    {
        if (signerDer is null)
        {
            return;
        }

        var pem = base64 is null ? null : ProtoJson.DecodeBase64(base64);
        byte[]? der = null;
        if (pem is not null && PemEncoding.TryFind(Encoding.UTF8.GetString(pem), out var fields))
        {
            var text = Encoding.UTF8.GetString(pem);
            der = ProtoJson.DecodeBase64(text[fields.Base64Data].ToString());
        }

        if (der is null || !der.AsSpan().SequenceEqual(signerDer))
        {
            throw Mismatch(entry, "its body records another signing certificate or key");
        }
    }

    private static SigstoreVerificationException Mismatch(TlogEntry entry, string why) =>
        new(SigstoreReasons.TlogEntryMismatch, $"log entry {entry.LogIndex} does not match the bundle: {why}");
}
