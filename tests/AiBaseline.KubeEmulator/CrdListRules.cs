using System.Text.Json.Nodes;
using static AiBaseline.KubeEmulator.CrdSchemaRules;

namespace AiBaseline.KubeEmulator;

/// <summary>
/// The list extensions of a CRD schema node: <c>x-kubernetes-list-type</c> is atomic, set or map; a map list names
/// its keys in <c>x-kubernetes-list-map-keys</c>, which must be distinct scalar properties of its object items, each
/// required or defaulted; a set holds scalars or atomic items. Messages as kube-apiserver v1.34 words them.
/// </summary>
internal static class CrdListRules
{
    private static readonly string[] ListTypes = ["atomic", "set", "map"];

    public static void Check(JsonNode schema, string path, List<SchemaViolation> violations)
    {
        var listType = Text(schema, "x-kubernetes-list-type");
        var keys = (schema["x-kubernetes-list-map-keys"] as JsonArray ?? []).Select(k => k?.GetValue<string>() ?? "").ToList();
        var items = schema["items"] as JsonObject;
        if (listType is not null && !ListTypes.Contains(listType))
        {
            violations.Add(NotSupported($"{path}.x-kubernetes-list-type", listType, ListTypes));
        }

        if (keys.Count > 0 && listType is null)
        {
            violations.Add(Required($"{path}.x-kubernetes-list-type", "must be map if x-kubernetes-list-map-keys is non-empty"));
        }
        else if (keys.Count > 0 && listType != "map")
        {
            violations.Add(Invalid($"{path}.x-kubernetes-list-type", Show(listType!), "must be map if x-kubernetes-list-map-keys is non-empty"));
        }

        if (listType == "map")
        {
            MapList(schema, keys, items, path, violations);
        }

        if (listType == "set" && items is not null)
        {
            var itemType = Text(items, "type");
            if (itemType == "array" && Text(items, "x-kubernetes-list-type") is string inner && inner != "atomic")
            {
                violations.Add(Invalid($"{path}.items.x-kubernetes-list-type", Show(inner), "must be atomic as item of a list with x-kubernetes-list-type=set"));
            }

            if (itemType == "object" && Text(items, "x-kubernetes-map-type") is var mapType && mapType != "atomic")
            {
                violations.Add(Invalid($"{path}.items.x-kubernetes-map-type", mapType is null ? "null" : Show(mapType), "must be atomic as item of a list with x-kubernetes-list-type=set"));
            }
        }
    }

    private static void MapList(JsonNode schema, List<string> keys, JsonObject? items, string path, List<SchemaViolation> violations)
    {
        if (keys.Count == 0)
        {
            violations.Add(Required($"{path}.x-kubernetes-list-map-keys", "must not be empty if x-kubernetes-list-type is map"));
        }

        if (schema["items"] is null)
        {
            violations.Add(Required($"{path}.items", "must have a schema if x-kubernetes-list-type is map"));
        }

        if (items is null)
        {
            return;
        }

        var itemType = Text(items, "type");
        if (itemType != "object")
        {
            violations.Add(Invalid($"{path}.items.type", Show(itemType ?? ""), "must be object if parent array's x-kubernetes-list-type is map"));
            return;
        }

        var shownKeys = schema["x-kubernetes-list-map-keys"]?.ToJsonString() ?? "null";
        var required = (items["required"] as JsonArray ?? []).Select(r => r?.GetValue<string>()).ToHashSet();
        var properties = items["properties"] as JsonObject;
        if (keys.Any(k => properties?[k] is null))
        {
            violations.Add(Invalid($"{path}.x-kubernetes-list-map-keys", shownKeys, "entries must all be names of item properties"));
        }

        if (keys.Distinct().Count() != keys.Count)
        {
            violations.Add(Invalid($"{path}.x-kubernetes-list-map-keys", shownKeys, "must not contain duplicate entries"));
        }

        foreach (var key in keys.Distinct())
        {
            if (properties?[key] is not JsonObject property)
            {
                continue;
            }

            var keyPath = $"{path}.items.properties[{key}]";
            if (Text(property, "type") is "array" or "object")
            {
                violations.Add(Invalid($"{keyPath}.type", Show(Text(property, "type")!), "must be a scalar type if parent array's x-kubernetes-list-type is map"));
            }

            if (!required.Contains(key) && property["default"] is null)
            {
                violations.Add(Required($"{keyPath}.default", "this property is in x-kubernetes-list-map-keys, so it must have a default or be a required property"));
            }
        }
    }
}
