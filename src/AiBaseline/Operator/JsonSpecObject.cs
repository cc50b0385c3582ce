using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace AiBaseline.Operator;

/// <summary>
/// A custom resource the operator reads without that project's types: its identity and metadata typed, its spec kept
/// as JSON for a reader that the audit shares (serving stacks' workloads, Gateway API routes and rate limit policies).
/// </summary>
internal abstract class JsonSpecObject : IKubernetesObject<V1ObjectMeta>
{
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = "";

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = "";

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("spec")]
    public JsonObject? Spec { get; set; }
}
