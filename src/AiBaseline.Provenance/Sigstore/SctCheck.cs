using System.Buffers.Binary;
using System.Security.Cryptography;

namespace AiBaseline.Provenance.Sigstore;

/// <summary>
/// Checks the signed certificate timestamps embedded in a Fulcio certificate (RFC 6962 §3.2 precertificate
/// entries): at least one must be signed by a CT log of the trusted root that was valid when it signed.
/// </summary>
internal static class SctCheck
{
    public static void Verify(CertificateInfo leaf, CertificateInfo issuer, TrustedRoot root)
    {
        var list = leaf.SctList() ?? throw new SigstoreVerificationException(SigstoreReasons.InvalidSct, "the signing certificate carries no signed certificate timestamp");
        byte[] tbs;
        try
        {
            tbs = leaf.PrecertificateTbs();
        }
        catch (System.Formats.Asn1.AsnContentException)
        {
            throw new SigstoreVerificationException(SigstoreReasons.InvalidSct, "the signing certificate's TBSCertificate cannot be read");
        }

        var issuerKeyHash = SHA256.HashData(issuer.Spki);
        var problems = new List<string>();
        foreach (var sct in Split(list))
        {
            problems.Add(Check(sct, tbs, issuerKeyHash, root) ?? "");
            if (problems[^1].Length == 0)
            {
                return;
            }
        }

        throw new SigstoreVerificationException(SigstoreReasons.InvalidSct, problems.Count == 0
            ? "the signing certificate's SCT list is empty or cannot be read"
            : $"no signed certificate timestamp verifies: {string.Join("; ", problems)}");
    }

    private static List<byte[]> Split(byte[] list)
    {
        var result = new List<byte[]>();
        if (list.Length < 2 || BinaryPrimitives.ReadUInt16BigEndian(list) != list.Length - 2)
        {
            return result;
        }

        var offset = 2;
        while (offset + 2 <= list.Length)
        {
            var length = BinaryPrimitives.ReadUInt16BigEndian(list.AsSpan(offset));
            offset += 2;
            if (offset + length > list.Length)
            {
                return [];
            }

            result.Add(list[offset..(offset + length)]);
            offset += length;
        }

        return result;
    }

    private static string? Check(byte[] sct, byte[] tbs, byte[] issuerKeyHash, TrustedRoot root)
    {
        // version(1) log_id(32) timestamp(8) extensions(2+n) hash(1) signature algorithm(1) signature(2+n)
        if (sct.Length < 47 || sct[0] != 0)
        {
            return "an SCT is not a v1 SCT";
        }

        var logId = sct[1..33];
        var timestamp = BinaryPrimitives.ReadUInt64BigEndian(sct.AsSpan(33));
        var extensionsLength = BinaryPrimitives.ReadUInt16BigEndian(sct.AsSpan(41));
        var at = 43 + extensionsLength;
        if (at + 4 > sct.Length)
        {
            return "an SCT is truncated";
        }

        var extensions = sct.AsSpan(43, extensionsLength);
        var signatureLength = BinaryPrimitives.ReadUInt16BigEndian(sct.AsSpan(at + 2));
        if (at + 4 + signatureLength != sct.Length)
        {
            return "an SCT's signature length is wrong";
        }

        var signature = sct[(at + 4)..];
        var time = DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Min(timestamp, (ulong)long.MaxValue / 2));
        var log = root.CtLogs.FirstOrDefault(l => l.KeyId.AsSpan().SequenceEqual(logId));
        if (log is null)
        {
            return $"SCT from unknown CT log {Convert.ToHexStringLower(logId)}";
        }

        if (!log.ValidAt(time))
        {
            return $"the CT log {log.BaseUrl} was not valid at the SCT's time {time:u}";
        }

        // digitally-signed struct: version, signature_type certificate_timestamp, timestamp, entry_type precert_entry,
        // issuer_key_hash, tbs_certificate (24-bit length), extensions (16-bit length)
        var signed = new byte[1 + 1 + 8 + 2 + 32 + 3 + tbs.Length + 2 + extensions.Length];
        var span = signed.AsSpan();
        span[0] = 0;
        span[1] = 0;
        BinaryPrimitives.WriteUInt64BigEndian(span[2..], timestamp);
        BinaryPrimitives.WriteUInt16BigEndian(span[10..], 1);
        issuerKeyHash.CopyTo(span[12..]);
        span[44] = (byte)(tbs.Length >> 16);
        span[45] = (byte)(tbs.Length >> 8);
        span[46] = (byte)tbs.Length;
        tbs.CopyTo(span[47..]);
        BinaryPrimitives.WriteUInt16BigEndian(span[(47 + tbs.Length)..], (ushort)extensions.Length);
        extensions.CopyTo(span[(49 + tbs.Length)..]);
        return log.Key.Verify(signed, signature) ? null : $"the SCT of {log.BaseUrl} does not verify";
    }
}
