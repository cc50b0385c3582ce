using System.Collections.Immutable;
using System.Text.Json;
using static AiBaseline.Provenance.Sigstore.ProtoJson;

namespace AiBaseline.Provenance.Sigstore;

/// <summary>The inclusion proof of a log entry, with the log's signed checkpoint (a signed note).</summary>
public sealed record InclusionProof(long LogIndex, byte[] RootHash, long TreeSize, ImmutableArray<byte[]> Hashes, string? Checkpoint);

/// <summary>One Rekor entry as a bundle carries it.</summary>
public sealed record TlogEntry(
    long LogIndex,
    byte[] LogKeyId,
    string Kind,
    string KindVersion,
    long IntegratedTime,
    byte[]? SignedEntryTimestamp,
    InclusionProof? InclusionProof,
    byte[] CanonicalizedBody);

/// <summary>A DSSE envelope: payload type, payload and signatures.</summary>
public sealed record DsseEnvelope(string PayloadType, byte[] Payload, ImmutableArray<byte[]> Signatures);

/// <summary>A signature over an artifact's digest (cosign's blob signature, hashedrekord).</summary>
public sealed record MessageSignature(string? DigestAlgorithm, byte[]? Digest, byte[] Signature);

/// <summary>
/// A Sigstore bundle (media types v0.1, v0.2 and v0.3): the signer's certificate (or chain, or a key hint),
/// transparency log entries, RFC 3161 timestamps, and either a message signature or a DSSE envelope.
/// </summary>
public sealed record SigstoreBundle(
    string MediaType,
    int MinorVersion,
    ImmutableArray<byte[]> Certificates,
    string? PublicKeyHint,
    ImmutableArray<TlogEntry> TlogEntries,
    ImmutableArray<byte[]> Rfc3161Timestamps,
    MessageSignature? MessageSignature,
    DsseEnvelope? Dsse)
{
    /// <summary>The certificate or chain is present; the first is the leaf.</summary>
    public bool HasCertificate => !Certificates.IsEmpty;

    /// <summary>Parses a bundle's JSON.</summary>
    /// <exception cref="SigstoreVerificationException">With reason MalformedBundle, naming the field.</exception>
    public static SigstoreBundle Parse(ReadOnlySpan<byte> json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json.ToArray());
        }
        catch (JsonException e)
        {
            throw SigstoreVerificationException.Malformed($"the bundle is not JSON: {e.Message}");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw SigstoreVerificationException.Malformed("the bundle is not a JSON object");
            }

            var mediaType = String(root, "mediaType", "bundle");
            var minor = mediaType switch
            {
                "application/vnd.dev.sigstore.bundle+json;version=0.1" => 1,
                "application/vnd.dev.sigstore.bundle+json;version=0.2" => 2,
                "application/vnd.dev.sigstore.bundle+json;version=0.3" or "application/vnd.dev.sigstore.bundle.v0.3+json" => 3,
                _ => throw SigstoreVerificationException.Malformed($"bundle.mediaType \"{mediaType}\" is not a supported Sigstore bundle version (0.1 to 0.3)"),
            };

            var material = Object(root, "verificationMaterial", "bundle");
            const string vm = "bundle.verificationMaterial";
            var certificates = ImmutableArray<byte[]>.Empty;
            string? hint = null;
            if (OptionalObject(material, "certificate", vm) is { } single)
            {
                certificates = [Bytes(single, "rawBytes", vm + ".certificate")];
            }
            else if (OptionalObject(material, "x509CertificateChain", vm) is { } chain)
            {
                certificates = [.. Array(chain, "certificates", vm + ".x509CertificateChain").Select((c, i) => Bytes(c, "rawBytes", $"{vm}.x509CertificateChain.certificates[{i}]"))];
                if (certificates.IsEmpty)
                {
                    throw SigstoreVerificationException.Malformed($"{vm}.x509CertificateChain.certificates is empty");
                }
            }
            else if (OptionalObject(material, "publicKey", vm) is { } key)
            {
                hint = OptionalString(key, "hint", vm + ".publicKey") ?? "";
            }
            else
            {
                throw SigstoreVerificationException.Malformed($"{vm} has no certificate, x509CertificateChain or publicKey");
            }

            var entries = Array(material, "tlogEntries", vm).Select((e, i) => ReadEntry(e, $"{vm}.tlogEntries[{i}]")).ToImmutableArray();
            var timestamps = ImmutableArray<byte[]>.Empty;
            if (OptionalObject(material, "timestampVerificationData", vm) is { } tsData)
            {
                timestamps = [.. Array(tsData, "rfc3161Timestamps", vm + ".timestampVerificationData")
                    .Select((t, i) => Bytes(t, "signedTimestamp", $"{vm}.timestampVerificationData.rfc3161Timestamps[{i}]"))];
            }

            MessageSignature? message = null;
            DsseEnvelope? dsse = null;
            if (OptionalObject(root, "messageSignature", "bundle") is { } ms)
            {
                string? algorithm = null;
                byte[]? digest = null;
                if (OptionalObject(ms, "messageDigest", "bundle.messageSignature") is { } md)
                {
                    algorithm = OptionalString(md, "algorithm", "bundle.messageSignature.messageDigest");
                    digest = Bytes(md, "digest", "bundle.messageSignature.messageDigest");
                }

                message = new MessageSignature(algorithm, digest, Bytes(ms, "signature", "bundle.messageSignature"));
            }
            else if (OptionalObject(root, "dsseEnvelope", "bundle") is { } env)
            {
                var signatures = Array(env, "signatures", "bundle.dsseEnvelope").Select((s, i) => Bytes(s, "sig", $"bundle.dsseEnvelope.signatures[{i}]")).ToImmutableArray();
                if (signatures.Length != 1)
                {
                    throw SigstoreVerificationException.Malformed($"bundle.dsseEnvelope.signatures holds {signatures.Length} signatures, expected exactly one");
                }

                dsse = new DsseEnvelope(String(env, "payloadType", "bundle.dsseEnvelope"), Bytes(env, "payload", "bundle.dsseEnvelope"), signatures);
            }
            else
            {
                throw SigstoreVerificationException.Malformed("bundle has neither messageSignature nor dsseEnvelope");
            }

            return new SigstoreBundle(mediaType, minor, certificates, hint, entries, timestamps, message, dsse);
        }
    }

    private static TlogEntry ReadEntry(JsonElement e, string path)
    {
        var kindVersion = Object(e, "kindVersion", path);
        var logId = Object(e, "logId", path);
        InclusionProof? proof = null;
        if (OptionalObject(e, "inclusionProof", path) is { } p)
        {
            var pp = path + ".inclusionProof";
            string? checkpoint = null;
            if (OptionalObject(p, "checkpoint", pp) is { } cp)
            {
                checkpoint = String(cp, "envelope", pp + ".checkpoint");
            }

            proof = new InclusionProof(
                Int64(p, "logIndex", pp),
                Bytes(p, "rootHash", pp),
                Int64(p, "treeSize", pp),
                [.. Array(p, "hashes", pp).Select((h, i) => h.ValueKind == JsonValueKind.String && DecodeBase64(h.GetString()!) is { } b ? b : throw SigstoreVerificationException.Malformed($"{pp}.hashes[{i}] is not base64"))],
                checkpoint);
        }

        byte[]? set = null;
        if (OptionalObject(e, "inclusionPromise", path) is { } promise)
        {
            set = Bytes(promise, "signedEntryTimestamp", path + ".inclusionPromise");
        }

        return new TlogEntry(
            Int64(e, "logIndex", path),
            Bytes(logId, "keyId", path + ".logId"),
            String(kindVersion, "kind", path + ".kindVersion"),
            String(kindVersion, "version", path + ".kindVersion"),
            Int64(e, "integratedTime", path),
            set,
            proof,
            Bytes(e, "canonicalizedBody", path));
    }
}
