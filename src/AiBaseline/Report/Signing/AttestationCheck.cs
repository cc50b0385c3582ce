using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace AiBaseline.Report.Signing;

/// <summary>What an offline check of a signed report found.</summary>
/// <param name="Verified">True when the signature, the predicate type and (if given) the report file all check out.</param>
/// <param name="Message">What was checked, or what failed.</param>
public sealed record AttestationResult(bool Verified, string Message);

/// <summary>
/// <c>aibaseline report verify</c>: the checks cosign's verify-blob-attestation makes, offline: a signature of the
/// key over the envelope's DSSE encoding, an in-toto Statement of our predicate type, and (given the report file) its
/// sha256 among the subjects.
/// </summary>
public static class AttestationCheck
{
    /// <summary>Checks <paramref name="envelopeJson"/> with <paramref name="key"/>; <paramref name="report"/> is the report file's bytes, if given.</summary>
    public static AttestationResult Verify(string envelopeJson, ECDsa key, byte[]? report)
    {
        ArgumentNullException.ThrowIfNull(key);
        string type;
        byte[] payload;
        List<byte[]> signatures;
        try
        {
            using var envelope = JsonDocument.Parse(envelopeJson);
            var root = envelope.RootElement;
            type = root.GetProperty("payloadType").GetString() ?? "";
            payload = Convert.FromBase64String(root.GetProperty("payload").GetString() ?? "");
            signatures = [.. root.GetProperty("signatures").EnumerateArray().Select(s => Convert.FromBase64String(s.GetProperty("sig").GetString() ?? ""))];
        }
        catch (Exception e) when (e is JsonException or FormatException or KeyNotFoundException or InvalidOperationException)
        {
            return new(false, $"not a DSSE envelope: {e.Message}");
        }

        var signed = ReportAttestation.Pae(type, payload);
        if (!signatures.Any(s => key.VerifyData(signed, s, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence)))
        {
            return new(false, "no signature of the envelope verifies with the key: it was signed by another key or changed after signing");
        }

        if (type != ReportAttestation.PayloadType)
        {
            return new(false, $"payloadType is {type}, not {ReportAttestation.PayloadType}");
        }

        using var statement = JsonDocument.Parse(Encoding.UTF8.GetString(payload));
        var predicateType = statement.RootElement.TryGetProperty("predicateType", out var p) ? p.GetString() : null;
        if (predicateType != ReportAttestation.PredicateType)
        {
            return new(false, $"predicateType is {predicateType}, not {ReportAttestation.PredicateType}");
        }

        var subjects = statement.RootElement.GetProperty("subject").EnumerateArray()
            .Select(s => s.GetProperty("digest").TryGetProperty("sha256", out var d) ? d.GetString() : null).OfType<string>().ToHashSet(StringComparer.Ordinal);
        if (report is not null && !subjects.Contains(Convert.ToHexStringLower(SHA256.HashData(report))))
        {
            return new(false, "the report file's sha256 is not a subject of the attestation: the file was changed after signing, or is another report");
        }

        var predicate = statement.RootElement.GetProperty("predicate");
        var deployments = predicate.GetProperty("deployments").GetArrayLength();
        var at = predicate.GetProperty("header").GetProperty("evaluatedAt").GetString();
        return new(true, $"verified: a report of {deployments} deployment{(deployments == 1 ? "" : "s")} evaluated at {at}, {subjects.Count} subjects{(report is null ? "" : ", the report file among them")}");
    }
}
