using System.Text.Json;

namespace AiBaseline.Provenance.Signing;

/// <summary>What one signature layer proved, worst first when ranking why nothing verified.</summary>
internal enum LayerVerdict
{
    /// <summary>A trusted key signed a payload naming this image.</summary>
    Verified,
    /// <summary>The payload is not a cosign image signature for this digest (copied from another image, or edited).</summary>
    PayloadMismatch,
    /// <summary>The signature or payload cannot be decoded.</summary>
    SignatureInvalid,
    /// <summary>Well-formed, but no trusted key signed these bytes (another key, or altered bytes).</summary>
    UntrustedSigner,
}

/// <summary>Checks one cosign simple-signing layer: signature over the exact payload bytes, then the payload's claims.</summary>
internal static class SimpleSigningCheck
{
    /// <summary>The annotation holding the base64 signature.</summary>
    public const string SignatureAnnotation = "dev.cosignproject.cosign/signature";

    private const string PayloadType = "cosign container image signature";

    public static (LayerVerdict Verdict, IReadOnlyList<string> Keys) Check(byte[] payload, string? signatureBase64, string imageDigest, IReadOnlyList<TrustedKey> keys)
    {
        byte[] signature;
        try
        {
            signature = Convert.FromBase64String(signatureBase64 ?? "");
        }
        catch (FormatException)
        {
            return (LayerVerdict.SignatureInvalid, []);
        }

        if (signature.Length == 0)
        {
            return (LayerVerdict.SignatureInvalid, []);
        }

        var claims = ReadClaims(payload);
        if (claims is null)
        {
            return (LayerVerdict.SignatureInvalid, []);
        }

        var signers = keys.Where(k => k.Verify(payload, signature)).Select(k => k.Name).ToList();
        if (!NamesImage(claims.Value, imageDigest))
        {
            return (LayerVerdict.PayloadMismatch, []);
        }

        return signers.Count > 0 ? (LayerVerdict.Verified, signers) : (LayerVerdict.UntrustedSigner, []);
    }

    /// <summary>Whether the payload's claims are a cosign container image signature for <paramref name="imageDigest"/>.</summary>
    public static bool NamesImage((string? Type, string? Digest) claims, string imageDigest) =>
        claims.Type == PayloadType && string.Equals(claims.Digest, imageDigest, StringComparison.Ordinal);

    /// <summary>The payload's critical.type and critical.image.docker-manifest-digest; null when it is not such a document.</summary>
    public static (string? Type, string? Digest)? ReadClaims(byte[] payload)
    {
        try
        {
            using var json = JsonDocument.Parse(payload);
            if (!json.RootElement.TryGetProperty("critical", out var critical) || critical.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            var type = critical.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
            string? digest = null;
            if (critical.TryGetProperty("image", out var image) && image.ValueKind == JsonValueKind.Object
                && image.TryGetProperty("docker-manifest-digest", out var d) && d.ValueKind == JsonValueKind.String)
            {
                digest = d.GetString();
            }

            return (type, digest);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
