using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace AiBaseline.KubeEmulator;

/// <summary>
/// Checks a JSON value against a Kubernetes structural OpenAPI v3 schema (a CRD's <c>openAPIV3Schema</c>) the way the
/// API server does: types, nullable, required, enum, numeric and length bounds, item counts, patterns and
/// <c>x-kubernetes-int-or-string</c>. Unknown fields are not violations here: the server prunes them, see
/// <see cref="FindUnknownFields"/> and <see cref="Prune"/>. CEL rules (<c>x-kubernetes-validations</c>) are not evaluated.
/// </summary>
public static class OpenApiValidator
{
    private static readonly string[] ResourceRootFields = ["apiVersion", "kind", "metadata"];

    /// <summary>Returns every violation of <paramref name="schema"/> by <paramref name="value"/>, in document order.</summary>
    /// <param name="schema">The schema node (for a CRD, <c>spec.versions[].schema.openAPIV3Schema</c>).</param>
    /// <param name="value">The value to check; <see langword="null"/> is JSON null.</param>
    /// <param name="rootPath">Path prefix of <paramref name="value"/>; empty for a whole resource.</param>
    public static IReadOnlyList<SchemaViolation> Validate(JsonNode schema, JsonNode? value, string rootPath = "")
    {
        ArgumentNullException.ThrowIfNull(schema);
        var violations = new List<SchemaViolation>();
        Check(schema, value, rootPath, violations);
        return violations;
    }

    /// <summary>Lists the paths of fields the schema does not declare (what the server would prune), in document order.</summary>
    public static IReadOnlyList<string> FindUnknownFields(JsonNode schema, JsonNode? value, string rootPath = "")
    {
        ArgumentNullException.ThrowIfNull(schema);
        var unknown = new List<string>();
        Walk(schema, value, rootPath, unknown, prune: false);
        return unknown;
    }

    /// <summary>Removes undeclared fields from <paramref name="value"/> in place and returns their paths.</summary>
    public static IReadOnlyList<string> Prune(JsonNode schema, JsonNode? value, string rootPath = "")
    {
        ArgumentNullException.ThrowIfNull(schema);
        var unknown = new List<string>();
        Walk(schema, value, rootPath, unknown, prune: true);
        return unknown;
    }

    private static void Check(JsonNode schema, JsonNode? value, string path, List<SchemaViolation> violations)
    {
        var type = Str(schema, "type");
        if (value is null)
        {
            if (type is not null && !Bool(schema, "nullable"))
            {
                violations.Add(TypeInvalid(path, "null", type));
            }

            return;
        }

        var intOrString = Bool(schema, "x-kubernetes-int-or-string");
        var actual = TypeOf(value);
        if (intOrString)
        {
            if (actual is not ("integer" or "string"))
            {
                violations.Add(TypeInvalid(path, actual, "integer,string"));
                return;
            }
        }
        else if (type is not null && !TypeMatches(type, actual))
        {
            violations.Add(TypeInvalid(path, actual, type));
            return;
        }

        CheckEnum(schema, value, path, violations);
        switch (value)
        {
            case JsonObject obj:
                CheckObject(schema, obj, path, violations);
                break;
            case JsonArray array:
                CheckArray(schema, array, path, violations);
                break;
            case JsonValue scalar when actual == "string":
                CheckString(schema, scalar.GetValue<string>(), path, violations);
                break;
            case JsonValue scalar when actual is "integer" or "number":
                CheckNumber(schema, ToDouble(scalar), path, violations);
                break;
        }
    }

    private static void CheckObject(JsonNode schema, JsonObject obj, string path, List<SchemaViolation> violations)
    {
        if (schema["required"] is JsonArray required)
        {
            foreach (var name in required.Select(r => r?.GetValue<string>()).OfType<string>())
            {
                if (!obj.ContainsKey(name))
                {
                    violations.Add(new SchemaViolation(Join(path, name), "Required value", "FieldValueRequired"));
                }
            }
        }

        var properties = schema["properties"] as JsonObject;
        var additional = schema["additionalProperties"] as JsonObject;
        foreach (var (name, child) in obj)
        {
            if (properties?[name] is JsonNode propertySchema)
            {
                Check(propertySchema, child, Join(path, name), violations);
            }
            else if (additional is not null)
            {
                Check(additional, child, Join(path, name), violations);
            }
        }

        CheckCount(schema, obj.Count, path, "properties", violations);
    }

    private static void CheckArray(JsonNode schema, JsonArray array, string path, List<SchemaViolation> violations)
    {
        CheckCount(schema, array.Count, path, "items", violations);
        CheckUnique(schema, array, path, violations);
        if (schema["items"] is JsonObject itemSchema)
        {
            for (var i = 0; i < array.Count; i++)
            {
                Check(itemSchema, array[i], $"{path}[{i}]", violations);
            }
        }
    }

    /// <summary>A set holds each value once; a map list holds each combination of its keys once, reported as the key fields.</summary>
    private static void CheckUnique(JsonNode schema, JsonArray array, string path, List<SchemaViolation> violations)
    {
        var keys = (schema["x-kubernetes-list-map-keys"] as JsonArray ?? []).Select(k => k?.GetValue<string>()).OfType<string>().ToList();
        Func<JsonNode?, JsonNode?>? identity = Str(schema, "x-kubernetes-list-type") switch
        {
            "set" => item => item,
            "map" when keys.Count > 0 => item => item is JsonObject obj
                ? new JsonObject(keys.Where(obj.ContainsKey).Select(k => KeyValuePair.Create(k, obj[k]?.DeepClone())))
                : item,
            _ => null,
        };
        if (identity is null)
        {
            return;
        }

        var seen = new List<JsonNode?>();
        for (var i = 0; i < array.Count; i++)
        {
            var id = identity(array[i]);
            if (seen.Any(s => JsonNode.DeepEquals(s, id)))
            {
                violations.Add(new SchemaViolation($"{path}[{i}]", $"Duplicate value: {Show(id)}", "FieldValueDuplicate"));
            }
            else
            {
                seen.Add(id);
            }
        }
    }

    private static void CheckCount(JsonNode schema, int count, string path, string what, List<SchemaViolation> violations)
    {
        if (Num(schema, $"max{Cap(what)}") is double max && count > max)
        {
            violations.Add(new SchemaViolation(path, $"Too many: {count}: must have at most {Fmt(max)} {what}", "FieldValueTooMany"));
        }

        if (Num(schema, $"min{Cap(what)}") is double min && count < min)
        {
            violations.Add(new SchemaViolation(path, $"Invalid value: {count}: {path} in body should have at least {Fmt(min)} {what}"));
        }
    }

    private static void CheckString(JsonNode schema, string text, string path, List<SchemaViolation> violations)
    {
        var shown = JsonSerializer.Serialize(text);
        if (Num(schema, "maxLength") is double max && text.Length > max)
        {
            violations.Add(new SchemaViolation(path, $"Too long: may not be more than {Fmt(max)} bytes", "FieldValueTooLong"));
        }

        if (Num(schema, "minLength") is double min && text.Length < min)
        {
            violations.Add(new SchemaViolation(path, $"Invalid value: {shown}: {path} in body should be at least {Fmt(min)} chars long"));
        }

        if (Str(schema, "pattern") is string pattern && !Regex.IsMatch(text, pattern, RegexOptions.None, TimeSpan.FromSeconds(1)))
        {
            violations.Add(new SchemaViolation(path, $"Invalid value: {shown}: {path} in body should match '{pattern}'"));
        }
    }

    private static void CheckNumber(JsonNode schema, double number, string path, List<SchemaViolation> violations)
    {
        var shown = Fmt(number);
        if (Num(schema, "minimum") is double min && (number < min || (Bool(schema, "exclusiveMinimum") && number <= min)))
        {
            var bound = Bool(schema, "exclusiveMinimum") ? "greater than" : "greater than or equal to";
            violations.Add(new SchemaViolation(path, $"Invalid value: {shown}: {path} in body should be {bound} {Fmt(min)}"));
        }

        if (Num(schema, "maximum") is double max && (number > max || (Bool(schema, "exclusiveMaximum") && number >= max)))
        {
            var bound = Bool(schema, "exclusiveMaximum") ? "less than" : "less than or equal to";
            violations.Add(new SchemaViolation(path, $"Invalid value: {shown}: {path} in body should be {bound} {Fmt(max)}"));
        }
    }

    private static void CheckEnum(JsonNode schema, JsonNode value, string path, List<SchemaViolation> violations)
    {
        if (schema["enum"] is not JsonArray allowed || allowed.Any(a => JsonNode.DeepEquals(a, value)))
        {
            return;
        }

        var supported = string.Join(", ", allowed.Select(Show));
        violations.Add(new SchemaViolation(path, $"Unsupported value: {Show(value)}: supported values: {supported}", "FieldValueNotSupported"));
    }

    private static void Walk(JsonNode schema, JsonNode? value, string path, List<string> unknown, bool prune)
    {
        if (Bool(schema, "x-kubernetes-preserve-unknown-fields") && schema["properties"] is null && schema["additionalProperties"] is null)
        {
            return;
        }

        switch (value)
        {
            case JsonObject obj:
                var properties = schema["properties"] as JsonObject;
                var additional = schema["additionalProperties"];
                var preserve = Bool(schema, "x-kubernetes-preserve-unknown-fields");
                var embedded = Bool(schema, "x-kubernetes-embedded-resource");
                foreach (var (name, child) in obj.ToList())
                {
                    if (prune && child is null && (properties?[name] ?? additional) is JsonObject nullSchema && !Bool(nullSchema, "nullable") && nullSchema["default"] is null)
                    {
                        // The server drops a null it may not store rather than refusing the object.
                        obj.Remove(name);
                        continue;
                    }

                    if ((path.Length == 0 || embedded) && ResourceRootFields.Contains(name))
                    {
                        // apiVersion, kind and metadata belong to the server, which never prunes them by the CRD schema.
                        continue;
                    }

                    if (properties?[name] is JsonNode propertySchema)
                    {
                        Walk(propertySchema, child, Join(path, name), unknown, prune);
                    }
                    else if (additional is JsonObject additionalSchema)
                    {
                        Walk(additionalSchema, child, Join(path, name), unknown, prune);
                    }
                    else if (additional is JsonValue allowAny && allowAny.GetValue<bool>())
                    {
                        continue;
                    }
                    else if (!preserve)
                    {
                        unknown.Add(Join(path, name));
                        if (prune)
                        {
                            obj.Remove(name);
                        }
                    }
                }

                break;
            case JsonArray array when schema["items"] is JsonObject itemSchema:
                for (var i = 0; i < array.Count; i++)
                {
                    Walk(itemSchema, array[i], $"{path}[{i}]", unknown, prune);
                }

                break;
        }
    }

    private static SchemaViolation TypeInvalid(string path, string actual, string expected) =>
        new(path, $"Invalid value: \"{actual}\": {path} in body must be of type {expected}: \"{actual}\"", "FieldValueTypeInvalid");

    private static bool TypeMatches(string expected, string actual) =>
        expected == actual || (expected == "number" && actual == "integer");

    private static string TypeOf(JsonNode value) => value.GetValueKind() switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        JsonValueKind.Number => IsInteger(value) ? "integer" : "number",
        _ => "null",
    };

    private static bool IsInteger(JsonNode value)
    {
        var number = ToDouble(value.AsValue());
        return Math.Abs(number % 1) < double.Epsilon && !value.ToJsonString().Contains('.', StringComparison.Ordinal);
    }

    private static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

    private static string Cap(string what) => what == "items" ? "Items" : "Properties";

    private static string? Str(JsonNode schema, string key) =>
        schema[key] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    private static bool Bool(JsonNode schema, string key) =>
        schema[key] is JsonValue v && v.GetValueKind() == JsonValueKind.True;

    private static double? Num(JsonNode schema, string key) =>
        schema[key] is JsonValue v && v.GetValueKind() == JsonValueKind.Number ? ToDouble(v) : null;

    // Values parsed from text are JsonElement-backed; values built in code hold a CLR number of any width.
    private static double ToDouble(JsonValue value) =>
        value.TryGetValue(out double d) ? d
        : value.TryGetValue(out long l) ? l
        : value.TryGetValue(out int i) ? i
        : double.Parse(value.ToJsonString(), CultureInfo.InvariantCulture);

    private static string Fmt(double number) => number.ToString(CultureInfo.InvariantCulture);

    private static string Show(JsonNode? value) => value is null ? "null" : value.ToJsonString();
}
