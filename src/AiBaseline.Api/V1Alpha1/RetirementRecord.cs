using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace AiBaseline.Api.V1Alpha1;

/// <summary>
/// The durable record of a retired model's disposal (EN 304 223 5.5.1), written by the operator before it releases
/// an AIModelDeployment's retirement finalizer, so the proof outlives the deployment. Cluster-scoped, named after the
/// deployment's uid, and immutable: the API server refuses any change of its spec, and only the operator may create
/// one.
/// </summary>
public sealed class RetirementRecord : IKubernetesObject<V1ObjectMeta>, ISpec<RetirementRecordSpec>
{
    /// <summary>The message the API server answers to a change of a record.</summary>
    public const string ImmutableMessage = "a RetirementRecord is immutable";

    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = ApiGroup.GroupVersion;

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = ApiGroup.RetirementRecordKind;

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    /// <summary>What was disposed of, when, the checks that proved it and who was responsible; immutable.</summary>
    [JsonPropertyName("spec")]
    [Required]
    [ValidationRule("self == oldSelf", Message = ImmutableMessage)]
    public RetirementRecordSpec Spec { get; set; } = new();
}

/// <summary>What was disposed of, when, the checks that proved it and who was responsible.</summary>
public sealed class RetirementRecordSpec
{
    /// <summary>The AIModelDeployment that was retired.</summary>
    [JsonPropertyName("deployment")]
    [Required]
    public RecordedDeployment Deployment { get; set; } = new();

    /// <summary>When the operator found disposal proven (or waived) and let the deployment go.</summary>
    [JsonPropertyName("disposedAt")]
    [Required]
    public DateTime DisposedAt { get; set; }

    /// <summary>How the deployment was released: DisposalProven when the Retirement control was met, Waived when a BaselineException waived it.</summary>
    [JsonPropertyName("releasedBy")]
    [Required]
    public RetirementRelease ReleasedBy { get; set; }

    /// <summary>The workload that served the model.</summary>
    [JsonPropertyName("workload")]
    public WorkloadReference? Workload { get; set; }

    /// <summary>The model artifacts with the digests they were declared with.</summary>
    [JsonPropertyName("models")]
    public List<ModelArtifact>? Models { get; set; }

    /// <summary>The container images last seen serving the model, with their digests.</summary>
    [JsonPropertyName("images")]
    public List<RecordedImage>? Images { get; set; }

    /// <summary>What had to be gone: secrets, volume claims and services named in spec.retirement.</summary>
    [JsonPropertyName("disposed")]
    public RetirementSpec? Disposed { get; set; }

    /// <summary>The Retirement control's result, reason and message: the check that proved disposal.</summary>
    [JsonPropertyName("check")]
    [Required]
    public RecordedCheck Check { get; set; } = new();

    /// <summary>The results of the disposal provisions (5.5.1-1, 5.5.1-2).</summary>
    [JsonPropertyName("provisions")]
    public List<RecordedProvision>? Provisions { get; set; }

    /// <summary>The evidence references the deployment carried.</summary>
    [JsonPropertyName("evidence")]
    public List<EvidenceReference>? Evidence { get; set; }

    /// <summary>The people or teams responsible for the model.</summary>
    [JsonPropertyName("owners")]
    public List<Owner>? Owners { get; set; }

    /// <summary>The deployment's last verdict changes, oldest first, as its status kept them: the audit trail that outlives it.</summary>
    [JsonPropertyName("history")]
    [MaxLength(VerdictChange.MaxEntries)]
    public List<VerdictChange>? History { get; set; }

    /// <summary>The BaselineException that waived disposal, when one did.</summary>
    [JsonPropertyName("waiver")]
    public RecordedWaiver? Waiver { get; set; }
}

/// <summary>How a retiring deployment was let go.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RetirementRelease>))]
public enum RetirementRelease
{
    /// <summary>The Retirement control was met: everything listed was gone.</summary>
    DisposalProven,

    /// <summary>An approved BaselineException waived disposal.</summary>
    Waived,
}

/// <summary>The identity of a retired AIModelDeployment.</summary>
public sealed class RecordedDeployment
{
    [JsonPropertyName("namespace")]
    [Required]
    [MinLength(1)]
    public string Namespace { get; set; } = "";

    [JsonPropertyName("name")]
    [Required]
    [MinLength(1)]
    public string Name { get; set; } = "";

    [JsonPropertyName("uid")]
    [Required]
    [MinLength(1)]
    public string Uid { get; set; } = "";
}

/// <summary>A container image with its digest.</summary>
public sealed class RecordedImage
{
    [JsonPropertyName("container")]
    public string Container { get; set; } = "";

    [JsonPropertyName("image")]
    public string Image { get; set; } = "";

    [JsonPropertyName("digest")]
    public string? Digest { get; set; }
}

/// <summary>A control's result as it stood when the deployment was released.</summary>
public sealed class RecordedCheck
{
    [JsonPropertyName("control")]
    public string Control { get; set; } = "";

    [JsonPropertyName("result")]
    public string Result { get; set; } = "";

    [JsonPropertyName("reason")]
    public string? Reason { get; set; }

    [JsonPropertyName("message")]
    public string? Message { get; set; }
}

/// <summary>A provision's result as it stood when the deployment was released.</summary>
public sealed class RecordedProvision
{
    [JsonPropertyName("id")]
    public string Id { get; set; } = "";

    [JsonPropertyName("result")]
    public string Result { get; set; } = "";
}

/// <summary>The waiver used to release a deployment without proven disposal.</summary>
public sealed class RecordedWaiver
{
    /// <summary>The BaselineException's name, in the deployment's namespace.</summary>
    [JsonPropertyName("name")]
    public string Name { get; set; } = "";

    [JsonPropertyName("approvedBy")]
    public string? ApprovedBy { get; set; }

    [JsonPropertyName("ticket")]
    public string? Ticket { get; set; }

    [JsonPropertyName("justification")]
    public string? Justification { get; set; }

    [JsonPropertyName("expiresAt")]
    public DateTime? ExpiresAt { get; set; }
}
