using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace AiBaseline.Api.V1Alpha1;

/// <summary>
/// A dated reference to evidence a person judges, such as a threat model. A reference younger than the
/// profile's maximum age, with the digest and approver the profile requires for its type, meets the provisions
/// a document of its type can evidence, and those it lists that a document can evidence.
/// </summary>
public sealed class EvidenceReference
{
    /// <summary>What the document is.</summary>
    [JsonPropertyName("type")]
    [Required]
    public EvidenceType Type { get; set; }

    /// <summary>Where to find it: a URL, a document id or a path in the model's repository.</summary>
    [JsonPropertyName("uri")]
    [Required]
    [MinLength(1)]
    public string Uri { get; set; } = "";

    /// <summary>When it was last reviewed or issued (YYYY-MM-DD).</summary>
    [JsonPropertyName("date")]
    [Required]
    public DateOnly Date { get; set; }

    /// <summary>
    /// Provision ids it covers beyond those its type covers, such as "5.2.2-4". An id only the cluster can show
    /// (logging, rate limits, network, secrets, images, monitoring, access control) is ignored, and the Evidence
    /// control says so.
    /// </summary>
    [JsonPropertyName("provisions")]
    [AllowedNames<ProvisionIdNames>]
    public List<string>? Provisions { get; set; }

    /// <summary>The sha256 digest of the document as reviewed, "sha256:" and 64 lowercase hex digits.</summary>
    [JsonPropertyName("digest")]
    [RegularExpression(EvidenceDigest.Pattern)]
    public string? Digest { get; set; }

    /// <summary>Who approved the document, such as a person or a review board.</summary>
    [JsonPropertyName("approvedBy")]
    [MinLength(1)]
    public string? ApprovedBy { get; set; }
}

/// <summary>The form of <see cref="EvidenceReference.Digest"/>.</summary>
public static class EvidenceDigest
{
    /// <summary>"sha256:" and 64 lowercase hex digits.</summary>
    public const string Pattern = "^sha256:[0-9a-f]{64}$";
}

/// <summary>Kinds of evidence; each covers the provisions a person has to judge in its area.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<EvidenceType>))]
public enum EvidenceType
{
    /// <summary>Staff AI-security training records (principle 1).</summary>
    TrainingRecord,
    /// <summary>Business need and security requirements, risk assessment, supplier due diligence (principle 2).</summary>
    RiskAssessment,
    /// <summary>Threat model and its reviews (principle 3).</summary>
    ThreatModel,
    /// <summary>How humans oversee the system (principle 4).</summary>
    OversightPlan,
    /// <summary>Model documentation: data sources, scope, limits, change log (principle 8).</summary>
    ModelCard,
    /// <summary>Where public training data came from and when it was retrieved (5.2.4-2).</summary>
    DataSheet,
    /// <summary>Security testing and evaluation results (principle 9).</summary>
    SecurityTestReport,
    /// <summary>Incident management and recovery plan (5.2.2-5, 5.2.1-3).</summary>
    IncidentPlan,
    /// <summary>Vulnerability disclosure policy (5.2.2-4).</summary>
    DisclosurePolicy,
    /// <summary>Guidance and notices for end users (principle 10).</summary>
    UserGuidance,
    /// <summary>How security updates are issued and announced (principle 11).</summary>
    UpdatePolicy,
    /// <summary>How behaviour, logs and performance are monitored (principle 12); meets no provision by itself, since the cluster shows monitoring.</summary>
    MonitoringPlan,
}
