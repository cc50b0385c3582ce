using System.Text.Json.Serialization;
using k8s.Models;

namespace AiBaseline.Api.V1Alpha1;

/// <summary>The observed compliance of a deployment, written by the operator once per pass and only when it changed.</summary>
public sealed class AIModelDeploymentStatus
{
    /// <summary>The metadata.generation this status was computed from.</summary>
    [JsonPropertyName("observedGeneration")]
    public long? ObservedGeneration { get; set; }

    /// <summary>The life-cycle stage the status was computed for.</summary>
    [JsonPropertyName("stage")]
    public LifecycleStage? Stage { get; set; }

    /// <summary>How many provisions have each result; "14/15" in kubectl means met of met plus not met.</summary>
    [JsonPropertyName("summary")]
    public ComplianceSummary? Summary { get; set; }

    /// <summary>Met of checked provisions, such as "14/15", for the printer column.</summary>
    [JsonPropertyName("compliance")]
    public string? Compliance { get; set; }

    /// <summary>One entry per control, in a stable order.</summary>
    [JsonPropertyName("controls")]
    public List<ControlStatus>? Controls { get; set; }

    /// <summary>The images of the workload's containers and what was verified about them.</summary>
    [JsonPropertyName("images")]
    public List<ImageStatus>? Images { get; set; }

    /// <summary>One entry per provision of EN 304 223, with the controls that decided it.</summary>
    [JsonPropertyName("provisions")]
    public List<ProvisionStatus>? Provisions { get; set; }

    /// <summary>Ready summarises the rest; one condition per applicable control; Stalled when a person must act.</summary>
    [JsonPropertyName("conditions")]
    public List<V1Condition>? Conditions { get; set; }
}

/// <summary>Counts of provisions by result.</summary>
public sealed class ComplianceSummary
{
    [JsonPropertyName("met")]
    public int Met { get; set; }

    [JsonPropertyName("notMet")]
    public int NotMet { get; set; }

    [JsonPropertyName("unknown")]
    public int Unknown { get; set; }

    /// <summary>Provisions only a person can judge and for which no fresh evidence is referenced.</summary>
    [JsonPropertyName("attestation")]
    public int Attestation { get; set; }

    [JsonPropertyName("notApplicable")]
    public int NotApplicable { get; set; }

    [JsonPropertyName("waived")]
    public int Waived { get; set; }
}

/// <summary>The result of one control.</summary>
public sealed class ControlStatus
{
    /// <summary>The control's name, such as ImageProvenance.</summary>
    [JsonPropertyName("name")]
    public string Name { get; set; } = "";

    [JsonPropertyName("result")]
    public ControlResult Result { get; set; }

    /// <summary>A CamelCase reason owned by the control.</summary>
    [JsonPropertyName("reason")]
    public string Reason { get; set; } = "";

    /// <summary>What was found and, when not met, what to fix.</summary>
    [JsonPropertyName("message")]
    public string Message { get; set; } = "";

    /// <summary>The EN 304 223 provisions the control serves.</summary>
    [JsonPropertyName("provisions")]
    public List<string> Provisions { get; set; } = [];
}

/// <summary>The outcome of a control.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ControlResult>))]
public enum ControlResult
{
    Met,
    NotMet,
    /// <summary>The evidence could not be gathered; never counted as met or as not met.</summary>
    Unknown,
    NotApplicable,
    Waived,
}

/// <summary>A container image of the workload.</summary>
public sealed class ImageStatus
{
    [JsonPropertyName("container")]
    public string Container { get; set; } = "";

    /// <summary>The image as written in the pod template.</summary>
    [JsonPropertyName("image")]
    public string Image { get; set; } = "";

    /// <summary>The manifest digest, from the reference or resolved at the registry.</summary>
    [JsonPropertyName("digest")]
    public string? Digest { get; set; }

    /// <summary>Names of the profile's keys whose signatures verified.</summary>
    [JsonPropertyName("signedBy")]
    public List<string>? SignedBy { get; set; }

    /// <summary>Predicate types of the verified attestations.</summary>
    [JsonPropertyName("attestations")]
    public List<string>? Attestations { get; set; }

    /// <summary>When the registry evidence was verified.</summary>
    [JsonPropertyName("verifiedAt")]
    public DateTime? VerifiedAt { get; set; }
}

/// <summary>The result for one provision of EN 304 223.</summary>
public sealed class ProvisionStatus
{
    /// <summary>The provision id, such as "5.2.3-1".</summary>
    [JsonPropertyName("id")]
    public string Id { get; set; } = "";

    [JsonPropertyName("result")]
    public ProvisionResult Result { get; set; }

    /// <summary>The controls that decided it; empty for attestation provisions.</summary>
    [JsonPropertyName("controls")]
    public List<string>? Controls { get; set; }

    /// <summary>For attestation provisions met by evidence: the evidence type that met it.</summary>
    [JsonPropertyName("evidence")]
    public string? Evidence { get; set; }
}

/// <summary>The outcome for a provision.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ProvisionResult>))]
public enum ProvisionResult
{
    Met,
    NotMet,
    Unknown,
    /// <summary>Only a person can judge it and no fresh evidence reference covers it yet.</summary>
    Attestation,
    NotApplicable,
    Waived,
}
