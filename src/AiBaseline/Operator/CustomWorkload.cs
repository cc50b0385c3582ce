using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace AiBaseline.Operator;

/// <summary>
/// An object of a serving stack's custom resource (LeaderWorkerSet, InferenceService, RayService, RayCluster, Knative
/// Service), kept as JSON: its pod templates are read by <see cref="Engine.Workloads.WorkloadReader"/>, the reader the
/// audit uses on manifests, so the operator needs none of those projects' types.
/// </summary>
internal sealed class CustomWorkload : IKubernetesObject<V1ObjectMeta>
{
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = "";

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = "";

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("spec")]
    public JsonObject? Spec { get; set; }

    /// <summary>The object as the reader takes it.</summary>
    public JsonObject ToJson() => new()
    {
        ["metadata"] = JsonNode.Parse(KubernetesJson.Serialize(Metadata)),
        ["spec"] = Spec?.DeepClone(),
    };
}
