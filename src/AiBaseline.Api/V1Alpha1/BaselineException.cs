using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace AiBaseline.Api.V1Alpha1;

/// <summary>
/// An approved, expiring waiver of named controls or provisions for the AIModelDeployments it selects in its own
/// namespace. A waived result that would be NotMet or Unknown shows as Waived, counted apart and never as met; a
/// result that is met stays met. Past expiresAt the waiver stops counting.
/// </summary>
public sealed class BaselineException : IKubernetesObject<V1ObjectMeta>, ISpec<BaselineExceptionSpec>, IStatus<BaselineExceptionStatus?>
{
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = ApiGroup.GroupVersion;

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = ApiGroup.BaselineExceptionKind;

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    /// <summary>What is waived, for which deployments, why, by whom and until when.</summary>
    [JsonPropertyName("spec")]
    public BaselineExceptionSpec Spec { get; set; } = new();

    /// <summary>Which deployments the waiver selects and whether it applies.</summary>
    [JsonPropertyName("status")]
    public BaselineExceptionStatus? Status { get; set; }
}

/// <summary>The waiver: what, for which deployments, why, approved by whom, until when.</summary>
public sealed class BaselineExceptionSpec
{
    /// <summary>AIModelDeployments of this namespace whose labels match; with deploymentNames, a deployment matching either is selected.</summary>
    [JsonPropertyName("selector")]
    public V1LabelSelector? Selector { get; set; }

    /// <summary>Names of AIModelDeployments of this namespace.</summary>
    [JsonPropertyName("deploymentNames")]
    public List<string>? DeploymentNames { get; set; }

    /// <summary>Controls whose NotMet or Unknown result is waived, such as NetworkIsolation.</summary>
    [JsonPropertyName("controls")]
    [AllowedNames<ControlNames>]
    public List<string>? Controls { get; set; }

    /// <summary>Provision ids of EN 304 223 whose NotMet or Unknown result is waived, such as "5.2.2-3".</summary>
    [JsonPropertyName("provisions")]
    [AllowedNames<ProvisionIdNames>]
    public List<string>? Provisions { get; set; }

    /// <summary>Why the risk is accepted, and what mitigates it meanwhile.</summary>
    [JsonPropertyName("justification")]
    [Required]
    [MinLength(1)]
    public string Justification { get; set; } = "";

    /// <summary>Who approved the waiver (a person or a role).</summary>
    [JsonPropertyName("approvedBy")]
    [Required]
    [MinLength(1)]
    public string ApprovedBy { get; set; } = "";

    /// <summary>The change or risk ticket that records the approval.</summary>
    [JsonPropertyName("ticket")]
    [Required]
    [MinLength(1)]
    public string Ticket { get; set; } = "";

    /// <summary>When the waiver stops counting (RFC 3339, such as 2026-06-30T00:00:00Z); no later than the profile's waivers.maxDurationDays after its creation.</summary>
    [JsonPropertyName("expiresAt")]
    [Required]
    public DateTime ExpiresAt { get; set; }
}

/// <summary>What the operator found about a waiver.</summary>
public sealed class BaselineExceptionStatus
{
    [JsonPropertyName("observedGeneration")]
    public long? ObservedGeneration { get; set; }

    /// <summary>Names of the AIModelDeployments the waiver selects, sorted.</summary>
    [JsonPropertyName("deployments")]
    public List<string>? Deployments { get; set; }

    /// <summary>Active: whether the waiver applies, and why not (it selects nothing, has expired, exceeds the profile's limit, names what cannot be waived).</summary>
    [JsonPropertyName("conditions")]
    public List<V1Condition>? Conditions { get; set; }
}
