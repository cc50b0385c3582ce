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

    /// <summary>The cluster's inventory of model servers (EN 304 223 5.2.1-1), written by the operator; the same on every profile.</summary>
    [JsonPropertyName("inventory")]
    public InventorySummary? Inventory { get; set; }
}

/// <summary>How many model servers of the cluster are declared by an AIModelDeployment, and the first of those that are not.</summary>
public sealed class InventorySummary
{
    /// <summary>How many undeclared workloads <see cref="UndeclaredWorkloads"/> lists at most.</summary>
    public const int Listed = 10;

    /// <summary>Workloads that an AIModelDeployment's spec.workloadRef names and that exist.</summary>
    [JsonPropertyName("declared")]
    public int Declared { get; set; }

    /// <summary>Model servers (a serving stack's kind, a known model-server image, an accelerator request) that no AIModelDeployment names.</summary>
    [JsonPropertyName("undeclared")]
    public int Undeclared { get; set; }

    /// <summary>The first undeclared model servers, by namespace, kind and name; at most ten.</summary>
    [JsonPropertyName("undeclaredWorkloads")]
    public List<InventoryWorkload>? UndeclaredWorkloads { get; set; }
}

/// <summary>A workload of the inventory.</summary>
public sealed class InventoryWorkload
{
    [JsonPropertyName("namespace")]
    public string Namespace { get; set; } = "";

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = "";

    [JsonPropertyName("name")]
    public string Name { get; set; } = "";
}
