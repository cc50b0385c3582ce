using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AiBaseline.Crds;

/// <summary>
/// Writes a JSON tree as block-style YAML, keeping the tree's key order, so generated manifests are stable
/// byte for byte. Strings that a YAML 1.1 or 1.2 reader could take for anything but a string are quoted.
/// </summary>
public static class YamlEmitter
{
    private static readonly HashSet<string> Reserved = new(StringComparer.OrdinalIgnoreCase)
    {
        "y", "yes", "n", "no", "true", "false", "on", "off", "null", "~", ".inf", "-.inf", "+.inf", ".nan",
    };

    private static readonly JsonSerializerOptions QuotedString = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The YAML text of <paramref name="document"/>, ending with a newline.</summary>
    public static string Emit(JsonNode document)
    {
        var output = new StringBuilder();
        switch (document)
        {
            case JsonObject { Count: > 0 } mapping:
                WriteMapping(output, mapping, 0, "");
                break;
            case JsonArray { Count: > 0 } sequence:
                WriteSequence(output, sequence, 0);
                break;
            default:
                output.Append(Scalar(document)).Append('\n');
                break;
        }

        return output.ToString();
    }

    private static void WriteMapping(StringBuilder output, JsonObject mapping, int indent, string firstLinePrefix)
    {
        var first = true;
        foreach (var (key, value) in mapping)
        {
            output.Append(first && firstLinePrefix.Length > 0 ? firstLinePrefix : new string(' ', indent));
            output.Append(Text(key)).Append(':');
            WriteValue(output, value, indent);
            first = false;
        }
    }

    // Sequences under a key start at the key's indentation, as kubectl writes them.
    private static void WriteSequence(StringBuilder output, JsonArray sequence, int indent)
    {
        var dash = new string(' ', indent) + "- ";
        foreach (var item in sequence)
        {
            switch (item)
            {
                case JsonObject { Count: > 0 } mapping:
                    WriteMapping(output, mapping, indent + 2, dash);
                    break;
                case JsonArray { Count: > 0 } nested:
                    output.Append(new string(' ', indent)).Append("-\n");
                    WriteSequence(output, nested, indent + 2);
                    break;
                default:
                    output.Append(dash.TrimEnd());
                    WriteValue(output, item, indent);
                    break;
            }
        }
    }

    private static void WriteValue(StringBuilder output, JsonNode? value, int indent)
    {
        switch (value)
        {
            case JsonObject { Count: > 0 } mapping:
                output.Append('\n');
                WriteMapping(output, mapping, indent + 2, "");
                break;
            case JsonArray { Count: > 0 } sequence:
                output.Append('\n');
                WriteSequence(output, sequence, indent);
                break;
            case JsonValue text when text.GetValueKind() == JsonValueKind.String && IsBlock(text.GetValue<string>()):
                output.Append(" |-\n");
                foreach (var line in text.GetValue<string>().Split('\n'))
                {
                    output.Append(line.Length == 0 ? "" : new string(' ', indent + 2) + line).Append('\n');
                }

                break;
            default:
                output.Append(' ').Append(Scalar(value)).Append('\n');
                break;
        }
    }

    private static string Scalar(JsonNode? value) => value switch
    {
        null => "null",
        JsonObject => "{}",
        JsonArray => "[]",
        JsonValue v when v.GetValueKind() == JsonValueKind.String => Text(v.GetValue<string>()),
        _ => value.ToJsonString(),
    };

    private static string Text(string text) => IsPlain(text) ? text : JsonSerializer.Serialize(text, QuotedString);

    // A literal block keeps multi-line descriptions readable; lines must not start or end with blanks for
    // the block to read back as the same string.
    private static bool IsBlock(string text) =>
        text.Contains('\n')
        && !text.EndsWith('\n')
        && text.Split('\n').All(line => line == line.Trim() && !line.Any(char.IsControl));

    private static bool IsPlain(string text)
    {
        if (text.Length == 0 || text != text.Trim() || Reserved.Contains(text) || LooksNumeric(text))
        {
            return false;
        }

        if ("-?:,[]{}#&*!|>'\"%@`".Contains(text[0]))
        {
            return false;
        }

        return !text.Any(char.IsControl) && !text.Contains(": ") && !text.Contains(" #") && !text.EndsWith(':');
    }

    // Numbers, dates and sexagesimal values in YAML 1.1 all start with a digit, sign or dot and use only
    // these characters.
    private static bool LooksNumeric(string text) =>
        "+-.0123456789".Contains(text[0]) && text.All(c => char.IsAsciiDigit(c) || "+-._:xXoOabcdefABCDEF".Contains(c));
}
