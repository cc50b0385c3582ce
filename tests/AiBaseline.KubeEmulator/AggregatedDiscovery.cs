using System.Text.Json;
using System.Text.Json.Nodes;

namespace AiBaseline.KubeEmulator;

/// <summary>
/// Aggregated discovery (<c>apidiscovery.k8s.io</c> v2 and v2beta1): every group, version and resource of <c>/api</c>
/// or <c>/apis</c> in one document, which kubectl asks for first and which spares it one request per group version.
/// Clients that do not ask, or a client asking for plain JSON first, get the legacy documents from <see cref="Discovery"/>.
/// </summary>
internal static class AggregatedDiscovery
{
    private static readonly string[] Verbs = ["create", "delete", "get", "list", "patch", "update", "watch"];
    private static readonly string[] StatusVerbs = ["get", "patch", "update"];

    /// <summary>The version of aggregated discovery the Accept header asks for first, or null.</summary>
    public static string? Requested(string[] segments, HttpRequest request)
    {
        if (segments is not (["api"] or ["apis"]))
        {
            return null;
        }

        foreach (var range in MediaRange.Of(request).Where(r => r.IsJson))
        {
            if (range["as"] == "APIGroupDiscoveryList" && range["g"] == "apidiscovery.k8s.io" && range["v"] is "v2" or "v2beta1")
            {
                return range["v"];
            }

            if (range["as"] is null)
            {
                return null;
            }
        }

        return null;
    }

    /// <summary>The content type the server labels the document with.</summary>
    public static string ContentType(string version) => $"application/json;g=apidiscovery.k8s.io;v={version};as=APIGroupDiscoveryList";

    public static byte[] Answer(string[] segments, string version, ResourceRegistry registry)
    {
        var core = segments is ["api"];
        var groups = registry.All
            .Where(t => core == (t.Group.Length == 0))
            .GroupBy(t => t.Group)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (JsonNode)new JsonObject
            {
                ["metadata"] = g.Key.Length == 0 ? new JsonObject() : new JsonObject { ["name"] = g.Key },
                ["versions"] = new JsonArray([.. g
                    .GroupBy(t => t.Version)
                    .OrderByDescending(v => v.Key, StringComparer.Ordinal)
                    .Select(v => (JsonNode)new JsonObject
                    {
                        ["version"] = v.Key,
                        ["resources"] = new JsonArray([.. v.OrderBy(t => t.Plural, StringComparer.Ordinal).Select(Resource)]),
                        ["freshness"] = "Current",
                    })]),
            });
        return JsonSerializer.SerializeToUtf8Bytes(new JsonObject
        {
            ["kind"] = "APIGroupDiscoveryList",
            ["apiVersion"] = $"apidiscovery.k8s.io/{version}",
            ["metadata"] = new JsonObject(),
            ["items"] = new JsonArray([.. groups]),
        });
    }

    private static JsonNode Resource(ResourceType type)
    {
        JsonObject Kind() => new() { ["group"] = type.Group, ["version"] = type.Version, ["kind"] = type.Kind };
        var resource = new JsonObject
        {
            ["resource"] = type.Plural,
            ["responseKind"] = Kind(),
            ["scope"] = type.Namespaced ? "Namespaced" : "Cluster",
            ["singularResource"] = type.Singular,
            ["verbs"] = new JsonArray([.. Verbs.Select(v => (JsonNode)v)]),
        };
        if (type.ShortNames is { Count: > 0 } shortNames)
        {
            resource["shortNames"] = new JsonArray([.. shortNames.Select(s => (JsonNode)s)]);
        }

        if (type.Categories is { Count: > 0 } categories)
        {
            resource["categories"] = new JsonArray([.. categories.Select(c => (JsonNode)c)]);
        }

        if (type.HasStatus)
        {
            resource["subresources"] = new JsonArray(new JsonObject
            {
                ["subresource"] = "status",
                ["responseKind"] = Kind(),
                ["verbs"] = new JsonArray([.. StatusVerbs.Select(v => (JsonNode)v)]),
            });
        }

        return resource;
    }
}
