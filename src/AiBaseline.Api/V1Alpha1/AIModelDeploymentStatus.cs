using System.ComponentModel.DataAnnotations;
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

    /// <summary>One entry per control, in a stable order; an applicable control's reason and message are in its condition.</summary>
    [JsonPropertyName("controls")]
    public List<ControlStatus>? Controls { get; set; }

    /// <summary>The images of the workload's containers and what was verified about them.</summary>
    [JsonPropertyName("images")]
    public List<ImageStatus>? Images { get; set; }

    /// <summary>The model artifacts that name a signature, and what was verified about them; absent when none does.</summary>
    [JsonPropertyName("models")]
    public List<ModelStatus>? Models { get; set; }

    /// <summary>
    /// Every provision of EN 304 223 by result: one entry per result (and, for provisions met by evidence, per evidence
    /// type) listing the provision ids.
    /// </summary>
    [JsonPropertyName("provisions")]
    public List<ProvisionGroup>? Provisions { get; set; }

    /// <summary>Ready summarises the rest; one condition per applicable control; Stalled when a person must act.</summary>
    [JsonPropertyName("conditions")]
    public List<V1Condition>? Conditions { get; set; }

    /// <summary>
    /// The last changes of Ready or of the standard's verdict, oldest first, at most five in at most 768 bytes: when, to
    /// what, and which provisions changed why. Written in the same status write as the verdict that changes it; a pass
    /// that changes neither leaves it as it is.
    /// </summary>
    [JsonPropertyName("history")]
    [MaxLength(VerdictChange.MaxEntries)]
    public List<VerdictChange>? History { get; set; }

    /// <summary>Each provision with its result, in the order of <see cref="Provisions"/>.</summary>
    public IEnumerable<ProvisionStatus> EachProvision() =>
        (Provisions ?? []).SelectMany(g => g.Ids.Select(id => new ProvisionStatus(id, g.Result, g.Evidence) { Reason = g.Reason, ExpiresAt = g.ExpiresAt, ExpiredAt = g.ExpiredAt, Waiver = g.Waiver }));

    /// <summary>The result of one provision, or null when the status does not list it.</summary>
    public ProvisionStatus? Provision(string id) => EachProvision().FirstOrDefault(p => p.Id == id);
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

    /// <summary>The standard's verdict: Pass, Fail or Inconclusive (see the Conformant condition).</summary>
    [JsonPropertyName("verdict")]
    public ConformityVerdict? Verdict { get; set; }
}

/// <summary>The verdict of a conformity assessment against EN 304 223, with the three values of ETSI TS 104 216.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ConformityVerdict>))]
public enum ConformityVerdict
{
    /// <summary>Every applicable shall provision is met or waived, and no applicable provision failed.</summary>
    Pass,

    /// <summary>An applicable provision is not met.</summary>
    Fail,

    /// <summary>None failed, but applicable shall provisions await evidence or could not be checked.</summary>
    Inconclusive,
}

/// <summary>
/// The result of one control. An applicable control has a condition that carries its reason and message (what was
/// found and what to fix, then, unless the control is met, the provisions it serves); a control that does not apply
/// has none, so its reason and message are here. Each is stored once.
/// </summary>
public sealed class ControlStatus
{
    /// <summary>The control's name, such as ImageProvenance.</summary>
    [JsonPropertyName("name")]
    public string Name { get; set; } = "";

    [JsonPropertyName("result")]
    public ControlResult Result { get; set; }

    /// <summary>A CamelCase reason owned by the control; only for a control without a condition.</summary>
    [JsonPropertyName("reason")]
    public string? Reason { get; set; }

    /// <summary>What was found; only for a control without a condition.</summary>
    [JsonPropertyName("message")]
    public string? Message { get; set; }

    /// <summary>The BaselineException that waives the control's result, when its result is Waived.</summary>
    [JsonPropertyName("waiver")]
    public string? Waiver { get; init; }
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

/// <summary>A model artifact that names a signature.</summary>
public sealed class ModelStatus
{
    /// <summary>The artifact's name in spec.models.</summary>
    [JsonPropertyName("name")]
    public string Name { get; set; } = "";

    /// <summary>The source as written in spec.models.</summary>
    [JsonPropertyName("source")]
    public string Source { get; set; } = "";

    /// <summary>For an oci:// source: the digest of the artifact's OCI manifest at the registry, whose layers were compared.</summary>
    [JsonPropertyName("digest")]
    public string? Digest { get; set; }

    /// <summary>The sha256 of the signed manifest of per-file digests, when the signature verified.</summary>
    [JsonPropertyName("manifestDigest")]
    public string? ManifestDigest { get; set; }

    /// <summary>Who signed: the key's or chain's name, or the keyless identity and its issuer.</summary>
    [JsonPropertyName("signer")]
    public string? Signer { get; set; }

    /// <summary>When the files were verified against the signature.</summary>
    [JsonPropertyName("verifiedAt")]
    public DateTime? VerifiedAt { get; set; }

    /// <summary>Why the model is not verified, such as FileMismatch or ModelNotReachable; absent when verified.</summary>
    [JsonPropertyName("reason")]
    public string? Reason { get; set; }
}

/// <summary>The provisions of EN 304 223 that have one result.</summary>
public sealed class ProvisionGroup
{
    [JsonPropertyName("result")]
    [Required]
    public ProvisionResult Result { get; set; }

    /// <summary>For provisions met by evidence: the evidence type that met them; for provisions awaiting attestation: the type whose reference expired.</summary>
    [JsonPropertyName("evidence")]
    public string? Evidence { get; set; }

    /// <summary>For provisions met by evidence: the last day (UTC) the evidence counts, its date plus the profile's maxAgeDays.</summary>
    [JsonPropertyName("expiresAt")]
    public DateOnly? ExpiresAt { get; set; }

    /// <summary>For provisions whose evidence is stale: the last day it counted. Provisions never evidenced have neither date.</summary>
    [JsonPropertyName("expiredAt")]
    public DateOnly? ExpiredAt { get; set; }

    /// <summary>For provisions that do not apply: why (outside the stage's phases, or declared out of scope by the profile).</summary>
    [JsonPropertyName("reason")]
    public string? Reason { get; init; }

    /// <summary>For waived provisions: the BaselineException that waives them.</summary>
    [JsonPropertyName("waiver")]
    public string? Waiver { get; init; }

    /// <summary>The provision ids, in the order of the standard.</summary>
    [JsonPropertyName("ids")]
    [Required]
    public List<string> Ids { get; set; } = [];
}

/// <summary>The result for one provision of EN 304 223, as read from <see cref="AIModelDeploymentStatus.Provisions"/>.</summary>
public sealed record ProvisionStatus(string Id, ProvisionResult Result, string? Evidence)
{
    /// <summary>For a provision met by evidence: the last day the evidence counts.</summary>
    public DateOnly? ExpiresAt { get; init; }

    /// <summary>For a provision awaiting attestation whose evidence is stale: the last day it counted.</summary>
    public DateOnly? ExpiredAt { get; init; }

    /// <summary>For a provision that does not apply: why.</summary>
    public string? Reason { get; init; }

    /// <summary>The BaselineException that waives the provision, when its result is Waived.</summary>
    public string? Waiver { get; init; }
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
