using System.Globalization;
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
