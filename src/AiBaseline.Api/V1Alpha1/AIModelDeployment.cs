using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace AiBaseline.Api.V1Alpha1;

/// <summary>
/// One AI model deployment and the baseline controls it needs: which workload serves the model,
/// which model artifacts it loads, who is responsible, and the evidence kept for EN 304 223.
/// </summary>
public sealed class AIModelDeployment : IKubernetesObject<V1ObjectMeta>, ISpec<AIModelDeploymentSpec>, IStatus<AIModelDeploymentStatus?>
{
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = ApiGroup.GroupVersion;

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = ApiGroup.AIModelDeploymentKind;

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    /// <summary>What the model team declares about the deployment.</summary>
    [JsonPropertyName("spec")]
    public AIModelDeploymentSpec Spec { get; set; } = new();

    /// <summary>The operator's verdict, per control and per provision of EN 304 223.</summary>
    [JsonPropertyName("status")]
    public AIModelDeploymentStatus? Status { get; set; }
}
