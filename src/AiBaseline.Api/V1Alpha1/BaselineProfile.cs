using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace AiBaseline.Api.V1Alpha1;

/// <summary>
/// The platform team's settings for each baseline control. Cluster-scoped; deployments name it in
/// spec.profile, and a profile named "default" ships with the chart.
/// </summary>
public sealed class BaselineProfile : IKubernetesObject<V1ObjectMeta>, ISpec<BaselineProfileSpec>, IStatus<BaselineProfileStatus?>
{
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = ApiGroup.GroupVersion;

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = ApiGroup.BaselineProfileKind;

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    /// <summary>The settings of each control.</summary>
    [JsonPropertyName("spec")]
    public BaselineProfileSpec Spec { get; set; } = new();

    /// <summary>Whether the operator accepted the profile.</summary>
    [JsonPropertyName("status")]
    public BaselineProfileStatus? Status { get; set; }
}

/// <summary>The observed state of a profile.</summary>
public sealed class BaselineProfileStatus
{
    [JsonPropertyName("observedGeneration")]
    public long? ObservedGeneration { get; set; }

    [JsonPropertyName("conditions")]
    public List<V1Condition>? Conditions { get; set; }
}
