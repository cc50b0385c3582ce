using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AiBaseline.Engine;

namespace AiBaseline.Verification;

/// <summary>
/// The one line of JSON <c>aibaseline verify-model --result-file</c> writes, and the operator reads back from the
/// verification Job's termination message: <c>{"outcome":"Verified","reason":"Verified","signer":"…","manifestDigest":"sha256:…","message":"…"}</c>.
/// The message is shortened so the line fits a termination message (4096 bytes).
/// </summary>
public static class ModelResultLine
{
    /// <summary>The reason when the trust policy handed to the verifier cannot be used.</summary>
    public const string TrustPolicyUnusable = "TrustPolicyUnusable";

    /// <summary>The largest termination message the kubelet keeps.</summary>
    public const int MaxBytes = 4096;

    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Format(ArtifactVerification outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        var message = outcome.Message;
        while (true)
        {
            var line = new JsonObject
            {
                ["outcome"] = outcome.Outcome.ToString(),
                ["reason"] = outcome.Reason,
                ["signer"] = outcome.SignedBy.IsDefaultOrEmpty ? null : outcome.SignedBy[0],
                ["manifestDigest"] = outcome.Digest,
                ["message"] = message,
            }.ToJsonString(Relaxed);
            var bytes = Encoding.UTF8.GetByteCount(line);
            if (bytes <= MaxBytes || message.Length == 0)
            {
                return line;
            }

            // Shorter in proportion to the excess (characters may take several bytes), then a little more each time round.
            var keep = Math.Max(0, (int)((long)message.TrimEnd('…').Length * MaxBytes / bytes) - 8);
            message = message[..keep] + "…";
        }
    }

    /// <summary>The outcome a result line states for <paramref name="source"/>, or null when the text is not a result line.</summary>
    public static ArtifactVerification? Parse(string? text, string source, DateTimeOffset at)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        try
        {
            if (JsonNode.Parse(text.Trim()) is not JsonObject line
                || !Enum.TryParse<VerificationOutcome>((string?)line["outcome"], out var outcome)
                || (string?)line["reason"] is not { Length: > 0 } reason)
            {
                return null;
            }

            var signer = (string?)line["signer"];
            return new ArtifactVerification(source, (string?)line["manifestDigest"], outcome, reason, (string?)line["message"] ?? "", signer is null ? [] : [signer], [], at);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }
}
