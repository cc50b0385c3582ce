using System.Globalization;
using System.Text.Json;

namespace AiBaseline.Provenance.Sigstore;

/// <summary>Reads protobuf-JSON fields (camelCase names, int64 as strings, bytes as base64) with messages naming the field.</summary>
internal static class ProtoJson
{
    public static JsonElement Object(JsonElement parent, string name, string path)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.Object)
        {
            throw SigstoreVerificationException.Malformed($"{path}.{name} is missing or not an object");
        }

        return value;
    }

    public static JsonElement? OptionalObject(JsonElement parent, string name, string path)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Object ? value : throw SigstoreVerificationException.Malformed($"{path}.{name} is not an object");
    }

    public static IEnumerable<JsonElement> Array(JsonElement parent, string name, string path)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        return value.ValueKind == JsonValueKind.Array ? value.EnumerateArray().ToArray() : throw SigstoreVerificationException.Malformed($"{path}.{name} is not a list");
    }

    public static string String(JsonElement parent, string name, string path) =>
        OptionalString(parent, name, path) ?? throw SigstoreVerificationException.Malformed($"{path}.{name} is missing");

    public static string? OptionalString(JsonElement parent, string name, string path)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String ? value.GetString() : throw SigstoreVerificationException.Malformed($"{path}.{name} is not a string");
    }

    public static byte[] Bytes(JsonElement parent, string name, string path)
    {
        var text = String(parent, name, path);
        return DecodeBase64(text) ?? throw SigstoreVerificationException.Malformed($"{path}.{name} is not base64");
    }

    public static byte[]? OptionalBytes(JsonElement parent, string name, string path)
    {
        var text = OptionalString(parent, name, path);
        return text is null ? null : DecodeBase64(text) ?? throw SigstoreVerificationException.Malformed($"{path}.{name} is not base64");
    }

    /// <summary>An int64 written as a JSON string (protobuf's form) or as a number.</summary>
    public static long Int64(JsonElement parent, string name, string path)
    {
        if (parent.TryGetProperty(name, out var value))
        {
            if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var n))
            {
                return n;
            }

            if (value.ValueKind == JsonValueKind.String && long.TryParse(value.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out n))
            {
                return n;
            }

            throw SigstoreVerificationException.Malformed($"{path}.{name} is not an integer");
        }

        return 0;
    }

    /// <summary>Standard or URL-safe base64, padded or not (protobuf JSON accepts both); line breaks (PEM) are skipped.</summary>
    public static byte[]? DecodeBase64(string text)
    {
        var s = string.Concat(text.Where(c => !char.IsWhiteSpace(c))).Replace('-', '+').Replace('_', '/');
        if (s.Length % 4 != 0)
        {
            s = s.PadRight(s.Length + (4 - s.Length % 4), '=');
        }

        try
        {
            return Convert.FromBase64String(s);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
