using System.Collections.Immutable;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using AiBaseline.Controller.Api;
using AiBaseline.Engine;

namespace AiBaseline.Operator;

/// <summary>
/// A Gateway API route, an Envoy Gateway BackendTrafficPolicy or a KongPlugin, kept as the little JSON ApiRateLimit
/// reads (<see cref="ExposureReader"/>): a route's parentRefs and backendRefs, a policy's targets and whether it has a
/// rateLimit, a plugin's name and whether it is disabled. Their configuration is never kept.
/// </summary>
internal sealed class ExposureObject : JsonSpecObject
{
    /// <summary>A KongPlugin's plugin name.</summary>
    [JsonPropertyName("plugin")]
    public string? Plugin { get; set; }

    /// <summary>A KongPlugin's disabled flag.</summary>
    [JsonPropertyName("disabled")]
    public bool? Disabled { get; set; }

    /// <summary>The object as <see cref="ExposureReader"/> reads it.</summary>
    public JsonObject ToJson() => new()
    {
        ["metadata"] = new JsonObject
        {
            ["name"] = Metadata.Name,
            ["annotations"] = Metadata.Annotations is { } annotations ? new JsonObject(annotations.Select(a => KeyValuePair.Create(a.Key, (JsonNode?)a.Value))) : null,
        },
        ["spec"] = Spec?.DeepClone(),
        ["plugin"] = Plugin,
        ["disabled"] = Disabled,
    };

    /// <summary>Leaves out what ApiRateLimit does not read; <paramref name="kind"/> is the object's kind.</summary>
    public ExposureObject Trim(string kind)
    {
        Kind = kind;
        Metadata.ManagedFields = null;
        Metadata.Labels = null;
        Metadata.Annotations = Metadata.Annotations?.TryGetValue(ExposureReader.KongPluginsAnnotation, out var plugins) == true
            ? new Dictionary<string, string>(StringComparer.Ordinal) { [ExposureReader.KongPluginsAnnotation] = plugins }
            : null;
        Spec = kind switch
        {
            "HTTPRoute" or "GRPCRoute" => new JsonObject
            {
                ["parentRefs"] = Spec?["parentRefs"]?.DeepClone(),
                ["rules"] = new JsonArray([.. (Spec?["rules"] as JsonArray ?? []).Select(r => (JsonNode?)new JsonObject { ["backendRefs"] = r?["backendRefs"]?.DeepClone() })]),
            },
            "BackendTrafficPolicy" => new JsonObject
            {
                ["targetRefs"] = Spec?["targetRefs"]?.DeepClone(),
                ["targetRef"] = Spec?["targetRef"]?.DeepClone(),
                ["rateLimit"] = Spec?["rateLimit"] is JsonObject ? new JsonObject() : null,
            },
            _ => null,
        };
        return this;
    }
}

/// <summary>A kind ApiRateLimit reads that comes with a CustomResourceDefinition, watched only while it exists.</summary>
/// <param name="Kind">Its kind.</param>
/// <param name="Resource">Where it lives in the API.</param>
/// <param name="IsPolicy">A rate limit policy rather than a route.</param>
internal sealed record ExposureType(string Kind, ResourceType Resource, bool IsPolicy)
{
    /// <summary>The CustomResourceDefinition's name.</summary>
    public string CrdName => $"{Resource.Plural}.{Resource.Group}";

    public static ImmutableArray<ExposureType> All { get; } =
    [
        new("HTTPRoute", new ResourceType("gateway.networking.k8s.io", "v1", "httproutes", Namespaced: true), IsPolicy: false),
        new("GRPCRoute", new ResourceType("gateway.networking.k8s.io", "v1", "grpcroutes", Namespaced: true), IsPolicy: false),
        new("BackendTrafficPolicy", new ResourceType("gateway.envoyproxy.io", "v1alpha1", "backendtrafficpolicies", Namespaced: true), IsPolicy: true),
        new("KongPlugin", new ResourceType("configuration.konghq.com", "v1", "kongplugins", Namespaced: true), IsPolicy: true),
    ];
}
