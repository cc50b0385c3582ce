using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text.Json;

namespace AiBaseline.Provenance.ModelSigning;

/// <summary>
/// The signed manifest of an OpenSSF Model Signing (OMS) signature: an in-toto statement with predicate type
/// <c>https://model_signing/signature/v1.0</c> listing each file's sha256 (serialization method "files"). Its
/// subject digest is the sha256 of the file digests concatenated in name order, so the statement cannot list
/// other files than the ones signed.
/// </summary>
public sealed record ModelManifest(string ModelName, ImmutableSortedDictionary<string, string> Files, bool AllowSymlinks)
{
    /// <summary>The predicate type OMS v1.0 signs.</summary>
    public const string PredicateType = "https://model_signing/signature/v1.0";

    /// <summary>Reads the verified DSSE payload.</summary>
    /// <exception cref="FormatException">The statement is not an OMS v1.0 manifest this verifier reads; the message says which field.</exception>
    public static ModelManifest Parse(byte[] payload)
    {
        try
        {
            using var document = JsonDocument.Parse(payload);
            var root = document.RootElement;
            var type = root.GetProperty("predicateType").GetString();
            if (type != PredicateType)
            {
                throw new FormatException($"predicateType is \"{type}\", expected \"{PredicateType}\"");
            }

            var predicate = root.GetProperty("predicate");
            var serialization = predicate.GetProperty("serialization");
            var method = serialization.GetProperty("method").GetString();
            if (method != "files")
            {
                throw new FormatException($"predicate.serialization.method \"{method}\" is not supported (only \"files\")");
            }

            var hashType = serialization.GetProperty("hash_type").GetString();
            if (hashType != "sha256")
            {
                throw new FormatException($"predicate.serialization.hash_type \"{hashType}\" is not supported (only \"sha256\")");
            }

            var allowSymlinks = serialization.TryGetProperty("allow_symlinks", out var s) && s.ValueKind == JsonValueKind.True;
            var files = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
            foreach (var resource in predicate.GetProperty("resources").EnumerateArray())
            {
                var name = resource.GetProperty("name").GetString() ?? "";
                var algorithm = resource.GetProperty("algorithm").GetString();
                var digest = resource.GetProperty("digest").GetString() ?? "";
                if (algorithm != "sha256" || digest.Length != 64 || !digest.All(char.IsAsciiHexDigit))
                {
                    throw new FormatException($"predicate.resources: \"{name}\" has no sha256 digest");
                }

                if (!files.TryAdd(name, digest.ToLowerInvariant()))
                {
                    throw new FormatException($"predicate.resources: \"{name}\" is listed twice");
                }
            }

            var subject = root.GetProperty("subject")[0];
            var subjectDigest = subject.GetProperty("digest").GetProperty("sha256").GetString();
            var expected = Convert.ToHexStringLower(SHA256.HashData(files.Values.SelectMany(Convert.FromHexString).ToArray()));
            if (!string.Equals(subjectDigest, expected, StringComparison.OrdinalIgnoreCase))
            {
                throw new FormatException("subject digest is not the digest of the listed files");
            }

            return new ModelManifest(subject.GetProperty("name").GetString() ?? "", files.ToImmutable(), allowSymlinks);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or IndexOutOfRangeException)
        {
            throw new FormatException("the signed statement is not an OMS manifest: " + e.Message, e);
        }
    }
}
