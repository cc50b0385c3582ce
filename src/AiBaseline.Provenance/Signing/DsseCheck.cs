using System.Text;
using System.Text.Json;

namespace AiBaseline.Provenance.Signing;

/// <summary>A verified in-toto attestation: its predicate type and predicate, signed by <see cref="Keys"/>.</summary>
internal sealed record VerifiedAttestation(string PredicateType, JsonElement Predicate, IReadOnlyList<string> Keys);

/// <summary>Checks one DSSE envelope: signature over the PAE encoding, then the in-toto statement's subject.</summary>
internal static class DsseCheck
{
    private const string InTotoPayloadType = "application/vnd.in-toto+json";

    /// <summary>The verified attestation, or the problem in a few words.</summary>
    public static (VerifiedAttestation? Attestation, string? Problem, string? ClaimedType) Check(byte[] envelopeBytes, string imageDigest, IReadOnlyList<TrustedKey> keys)
    {
        string payloadType;
        byte[] body;
        List<byte[]> signatures = [];
        try
        {
            using var envelope = JsonDocument.Parse(envelopeBytes);
            var root = envelope.RootElement;
            payloadType = root.GetProperty("payloadType").GetString() ?? "";
            body = Convert.FromBase64String(root.GetProperty("payload").GetString() ?? "");
            foreach (var s in root.GetProperty("signatures").EnumerateArray())
            {
                signatures.Add(Convert.FromBase64String(s.GetProperty("sig").GetString() ?? ""));
            }
        }
        catch (Exception e) when (e is JsonException or FormatException or KeyNotFoundException or InvalidOperationException)
        {
            return (null, "the DSSE envelope cannot be decoded", null);
        }

        var statement = ReadStatement(body);
        var claimedType = statement?.PredicateType;
        if (payloadType != InTotoPayloadType || statement is null)
        {
            return (null, "the envelope does not hold an in-toto statement", claimedType);
        }

        var pae = Pae(payloadType, body);
        var signers = keys.Where(k => signatures.Any(s => k.Verify(pae, s))).Select(k => k.Name).ToList();
        if (signers.Count == 0)
        {
            return (null, "no trusted key signed it", claimedType);
        }

        return Names(statement.Value.SubjectDigests, imageDigest)
            ? (new VerifiedAttestation(statement.Value.PredicateType, statement.Value.Predicate, signers), null, claimedType)
            : (null, "its subject is another digest", claimedType);
    }

    /// <summary>The attestation in a payload whose signature was verified elsewhere (a Sigstore bundle), or the problem.</summary>
    public static (VerifiedAttestation? Attestation, string? Problem) CheckVerified(string payloadType, byte[] body, string imageDigest, string signer)
    {
        var statement = ReadStatement(body);
        if (payloadType != InTotoPayloadType || statement is null)
        {
            return (null, "the envelope does not hold an in-toto statement");
        }

        return Names(statement.Value.SubjectDigests, imageDigest)
            ? (new VerifiedAttestation(statement.Value.PredicateType, statement.Value.Predicate, [signer]), null)
            : (null, "its subject is another digest");
    }

    private static bool Names(List<(string Algorithm, string Hex)> subjects, string imageDigest)
    {
        var hex = imageDigest[(imageDigest.IndexOf(':', StringComparison.Ordinal) + 1)..];
        var algorithm = imageDigest[..imageDigest.IndexOf(':', StringComparison.Ordinal)];
        return subjects.Any(s => s.Algorithm == algorithm && string.Equals(s.Hex, hex, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>DSSE v1 pre-authentication encoding: "DSSEv1 len(type) type len(body) body", lengths in bytes.</summary>
    public static byte[] Pae(string payloadType, byte[] body)
    {
        var header = Encoding.UTF8.GetBytes($"DSSEv1 {Encoding.UTF8.GetByteCount(payloadType)} {payloadType} {body.Length} ");
        var result = new byte[header.Length + body.Length];
        header.CopyTo(result, 0);
        body.CopyTo(result, header.Length);
        return result;
    }

    private static (string PredicateType, JsonElement Predicate, List<(string Algorithm, string Hex)> SubjectDigests)? ReadStatement(byte[] body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            var root = json.RootElement;
            var type = root.GetProperty("_type").GetString();
            if (type is not ("https://in-toto.io/Statement/v0.1" or "https://in-toto.io/Statement/v1"))
            {
                return null;
            }

            var digests = new List<(string, string)>();
            foreach (var subject in root.GetProperty("subject").EnumerateArray())
            {
                foreach (var d in subject.GetProperty("digest").EnumerateObject())
                {
                    digests.Add((d.Name, d.Value.GetString() ?? ""));
                }
            }

            var predicate = root.TryGetProperty("predicate", out var p) ? p.Clone() : default;
            return (root.GetProperty("predicateType").GetString() ?? "", predicate, digests);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return null;
        }
    }
}
