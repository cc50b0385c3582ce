using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AiBaseline.KubeEmulator;

/// <summary>
/// The OpenAPI v3 discovery the API server publishes: <c>/openapi/v3</c> lists one document per group version, and
/// each document holds the paths with their operations, parameters and <c>x-kubernetes-group-version-kind</c>.
/// kubectl reads it before create and apply to learn that the server validates fields itself (the
/// <c>fieldValidation</c> parameter of PATCH), and fails with "failed to download openapi" without it. Custom resources
/// carry their CRD schema; built-ins carry an open object schema, since the emulator has no built-in schemas.
/// </summary>
internal static class OpenApiDocuments
{
    /// <summary>True for paths under <c>/openapi/v3</c>.</summary>
    public static bool Owns(string[] segments) => segments is ["openapi", "v3", ..];

    /// <summary>The root index or one group version's document; null when the group version is not served.</summary>
    public static JsonObject? Answer(string[] segments, ResourceRegistry registry)
    {
        var groupVersions = registry.All.GroupBy(t => t.Group.Length == 0 ? $"api/{t.Version}" : $"apis/{t.Group}/{t.Version}").ToList();
        if (segments is ["openapi", "v3"])
        {
            var paths = new JsonObject();
            foreach (var gv in groupVersions.OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                var hash = Convert.ToHexString(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(Document(gv))));
                paths[gv.Key] = new JsonObject { ["serverRelativeURL"] = $"/openapi/v3/{gv.Key}?hash={hash}" };
            }

            return new JsonObject { ["paths"] = paths };
        }

        var key = string.Join('/', segments.Skip(2));
        return groupVersions.FirstOrDefault(g => g.Key == key) is { } served ? Document(served) : null;
    }

    private static JsonObject Document(IEnumerable<ResourceType> types)
    {
        var paths = new JsonObject();
        var schemas = new JsonObject();
        foreach (var type in types.OrderBy(t => t.Plural, StringComparer.Ordinal))
        {
            var schemaName = SchemaName(type);
            var schema = type.Schema?.DeepClone().AsObject() ?? new JsonObject { ["type"] = "object" };
            schema["x-kubernetes-group-version-kind"] = new JsonArray(Gvk(type));
            schemas[schemaName] = schema;
            var prefix = type.Group.Length == 0 ? $"/api/{type.Version}" : $"/apis/{type.Group}/{type.Version}";
            var collection = type.Namespaced ? $"{prefix}/namespaces/{{namespace}}/{type.Plural}" : $"{prefix}/{type.Plural}";
            var scope = type.Namespaced ? (JsonNode[])[PathParameter("namespace")] : [];
            paths[collection] = new JsonObject
            {
                ["get"] = Operation(type, "list", schemaName, []),
                ["post"] = Operation(type, "post", schemaName, WriteParameters(force: false)),
                ["parameters"] = new JsonArray([.. scope]),
            };
            paths[$"{collection}/{{name}}"] = new JsonObject
            {
                ["get"] = Operation(type, "get", schemaName, []),
                ["put"] = Operation(type, "put", schemaName, WriteParameters(force: false)),
                ["patch"] = Operation(type, "patch", schemaName, WriteParameters(force: true)),
                ["delete"] = Operation(type, "delete", schemaName, []),
                ["parameters"] = new JsonArray([PathParameter("name"), .. scope.Select(p => p.DeepClone())]),
            };
            if (type.HasStatus)
            {
                paths[$"{collection}/{{name}}/status"] = new JsonObject
                {
                    ["get"] = Operation(type, "get", schemaName, []),
                    ["put"] = Operation(type, "put", schemaName, WriteParameters(force: false)),
                    ["patch"] = Operation(type, "patch", schemaName, WriteParameters(force: true)),
                    ["parameters"] = new JsonArray([PathParameter("name"), .. scope.Select(p => p.DeepClone())]),
                };
            }
        }

        return new JsonObject
        {
            ["openapi"] = "3.0.0",
            ["info"] = new JsonObject { ["title"] = "Kubernetes", ["version"] = "v1.34.0" },
            ["paths"] = paths,
            ["components"] = new JsonObject { ["schemas"] = schemas },
        };
    }

    private static JsonObject Operation(ResourceType type, string action, string schemaName, IReadOnlyList<JsonNode> parameters) => new()
    {
        ["operationId"] = $"{action}{type.Kind}",
        ["parameters"] = new JsonArray([.. parameters]),
        ["responses"] = new JsonObject
        {
            ["200"] = new JsonObject
            {
                ["description"] = "OK",
                ["content"] = new JsonObject
                {
                    ["application/json"] = new JsonObject { ["schema"] = new JsonObject { ["$ref"] = $"#/components/schemas/{schemaName}" } },
                },
            },
        },
        ["x-kubernetes-action"] = action,
        ["x-kubernetes-group-version-kind"] = Gvk(type),
    };

    /// <summary>The query parameters of writes; kubectl looks for <c>fieldValidation</c> among PATCH's.</summary>
    private static JsonNode[] WriteParameters(bool force)
    {
        JsonNode Query(string name, string type) => new JsonObject
        {
            ["name"] = name,
            ["in"] = "query",
            ["schema"] = new JsonObject { ["type"] = type, ["uniqueItems"] = true },
        };

        JsonNode[] common = [Query("dryRun", "string"), Query("fieldManager", "string"), Query("fieldValidation", "string")];
        return force ? [.. common, Query("force", "boolean")] : common;
    }

    private static JsonObject PathParameter(string name) => new()
    {
        ["name"] = name,
        ["in"] = "path",
        ["required"] = true,
        ["schema"] = new JsonObject { ["type"] = "string", ["uniqueItems"] = true },
    };

    private static JsonObject Gvk(ResourceType type) => new() { ["group"] = type.Group, ["kind"] = type.Kind, ["version"] = type.Version };

    /// <summary>Definition names as the server spells them: reversed group for custom resources, <c>io.k8s.api</c> for built-ins.</summary>
    private static string SchemaName(ResourceType type)
    {
        if (type.Schema is not null)
        {
            return $"{string.Join('.', type.Group.Split('.').Reverse())}.{type.Version}.{type.Kind}";
        }

        var package = type.Group.Length == 0 ? "core" : type.Group.Split('.')[0];
        return $"io.k8s.api.{package}.{type.Version}.{type.Kind}";
    }
}
