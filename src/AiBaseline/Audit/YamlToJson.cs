using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace AiBaseline.Audit;

/// <summary>
/// Converts YAML to JSON the way the Kubernetes API reads it: plain scalars become numbers, booleans or null
/// when they look like one; quoted scalars stay strings.
/// </summary>
public static partial class YamlToJson
{
    /// <summary>The JSON form of a YAML node.</summary>
    public static JsonNode? Convert(YamlNode node)
    {
        switch (node)
        {
            case YamlMappingNode mapping:
                var obj = new JsonObject();
                foreach (var (key, value) in mapping.Children)
                {
                    obj[(key as YamlScalarNode)?.Value ?? key.ToString()] = Convert(value);
                }

                return obj;
            case YamlSequenceNode sequence:
                var array = new JsonArray();
                foreach (var item in sequence.Children)
                {
                    array.Add(Convert(item));
                }

                return array;
            case YamlScalarNode scalar:
                return Scalar(scalar);
            default:
                return null;
        }
    }

    /// <summary>
    /// Writes the JSON form of <paramref name="node"/> as <see cref="Convert"/> gives it, without building a tree; false
    /// when the node holds what Convert renders in a way a plain write would not (two keys that read alike, of which
    /// Convert keeps the last; an empty list item, which the decoder reports; a number too large for JSON): the caller
    /// then takes Convert's path, and what the writer holds is to be thrown away.
    /// </summary>
    public static bool TryWrite(YamlNode node, Utf8JsonWriter writer) => TryWrite(node, writer, listItem: false);

    private static bool TryWrite(YamlNode node, Utf8JsonWriter writer, bool listItem)
    {
        switch (node)
        {
            case YamlMappingNode mapping when mapping.Children.Count <= 32:
                writer.WriteStartObject();
                var names = ArrayPool<string>.Shared.Rent(mapping.Children.Count);
                try
                {
                    var count = 0;
                    foreach (var (key, value) in mapping.Children)
                    {
                        var name = (key as YamlScalarNode)?.Value ?? key.ToString();
                        if (names.AsSpan(0, count).Contains(name))
                        {
                            return false;
                        }

                        names[count++] = name;
                        writer.WritePropertyName(name);
                        if (!TryWrite(value, writer, listItem: false))
                        {
                            return false;
                        }
                    }
                }
                finally
                {
                    ArrayPool<string>.Shared.Return(names, clearArray: true);
                }

                writer.WriteEndObject();
                return true;
            case YamlSequenceNode sequence:
                writer.WriteStartArray();
                foreach (var item in sequence.Children)
                {
                    if (!TryWrite(item, writer, listItem: true))
                    {
                        return false;
                    }
                }

                writer.WriteEndArray();
                return true;
            case YamlScalarNode scalar:
                return WriteScalar(scalar, writer, listItem);
            case YamlMappingNode:
                return false;
            default:
                writer.WriteNullValue();
                return !listItem;
        }
    }

    private static bool WriteScalar(YamlScalarNode scalar, Utf8JsonWriter writer, bool listItem)
    {
        switch (Scalar(scalar))
        {
            case null:
                writer.WriteNullValue();
                return !listItem;
            case var value when value.TryGetValue<string>(out var text):
                writer.WriteStringValue(text);
                return true;
            case var value when value.TryGetValue<bool>(out var flag):
                writer.WriteBooleanValue(flag);
                return true;
            case var value when value.TryGetValue<long>(out var integer):
                writer.WriteNumberValue(integer);
                return true;
            case var value when value.TryGetValue<double>(out var real) && double.IsFinite(real):
                writer.WriteNumberValue(real);
                return true;
            default:
                return false;
        }
    }

    private static JsonValue? Scalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? "";
        if (scalar.Style != ScalarStyle.Plain)
        {
            return JsonValue.Create(text);
        }

        switch (text)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return null;
            // YAML 1.1 booleans, as kubectl (go-yaml v2) reads them: automountServiceAccountToken: no is false.
            case "true" or "True" or "TRUE" or "yes" or "Yes" or "YES" or "y" or "Y" or "on" or "On" or "ON":
                return JsonValue.Create(true);
            case "false" or "False" or "FALSE" or "no" or "No" or "NO" or "n" or "N" or "off" or "Off" or "OFF":
                return JsonValue.Create(false);
        }

        if (Octal().IsMatch(text))
        {
            return JsonValue.Create(System.Convert.ToInt64(text, 8)); // file modes such as defaultMode: 0644
        }

        if (Integer().IsMatch(text) && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
        {
            return JsonValue.Create(integer);
        }

        if (Float().IsMatch(text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var real))
        {
            return JsonValue.Create(real);
        }

        return JsonValue.Create(text);
    }

    [GeneratedRegex("^0[0-7]+$")]
    private static partial Regex Octal();

    [GeneratedRegex("^[-+]?(0|[1-9][0-9]*)$")]
    private static partial Regex Integer();

    [GeneratedRegex(@"^[-+]?([0-9]+\.[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?$")]
    private static partial Regex Float();
}
