using System.Text.Json.Nodes;

namespace AiBaseline.Crds;

/// <summary>
/// Rewrites a JSON Schema as System.Text.Json exports it into the structural OpenAPI v3 subset the
/// Kubernetes API server accepts: every <c>$ref</c> inlined, <c>"type": ["x", "null"]</c> turned into one
/// type plus <c>nullable: true</c>, <c>null</c> taken out of enums, and properties in a stable order.
/// </summary>
public static class StructuralSchema
{
    /// <summary>Returns the structural form of <paramref name="exported"/>; the input is not changed.</summary>
    /// <exception cref="InvalidOperationException">A node cannot be expressed with one type.</exception>
    public static JsonObject Rewrite(JsonNode exported)
    {
        var root = exported as JsonObject
            ?? throw new InvalidOperationException("The exported schema of a resource must be an object schema.");
        return Rewrite(root, root, "");
    }

    private static JsonObject Rewrite(JsonObject node, JsonObject root, string path)
    {
        var source = Inline(node, root);
        var result = new JsonObject();
        var nullable = false;
        foreach (var (key, value) in source)
        {
            switch (key)
            {
                case "$schema" or "$id" or "$comment":
                    break;
                case "type":
                    result["type"] = SingleType(value, path, ref nullable);
                    break;
                case "enum":
                    result["enum"] = WithoutNull(value!.AsArray(), ref nullable);
                    break;
                case "properties":
                    result["properties"] = Properties(value!.AsObject(), root, path);
                    break;
                case "items":
                    result["items"] = Rewrite(value!.AsObject(), root, path + "[]");
                    break;
                case "additionalProperties" when value is JsonObject map:
                    result["additionalProperties"] = Rewrite(map, root, path + "{}");
                    break;
                case "additionalProperties":
                    // "additionalProperties: false" is not allowed next to properties; unknown fields are pruned anyway.
                    break;
                case "required":
                    result["required"] = new JsonArray([.. value!.AsArray().Select(v => v!.GetValue<string>()).Order(StringComparer.Ordinal).Select(v => JsonValue.Create(v))]);
                    break;
                default:
                    result[key] = value?.DeepClone();
                    break;
            }
        }

        if (!result.ContainsKey("type") && result["enum"] is JsonArray values && values.All(v => v?.GetValueKind() == System.Text.Json.JsonValueKind.String))
        {
            result["type"] = "string";
        }

        if (!result.ContainsKey("type") && result["x-kubernetes-int-or-string"] is null && result["x-kubernetes-preserve-unknown-fields"] is null)
        {
            throw new InvalidOperationException($"The schema at '{Display(path)}' has no single type; give the C# member a concrete type.");
        }

        if (nullable)
        {
            result["nullable"] = true;
        }

        return Sorted(result);
    }

    // Keywords in ordinal order, as apiextensions.k8s.io lists them, whether the node is typed in the
    // Kubernetes models or kept as raw JSON (items are).
    private static JsonObject Sorted(JsonObject node)
    {
        var sorted = new JsonObject();
        foreach (var key in node.Select(p => p.Key).Order(StringComparer.Ordinal).ToList())
        {
            var value = node[key];
            node.Remove(key);
            sorted[key] = value;
        }

        return sorted;
    }

    // The exporter refers to a type it has already written with a JSON pointer to its first use; Kubernetes
    // wants every use written out. Keywords next to the reference (such as a property's description) win.
    private static JsonObject Inline(JsonObject node, JsonObject root)
    {
        if (node["$ref"]?.GetValue<string>() is not { } pointer)
        {
            return node;
        }

        var target = Resolve(root, pointer).DeepClone().AsObject();
        foreach (var (key, value) in node)
        {
            if (key != "$ref")
            {
                target[key] = value?.DeepClone();
            }
        }

        return Inline(target, root);
    }

    private static JsonObject Resolve(JsonObject root, string pointer)
    {
        if (!pointer.StartsWith('#'))
        {
            throw new InvalidOperationException($"Only local schema references can be inlined, not '{pointer}'.");
        }

        JsonNode current = root;
        foreach (var segment in pointer[1..].Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var name = segment.Replace("~1", "/").Replace("~0", "~");
            current = current switch
            {
                JsonObject o when o[name] is { } next => next,
                JsonArray a when int.TryParse(name, out var i) && i < a.Count && a[i] is { } next => next,
                _ => throw new InvalidOperationException($"The schema reference '{pointer}' does not resolve."),
            };
        }

        return current.AsObject();
    }

    private static JsonObject Properties(JsonObject properties, JsonObject root, string path)
    {
        var result = new JsonObject();
        foreach (var (name, value) in properties.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            result[name] = Rewrite(value!.AsObject(), root, path + "." + name);
        }

        return result;
    }

    private static string SingleType(JsonNode? type, string path, ref bool nullable)
    {
        if (type is JsonValue single)
        {
            return single.GetValue<string>();
        }

        var types = type!.AsArray().Select(t => t!.GetValue<string>()).ToList();
        nullable |= types.Remove("null");
        return types.Count == 1
            ? types[0]
            : throw new InvalidOperationException($"The schema at '{Display(path)}' allows types {string.Join(", ", types)}; a structural schema has exactly one.");
    }

    private static JsonArray WithoutNull(JsonArray values, ref bool nullable)
    {
        var kept = values.Where(v => v is not null).Select(v => v!.DeepClone()).ToArray();
        nullable |= kept.Length != values.Count;
        return new JsonArray(kept);
    }

    private static string Display(string path) => path.Length == 0 ? "." : path;
}
