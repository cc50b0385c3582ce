using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AiBaseline.Report.Signing;

/// <summary>
/// A signed report: a DSSE envelope around an in-toto Statement v1 whose predicate is the JSON report and whose
/// subjects are every image and model digest it judged plus the report file as written (so
/// <c>cosign verify-blob-attestation --key cosign.pub --signature ATTESTATION --type PREDICATE-TYPE REPORT</c>
/// checks both the signature and that the report file is the one signed). ECDSA P-256 over SHA-256, the signature
/// DER-encoded, as cosign signs and verifies.
/// </summary>
public static class ReportAttestation
{
    /// <summary>The predicate type of our reports.</summary>
    public const string PredicateType = "https://aibaseline.io/attestation/conformity-report/v1alpha1";

    /// <summary>The DSSE payload type of an in-toto Statement.</summary>
    public const string PayloadType = "application/vnd.in-toto+json";

    /// <summary>The subject name of the report file itself.</summary>
    public const string ReportSubject = "aibaseline-report";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The envelope, as JSON, signing <paramref name="report"/> and the <paramref name="written"/> bytes of the report file.</summary>
    public static string Sign(EvidenceReport report, byte[] written, ECDsa key)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(key);
        var subjects = new JsonArray { Subject(ReportSubject, Convert.ToHexStringLower(SHA256.HashData(written))) };
        foreach (var (name, hex) in Digests(report))
        {
            subjects.Add(Subject(name, hex));
        }

        var statement = new JsonObject
        {
            ["_type"] = "https://in-toto.io/Statement/v1",
            ["subject"] = subjects,
            ["predicateType"] = PredicateType,
            ["predicate"] = JsonNode.Parse(ReportJson.RenderUtf8(report)),
        };
        var payload = Encoding.UTF8.GetBytes(statement.ToJsonString());
        var signature = key.SignData(Pae(PayloadType, payload), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        var envelope = new JsonObject
        {
            ["payloadType"] = PayloadType,
            ["payload"] = Convert.ToBase64String(payload),
            ["signatures"] = new JsonArray(new JsonObject { ["keyid"] = "", ["sig"] = Convert.ToBase64String(signature) }),
        };
        return envelope.ToJsonString(Indented);
    }

    /// <summary>DSSE's pre-authentication encoding: what the signature covers.</summary>
    public static byte[] Pae(string type, byte[] payload)
    {
        var head = Encoding.UTF8.GetBytes($"DSSEv1 {Encoding.UTF8.GetByteCount(type)} {type} {payload.Length} ");
        return [.. head, .. payload];
    }

    /// <summary>Each distinct sha256 image and model digest of the report, with the name of what it identifies.</summary>
    public static IEnumerable<(string Name, string Hex)> Digests(EvidenceReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var d in report.Deployments)
        {
            foreach (var image in d.Subject.Images)
            {
                if (Hex(image.Digest) is { } hex && seen.Add(hex))
                {
                    yield return (image.Image.Split('@')[0], hex);
                }
            }

            foreach (var model in d.Subject.Models)
            {
                if (Hex(model.Digest) is { } hex && seen.Add(hex))
                {
                    yield return (model.Source.Split('@')[0], hex);
                }
            }
        }
    }

    private static string? Hex(string? digest) =>
        digest is { Length: 71 } && digest.StartsWith("sha256:", StringComparison.Ordinal) && digest[7..].All(char.IsAsciiHexDigitLower) ? digest[7..] : null;

    private static JsonObject Subject(string name, string hex) => new() { ["name"] = name, ["digest"] = new JsonObject { ["sha256"] = hex } };
}
