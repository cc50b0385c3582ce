using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace AiBaseline.Provenance.Sigstore;

/// <summary>
/// Checks a Rekor entry against the trusted root: the log is known, the signed entry timestamp (SET) verifies
/// with the log's key, the inclusion proof leads to the root hash of a checkpoint the log signed, and the
/// entry's body is about this bundle's signature (see <see cref="TlogBodyCheck"/>).
/// </summary>
internal static class TlogCheck
{
    /// <summary>Verifies the entry; returns the time it was integrated into the log.</summary>
    public static DateTimeOffset Verify(TlogEntry entry, LogKey log, int bundleMinorVersion)
    {
        if (bundleMinorVersion == 1 && entry.SignedEntryTimestamp is null)
        {
            throw new SigstoreVerificationException(SigstoreReasons.InvalidSignedEntryTimestamp, "a v0.1 bundle's log entry must carry a signed entry timestamp (inclusionPromise)");
        }

        if (bundleMinorVersion >= 2 && entry.InclusionProof is null)
        {
            throw new SigstoreVerificationException(SigstoreReasons.InvalidInclusionProof, $"the log entry {entry.LogIndex} has no inclusion proof, which a v0.{bundleMinorVersion} bundle must carry");
        }

        if (entry.SignedEntryTimestamp is { } set && !log.Key.Verify(SetPayload(entry), set))
        {
            throw new SigstoreVerificationException(SigstoreReasons.InvalidSignedEntryTimestamp, $"the signed entry timestamp of log entry {entry.LogIndex} does not verify with the key of {log.BaseUrl}");
        }

        if (entry.InclusionProof is { } proof)
        {
            // The proof's own treeSize and rootHash are not signed: the checkpoint's are what the log vouches for.
            var (size, root) = VerifyCheckpoint(proof, log);
            VerifyInclusion(entry, proof, size, root);
        }

        return DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(entry.IntegratedTime, 0, 253402300799));
    }

    /// <summary>The canonical JSON Rekor signs as the SET: keys sorted, no spaces.</summary>
    internal static byte[] SetPayload(TlogEntry entry) => Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
        $"{{\"body\":\"{Convert.ToBase64String(entry.CanonicalizedBody)}\",\"integratedTime\":{entry.IntegratedTime},\"logID\":\"{Convert.ToHexStringLower(entry.LogKeyId)}\",\"logIndex\":{entry.LogIndex}}}"));

    private static void VerifyInclusion(TlogEntry entry, InclusionProof proof, long treeSize, byte[] rootHash)
    {
        var leaf = new byte[entry.CanonicalizedBody.Length + 1];
        entry.CanonicalizedBody.CopyTo(leaf, 1);
        var root = RootFromProof(proof.LogIndex, treeSize, SHA256.HashData(leaf), proof.Hashes);
        if (root is null || !root.AsSpan().SequenceEqual(rootHash))
        {
            throw new SigstoreVerificationException(SigstoreReasons.InvalidInclusionProof,
                $"the inclusion proof of log entry {entry.LogIndex} (index {proof.LogIndex} of {treeSize}) does not lead to the checkpoint's root hash");
        }
    }

    /// <summary>RFC 9162 §2.1.3.2: the root an audit path gives for a leaf; null when the path has the wrong length.</summary>
    internal static byte[]? RootFromProof(long index, long size, byte[] leafHash, IReadOnlyList<byte[]> path)
    {
        if (index < 0 || index >= size)
        {
            return null;
        }

        var fn = index;
        var sn = size - 1;
        var r = leafHash;
        var buffer = new byte[65];
        buffer[0] = 1;
        foreach (var p in path)
        {
            if (sn == 0 || p.Length != 32)
            {
                return null;
            }

            if ((fn & 1) == 1 || fn == sn)
            {
                p.CopyTo(buffer, 1);
                r.CopyTo(buffer, 33);
                r = SHA256.HashData(buffer);
                while ((fn & 1) == 0 && fn != 0)
                {
                    fn >>= 1;
                    sn >>= 1;
                }
            }
            else
            {
                r.CopyTo(buffer, 1);
                p.CopyTo(buffer, 33);
                r = SHA256.HashData(buffer);
            }

            fn >>= 1;
            sn >>= 1;
        }

        return sn == 0 ? r : null;
    }

    /// <summary>
    /// The checkpoint is a signed note: "origin\nsize\nroot\n[extra lines]\n\n— name base64(keyhint‖signature)\n".
    /// A signature counts when its key hint is the log's, its name is part of the log's URL, and it verifies.
    /// Returns the signed tree size and root hash.
    /// </summary>
    private static (long Size, byte[] RootHash) VerifyCheckpoint(InclusionProof proof, LogKey log)
    {
        var envelope = proof.Checkpoint ?? throw new SigstoreVerificationException(SigstoreReasons.InvalidInclusionProof, "the inclusion proof has no checkpoint");
        var split = envelope.IndexOf("\n\n", StringComparison.Ordinal);
        if (split < 0)
        {
            throw new SigstoreVerificationException(SigstoreReasons.InvalidInclusionProof, "the checkpoint is not a signed note");
        }

        var body = envelope[..(split + 1)];
        var lines = body.Split('\n');
        if (lines.Length < 4
            || !long.TryParse(lines[1], NumberStyles.None, CultureInfo.InvariantCulture, out var size)
            || ProtoJson.DecodeBase64(lines[2]) is not { } rootHash)
        {
            throw new SigstoreVerificationException(SigstoreReasons.InvalidInclusionProof, "the checkpoint's body is not origin, tree size and root hash");
        }

        var bodyBytes = Encoding.UTF8.GetBytes(body);
        foreach (var line in envelope[(split + 2)..].Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!line.StartsWith("\u2014 ", StringComparison.Ordinal))
            {
                continue;
            }

            var fields = line[2..].Split(' ');
            if (fields.Length != 2 || ProtoJson.DecodeBase64(fields[1]) is not { Length: > 4 } signature)
            {
                continue;
            }

            if (signature.AsSpan(0, 4).SequenceEqual(log.KeyId.AsSpan(0, 4)) && log.BaseUrl.Contains(fields[0], StringComparison.Ordinal)
                && log.Key.Verify(bodyBytes, signature[4..]))
            {
                return (size, rootHash);
            }
        }

        throw new SigstoreVerificationException(SigstoreReasons.InvalidInclusionProof, $"the checkpoint is not signed by the key of {log.BaseUrl}");
    }
}
