using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text.Json;
using AiBaseline.Provenance.Sigstore;

namespace AiBaseline.Provenance.Signing;

/// <summary>What one certificate-signed layer proved: the signers it verified for, or the furthest failure.</summary>
internal sealed record KeylessLayerResult(IReadOnlyList<string> Signers, LayerVerdict? Verdict, string? Reason, string? Message)
{
    public static KeylessLayerResult Invalid(string message) => new([], LayerVerdict.SignatureInvalid, VerificationReasons.SignatureInvalid, message);
}

/// <summary>
/// Checks one cosign simple-signing layer signed with a certificate, in the legacy tag format: the layer's
/// <c>dev.sigstore.cosign/certificate</c>, <c>/chain</c> and <c>/bundle</c> (the Rekor signed entry timestamp)
/// annotations become a Sigstore bundle with a message signature over the payload, which
/// <see cref="SigstoreVerifier"/> checks against each certificate signer: signature, log entry and SET (when the
/// signer's root has a log), chain, SCT (when the root has a CT log) and identity. Then the payload must name the digest.
/// </summary>
internal static class KeylessLayerCheck
{
    public const string CertificateAnnotation = "dev.sigstore.cosign/certificate";
    public const string ChainAnnotation = "dev.sigstore.cosign/chain";
    public const string BundleAnnotation = "dev.sigstore.cosign/bundle";

    /// <summary>Failures that got further in the verification say more; the furthest is reported.</summary>
    private static readonly ImmutableArray<string> Progress =
    [
        SigstoreReasons.MalformedBundle, SigstoreReasons.UntrustedKey, SigstoreReasons.SignatureMismatch, SigstoreReasons.MissingTlogEntry,
        SigstoreReasons.TlogEntryMismatch, SigstoreReasons.InvalidSignedEntryTimestamp, SigstoreReasons.InvalidInclusionProof,
        SigstoreReasons.MissingTimestamp, SigstoreReasons.TimestampMismatch, SigstoreReasons.UntrustedTimestampAuthority, SigstoreReasons.InvalidTimestamp,
        SigstoreReasons.UntrustedChain, SigstoreReasons.ExpiredAtSigning, SigstoreReasons.InvalidSct, SigstoreReasons.IdentityMismatch,
        VerificationReasons.PayloadMismatch,
    ];

    public static KeylessLayerResult Check(byte[] payload, IReadOnlyDictionary<string, string> annotations, string imageDigest, IReadOnlyList<CertificateSigner> signers, DateTimeOffset now)
    {
        var signature = ProtoJson.DecodeBase64(annotations.GetValueOrDefault(SimpleSigningCheck.SignatureAnnotation) ?? "");
        if (signature is not { Length: > 0 })
        {
            return KeylessLayerResult.Invalid($"the {SimpleSigningCheck.SignatureAnnotation} annotation is not base64");
        }

        var sha256 = SHA256.HashData(payload);
        var (bundle, problem) = ToBundle(annotations, new MessageSignature("SHA2_256", sha256, signature), null);
        if (bundle is null)
        {
            return KeylessLayerResult.Invalid(problem!);
        }

        var verified = new List<string>();
        SigstoreVerificationException? furthest = null;
        foreach (var signer in signers)
        {
            try
            {
                verified.Add(signer.Describe(SigstoreVerifier.Verify(bundle, signer.Policy, sha256, now).Signer));
            }
            catch (SigstoreVerificationException e)
            {
                var named = signer.Name is null ? e : new SigstoreVerificationException(e.Reason, $"{signer.Name}: {e.Message}");
                furthest = Further(furthest, named);
            }
        }

        if (verified.Count == 0)
        {
            return new KeylessLayerResult([], null, furthest?.Reason ?? VerificationReasons.UntrustedSigner, furthest?.Message ?? "no certificate signer is trusted");
        }

        var claims = SimpleSigningCheck.ReadClaims(payload);
        if (claims is null)
        {
            return KeylessLayerResult.Invalid("the signed payload is not a cosign simple-signing document");
        }

        return SimpleSigningCheck.NamesImage(claims.Value, imageDigest)
            ? new KeylessLayerResult(verified, LayerVerdict.Verified, null, null)
            : new KeylessLayerResult([], LayerVerdict.PayloadMismatch, VerificationReasons.PayloadMismatch, "the signed payload names another image");
    }

    /// <summary>
    /// Checks one legacy <c>.att</c> layer signed with a certificate: the DSSE envelope with the layer's certificate,
    /// chain and Rekor annotations, against each certificate signer; then its in-toto statement must name the digest.
    /// </summary>
    public static (VerifiedAttestation? Attestation, string? Problem) CheckAttestation(byte[] envelopeJson, IReadOnlyDictionary<string, string> annotations, string imageDigest, IReadOnlyList<CertificateSigner> signers, DateTimeOffset now)
    {
        DsseEnvelope envelope;
        try
        {
            using var document = JsonDocument.Parse(envelopeJson);
            var root = document.RootElement;
            var signatures = root.GetProperty("signatures").EnumerateArray().Select(s => ProtoJson.DecodeBase64(s.GetProperty("sig").GetString() ?? "")).ToList();
            if (signatures.Count != 1 || signatures[0] is null || ProtoJson.DecodeBase64(root.GetProperty("payload").GetString() ?? "") is not { } body)
            {
                return (null, "the DSSE envelope does not hold one base64 signature and payload");
            }

            envelope = new DsseEnvelope(root.GetProperty("payloadType").GetString() ?? "", body, [signatures[0]!]);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return (null, "the DSSE envelope cannot be decoded");
        }

        var (bundle, problem) = ToBundle(annotations, null, envelope);
        if (bundle is null)
        {
            return (null, problem);
        }

        SigstoreVerificationException? furthest = null;
        foreach (var signer in signers)
        {
            try
            {
                var name = signer.Describe(SigstoreVerifier.Verify(bundle, signer.Policy, null, now).Signer);
                return DsseCheck.CheckVerified(envelope.PayloadType, envelope.Payload, imageDigest, name);
            }
            catch (SigstoreVerificationException e)
            {
                furthest = Further(furthest, signer.Name is null ? e : new SigstoreVerificationException(e.Reason, $"{signer.Name}: {e.Message}"));
            }
        }

        return (null, furthest is null ? "no certificate signer is trusted" : $"{furthest.Reason}: {furthest.Message}");
    }

    /// <summary>The layer's certificate, chain and Rekor annotations around one signature, as a v0.1 bundle; or why not.</summary>
    private static (SigstoreBundle? Bundle, string? Problem) ToBundle(IReadOnlyDictionary<string, string> annotations, MessageSignature? message, DsseEnvelope? envelope)
    {
        var certificates = Pem(annotations.GetValueOrDefault(CertificateAnnotation));
        if (certificates.Count == 0)
        {
            return (null, $"the {CertificateAnnotation} annotation holds no PEM certificate");
        }

        ImmutableArray<TlogEntry> entries = [];
        if (annotations.GetValueOrDefault(BundleAnnotation) is { } rekorBundle)
        {
            if (ReadRekorBundle(rekorBundle) is not { } entry)
            {
                return (null, $"the {BundleAnnotation} annotation is not a Rekor bundle (SignedEntryTimestamp and Payload)");
            }

            entries = [entry];
        }

        return (new SigstoreBundle("cosign legacy signature annotations", 1, [.. certificates.Take(1), .. Pem(annotations.GetValueOrDefault(ChainAnnotation))],
            null, entries, [], message, envelope), null);
    }

    /// <summary>Of two failures, the one that got further in the verification (the other when the first is null).</summary>
    internal static SigstoreVerificationException Further(SigstoreVerificationException? known, SigstoreVerificationException candidate) =>
        known is null || Progress.IndexOf(candidate.Reason) > Progress.IndexOf(known.Reason) ? candidate : known;

    private static List<byte[]> Pem(string? text)
    {
        var blocks = new List<byte[]>();
        var rest = (text ?? "").AsSpan();
        while (PemEncoding.TryFind(rest, out var fields))
        {
            if (rest[fields.Label].SequenceEqual("CERTIFICATE") && ProtoJson.DecodeBase64(rest[fields.Base64Data].ToString()) is { } der)
            {
                blocks.Add(der);
            }

            rest = rest[fields.Location.End..];
        }

        return blocks;
    }

    /// <summary>cosign's bundle annotation: {"SignedEntryTimestamp": base64, "Payload": {"body", "integratedTime", "logIndex", "logID" (hex)}}.</summary>
    private static TlogEntry? ReadRekorBundle(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            var set = ProtoJson.DecodeBase64(root.GetProperty("SignedEntryTimestamp").GetString() ?? "");
            var payload = root.GetProperty("Payload");
            var body = ProtoJson.DecodeBase64(payload.GetProperty("body").GetString() ?? "");
            var logId = payload.GetProperty("logID").GetString() ?? "";
            if (set is null || body is null || logId.Length != 64)
            {
                return null;
            }

            using var entry = JsonDocument.Parse(body);
            return new TlogEntry(
                payload.GetProperty("logIndex").GetInt64(),
                Convert.FromHexString(logId),
                entry.RootElement.GetProperty("kind").GetString() ?? "",
                entry.RootElement.GetProperty("apiVersion").GetString() ?? "",
                payload.GetProperty("integratedTime").GetInt64(),
                set,
                null,
                body);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }
}
