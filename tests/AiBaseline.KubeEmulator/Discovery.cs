using System.Text.Json.Nodes;

namespace AiBaseline.KubeEmulator;

/// <summary>The legacy discovery documents: <c>/api</c>, <c>/api/v1</c>, <c>/apis</c>, <c>/apis/g</c>, <c>/apis/g/v</c>, <c>/version</c>.</summary>
internal static class Discovery
{
    private static readonly string[] Verbs = ["create", "delete", "get", "list", "patch", "update", "watch"];
    private static readonly string[] StatusVerbs = ["get", "patch", "update"];

    /// <summary>The document for <paramref name="segments"/>, or null when the path is not a discovery path.</summary>
    public static JsonObject? Answer(string[] segments, ResourceRegistry registry, string hostPort)
    {
        var types = registry.All.ToList();
        return segments switch
        {
            ["version"] => new JsonObject { ["major"] = "1", ["minor"] = "34", ["gitVersion"] = "v1.34.0-aibaseline-emulator", ["platform"] = "linux/amd64" },
            ["api"] => new JsonObject
            {
                ["kind"] = "APIVersions",
                ["versions"] = new JsonArray("v1"),
                ["serverAddressByClientCIDRs"] = new JsonArray(new JsonObject { ["clientCIDR"] = "0.0.0.0/0", ["serverAddress"] = hostPort }),
            },
            ["api", "v1"] => ResourceList("v1", types.Where(t => t.Group.Length == 0)),
            ["apis"] => new JsonObject
            {
                ["kind"] = "APIGroupList",
                ["apiVersion"] = "v1",
                ["groups"] = new JsonArray([.. types.Where(t => t.Group.Length > 0).GroupBy(t => t.Group).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => (JsonNode)Group(g.Key, g))]),
            },
            ["apis", var group] when types.Any(t => t.Group == group) => Group(group, types.Where(t => t.Group == group)),
            ["apis", var group, var version] when types.Any(t => t.Group == group && t.Version == version) =>
                ResourceList($"{group}/{version}", types.Where(t => t.Group == group && t.Version == version)),
            _ => null,
        };
    }

    /// <summary>True for paths discovery owns, so an unknown group there is a 404 rather than a resource lookup.</summary>
    public static bool Owns(string[] segments) => segments is ["version"] or ["api"] or ["api", _] or ["apis"] or ["apis", _] or ["apis", _, _];

    private static JsonObject Group(string group, IEnumerable<ResourceType> types)
    {
        var versions = types.Select(t => t.Version).Distinct().OrderByDescending(v => v, StringComparer.Ordinal).ToList();
        JsonObject Version(string v) => new() { ["groupVersion"] = $"{group}/{v}", ["version"] = v };
        return new JsonObject
        {
            ["kind"] = "APIGroup",
            ["apiVersion"] = "v1",
            ["name"] = group,
            ["versions"] = new JsonArray([.. versions.Select(v => (JsonNode)Version(v))]),
            ["preferredVersion"] = Version(versions[0]),
        };
    }

    private static JsonObject ResourceList(string groupVersion, IEnumerable<ResourceType> types)
    {
        var resources = new JsonArray();
        foreach (var type in types.OrderBy(t => t.Plural, StringComparer.Ordinal))
        {
            var resource = new JsonObject
            {
                ["name"] = type.Plural,
                ["singularName"] = type.Singular,
                ["namespaced"] = type.Namespaced,
                ["kind"] = type.Kind,
                ["verbs"] = new JsonArray([.. Verbs.Select(v => (JsonNode)v)]),
                ["shortNames"] = new JsonArray([.. (type.ShortNames ?? []).Select(s => (JsonNode)s)]),
            };
            if (type.Categories is { Count: > 0 } categories)
            {
                resource["categories"] = new JsonArray([.. categories.Select(c => (JsonNode)c)]);
            }

            resources.Add(resource);
            if (type.HasStatus)
            {
                resources.Add(new JsonObject
                {
                    ["name"] = $"{type.Plural}/status",
                    ["singularName"] = "",
                    ["namespaced"] = type.Namespaced,
                    ["kind"] = type.Kind,
                    ["verbs"] = new JsonArray([.. StatusVerbs.Select(v => (JsonNode)v)]),
                });
            }
        }

        return new JsonObject { ["kind"] = "APIResourceList", ["apiVersion"] = "v1", ["groupVersion"] = groupVersion, ["resources"] = resources };
    }
}
