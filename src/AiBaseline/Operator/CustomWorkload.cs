using System.Text.Json.Nodes;
using k8s;

namespace AiBaseline.Operator;

/// <summary>
/// An object of a serving stack's custom resource (LeaderWorkerSet, InferenceService, RayService, RayCluster, Knative
/// Service), kept as JSON: its pod templates are read by <see cref="Engine.Workloads.WorkloadReader"/>, the reader the
/// audit uses on manifests, so the operator needs none of those projects' types.
/// </summary>
internal sealed class CustomWorkload : JsonSpecObject
{
    /// <summary>The object as the reader takes it.</summary>
    public JsonObject ToJson() => new()
    {
        ["metadata"] = JsonNode.Parse(KubernetesJson.Serialize(Metadata)),
        ["spec"] = Spec?.DeepClone(),
    };
}
