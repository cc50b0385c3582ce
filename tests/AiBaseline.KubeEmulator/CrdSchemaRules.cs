using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace AiBaseline.KubeEmulator;

/// <summary>
/// The rules apiextensions.k8s.io/v1 puts on a CRD version's <c>openAPIV3Schema</c> when the CRD is written: the
/// schema is structural (every node typed, one schema for items, no <c>$ref</c>, root <c>metadata</c> limited to
/// name and generateName), the vendor extensions are consistent (list types and map keys), and defaults validate
/// against their schema. Messages and field paths are the real server's, as kube-apiserver v1.34 words them; a path
/// starts at <c>spec.validation.openAPIV3Schema</c> when every version has the same schema, as the server reports
/// it after folding identical schemas into one. Not checked: completeness of value validations under
/// <c>anyOf</c>/<c>allOf</c>/<c>oneOf</c>/<c>not</c> and CEL rules.
/// </summary>
internal static class CrdSchemaRules
{
    private static readonly string[] Types = ["array", "boolean", "integer", "number", "object", "string"];

    private static readonly string[] Junctors = ["allOf", "anyOf", "oneOf"];

    private enum Level
    {
        Root,
        Item,
        Field,
    }

    /// <summary>Every violation in the versions' schemas, sorted as the server sorts them.</summary>
    public static IReadOnlyList<SchemaViolation> Check(JsonArray versions)
    {
        var violations = new List<SchemaViolation>();
        var schemas = versions.Select(v => v?["schema"]?["openAPIV3Schema"]).ToList();
        if (schemas.Count > 0 && schemas.All(s => s is not null && JsonNode.DeepEquals(s, schemas[0])))
        {
            Node(schemas[0]!, "spec.validation.openAPIV3Schema", Level.Root, insideMetadata: false, violations);
        }
        else
        {
            for (var i = 0; i < schemas.Count; i++)
            {
                var path = $"spec.versions[{i}].schema.openAPIV3Schema";
                if (schemas[i] is JsonObject schema)
                {
                    Node(schema, path, Level.Root, insideMetadata: false, violations);
                }
                else
                {
                    violations.Add(new SchemaViolation(path, "Required value", "FieldValueRequired"));
                }
            }
        }

        return [.. violations.Distinct().OrderBy(v => v.ToString(), StringComparer.Ordinal)];
    }

    private static void Node(JsonNode schema, string path, Level level, bool insideMetadata, List<SchemaViolation> violations)
    {
        var type = Text(schema, "type");
        var properties = schema["properties"] as JsonObject;
        var embedded = Flag(schema, "x-kubernetes-embedded-resource");
        var preserve = Flag(schema, "x-kubernetes-preserve-unknown-fields");
        var intOrString = Flag(schema, "x-kubernetes-int-or-string");

        Unsupported(schema, path, violations);
        if (type is not null && !Types.Contains(type))
        {
            violations.Add(NotSupported($"{path}.type", type, Types));
        }

        if (type == "null")
        {
            violations.Add(Forbidden($"{path}.type", "type cannot be set to null, use nullable as an alternative"));
        }

        if (schema["uniqueItems"] is JsonValue unique && unique.GetValueKind() == JsonValueKind.True)
        {
            violations.Add(Forbidden($"{path}.uniqueItems", "uniqueItems cannot be set to true since the runtime complexity becomes quadratic"));
        }

        if (schema["additionalProperties"] is JsonNode additional && properties is { Count: > 0 } && additional.GetValueKind() != JsonValueKind.True)
        {
            violations.Add(Forbidden($"{path}.additionalProperties", "additionalProperties and properties are mutual exclusive"));
        }

        if (schema["additionalProperties"] is not null && level == Level.Root)
        {
            violations.Add(Forbidden($"{path}.additionalProperties", "must not be used at the root"));
        }

        if (schema["x-kubernetes-preserve-unknown-fields"] is JsonValue keep && keep.GetValueKind() == JsonValueKind.False)
        {
            violations.Add(Invalid($"{path}.x-kubernetes-preserve-unknown-fields", "false", "must be true or undefined"));
        }

        if (intOrString && preserve)
        {
            violations.Add(Invalid($"{path}.x-kubernetes-preserve-unknown-fields", "true", "must be false if x-kubernetes-int-or-string is true"));
        }

        if (intOrString && embedded)
        {
            violations.Add(Invalid($"{path}.x-kubernetes-embedded-resource", "true", "must be false if x-kubernetes-int-or-string is true"));
        }

        if (Text(schema, "pattern") is string pattern && !IsRegex(pattern, out var why))
        {
            violations.Add(Invalid($"{path}.pattern", Show(pattern), $"must be a valid regular expression, but isn't: {why}"));
        }

        if (Text(schema, "x-kubernetes-map-type") is string mapType && mapType is not ("atomic" or "granular"))
        {
            violations.Add(NotSupported($"{path}.x-kubernetes-map-type", mapType, ["atomic", "granular"]));
        }

        CrdListRules.Check(schema, path, violations);

        if (embedded && type != "object")
        {
            violations.Add(type is null
                ? Required($"{path}.type", "must be object if x-kubernetes-embedded-resource is true")
                : Invalid($"{path}.type", Show(type), "must be object if x-kubernetes-embedded-resource is true"));
        }
        else if (type is null && !intOrString && !preserve)
        {
            violations.Add(Required($"{path}.type", level switch
            {
                Level.Root => "must not be empty at the root",
                Level.Item => "must not be empty for specified array items",
                _ => "must not be empty for specified object fields",
            }));
        }

        if (embedded && schema["additionalProperties"] is not null)
        {
            violations.Add(Forbidden($"{path}.additionalProperties", "must not be used if x-kubernetes-embedded-resource is set"));
        }

        if (embedded && !preserve && properties is not { Count: > 0 })
        {
            violations.Add(Required($"{path}.properties", "must not be empty if x-kubernetes-embedded-resource is true without x-kubernetes-preserve-unknown-fields"));
        }

        if (level == Level.Root && type is not null && type != "object")
        {
            violations.Add(Invalid($"{path}.type", Show(type), "must be object at the root"));
        }

        if (level == Level.Root || embedded)
        {
            ResourceRoot(properties, path, topLevel: level == Level.Root, violations);
        }

        if (schema["default"] is JsonNode value)
        {
            CrdDefaultRules.Check(schema, value, $"{path}.default", insideMetadata, violations);
        }

        Children(schema, path, insideMetadata, violations);
    }

    private static void Children(JsonNode schema, string path, bool insideMetadata, List<SchemaViolation> violations)
    {
        var type = Text(schema, "type");
        switch (schema["items"])
        {
            case JsonObject items:
                Node(items, $"{path}.items", Level.Item, insideMetadata, violations);
                break;
            case JsonArray:
                violations.Add(Forbidden($"{path}.items", "items must be a schema object and not an array"));
                break;
            case null when type == "array":
                violations.Add(Required($"{path}.items", "must be specified"));
                break;
        }

        foreach (var (name, child) in schema["properties"] as JsonObject ?? [])
        {
            if (child is JsonObject property)
            {
                var metadata = insideMetadata || (path.EndsWith("openAPIV3Schema", StringComparison.Ordinal) && name == "metadata");
                Node(property, $"{path}.properties[{name}]", Level.Field, metadata, violations);
            }
        }

        if (schema["additionalProperties"] is JsonObject additional)
        {
            // Defaults under additionalProperties are not checked by the server, so neither are they here.
            var copy = additional.DeepClone().AsObject();
            copy.Remove("default");
            Node(copy, $"{path}.additionalProperties", Level.Field, insideMetadata, violations);
        }

        foreach (var junctor in Junctors)
        {
            // The server allows x-kubernetes-int-or-string with anyOf: [{type: integer}, {type: string}], which every
            // IntOrString field of a generated pod template schema carries (ports, quantities).
            if (junctor == "anyOf" && Flag(schema, "x-kubernetes-int-or-string") && IsIntOrStringAnyOf(schema[junctor]))
            {
                continue;
            }

            foreach (var (nested, i) in (schema[junctor] as JsonArray ?? []).Select((n, i) => (n, i)))
            {
                Nested(nested, $"{path}.{junctor}[{i}]", violations);
            }
        }

        Nested(schema["not"], $"{path}.not", violations);
    }

    private static bool IsIntOrStringAnyOf(JsonNode? anyOf) =>
        anyOf is JsonArray { Count: 2 } items
        && items.All(i => i is JsonObject { Count: 1 } o && Text(o, "type") is "integer" or "string")
        && items.Select(i => Text(i!, "type")).Distinct().Count() == 2;

    /// <summary>A schema under allOf/anyOf/oneOf/not only validates values: it may not shape them.</summary>
    private static void Nested(JsonNode? schema, string path, List<SchemaViolation> violations)
    {
        if (schema is not JsonObject nested)
        {
            return;
        }

        foreach (var (key, what) in new[] { ("type", "must be empty"), ("title", "must be empty"), ("description", "must be empty"), ("default", "must be undefined"), ("nullable", "must be false"), ("additionalProperties", "must be undefined") })
        {
            if (nested[key] is JsonNode value && !(key == "nullable" && value.GetValueKind() == JsonValueKind.False))
            {
                violations.Add(Forbidden($"{path}.{key}", $"{what} to be structural"));
            }
        }

        foreach (var extension in new[] { "x-kubernetes-preserve-unknown-fields", "x-kubernetes-embedded-resource", "x-kubernetes-int-or-string" })
        {
            if (Flag(nested, extension))
            {
                violations.Add(Forbidden($"{path}.{extension}", "must be false to be structural"));
            }
        }

        if (nested["properties"] is JsonObject properties)
        {
            if (properties.ContainsKey("metadata"))
            {
                violations.Add(Forbidden($"{path}.properties[metadata]", "must not be specified in a nested context"));
            }

            foreach (var (name, child) in properties)
            {
                Nested(child, $"{path}.properties[{name}]", violations);
            }
        }

        Nested(nested["items"], $"{path}.items", violations);
        foreach (var junctor in Junctors)
        {
            foreach (var (inner, i) in (nested[junctor] as JsonArray ?? []).Select((n, i) => (n, i)))
            {
                Nested(inner, $"{path}.{junctor}[{i}]", violations);
            }
        }

        Nested(nested["not"], $"{path}.not", violations);
    }

    /// <summary>
    /// apiVersion and kind of a resource are strings; its metadata is an object, and at the top level may say nothing
    /// but its type and the schemas of name and generateName, because the server owns the rest of ObjectMeta.
    /// </summary>
    private static void ResourceRoot(JsonObject? properties, string path, bool topLevel, List<SchemaViolation> violations)
    {
        foreach (var field in new[] { "kind", "apiVersion" })
        {
            if (properties?[field] is JsonNode fieldSchema && Text(fieldSchema, "type") is var fieldType && fieldType != "string")
            {
                violations.Add(Invalid($"{path}.properties[{field}].type", Show(fieldType ?? ""), "must be string"));
            }
        }

        if (properties?["metadata"] is not JsonObject metadata)
        {
            return;
        }

        var metaPath = $"{path}.properties[metadata]";
        if (Text(metadata, "type") is var metaType && metaType != "object")
        {
            violations.Add(Invalid($"{metaPath}.type", Show(metaType ?? ""), "must be object"));
        }

        if (!topLevel)
        {
            return;
        }

        var names = metadata["properties"] as JsonObject;
        var onlyNames = names is not null && names.Count > 0 && names.All(p => p.Key is "name" or "generateName");
        var extra = metadata.Where(p => p.Key switch
        {
            "type" or "default" => false,
            "properties" => !onlyNames,
            _ => true,
        });
        if (extra.Any())
        {
            violations.Add(Forbidden(metaPath, "must not specify anything other than name and generateName, but metadata is implicitly specified"));
        }
    }

    private static void Unsupported(JsonNode schema, string path, List<SchemaViolation> violations)
    {
        if (schema["$ref"] is not null)
        {
            violations.Add(Forbidden($"{path}.$ref", "$ref is not supported"));
        }

        foreach (var key in new[] { "definitions", "patternProperties", "dependencies", "additionalItems" })
        {
            if (schema[key] is not null)
            {
                violations.Add(Forbidden($"{path}.{key}", $"{key} is not supported"));
            }
        }
    }

    private static bool IsRegex(string pattern, out string why)
    {
        try
        {
            _ = new Regex(pattern, RegexOptions.None, TimeSpan.FromSeconds(1));
            why = "";
            return true;
        }
        catch (ArgumentException e)
        {
            why = e.Message;
            return false;
        }
    }

    internal static string? Text(JsonNode schema, string key) =>
        schema[key] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    internal static bool Flag(JsonNode schema, string key) =>
        schema[key] is JsonValue v && v.GetValueKind() == JsonValueKind.True;

    internal static string Show(string text) => JsonSerializer.Serialize(text);

    internal static SchemaViolation Forbidden(string path, string why) => new(path, $"Forbidden: {why}", "FieldValueForbidden");

    internal static SchemaViolation Required(string path, string why) => new(path, $"Required value: {why}", "FieldValueRequired");

    internal static SchemaViolation Invalid(string path, string shown, string why) => new(path, $"Invalid value: {shown}: {why}");

    internal static SchemaViolation NotSupported(string path, string value, IEnumerable<string> supported) =>
        new(path, $"Unsupported value: {Show(value)}: supported values: {string.Join(", ", supported.Select(Show))}", "FieldValueNotSupported");
}
