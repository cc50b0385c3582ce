using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace AiBaseline.Api.V1Alpha1;

/// <summary>
/// A dated reference to evidence a person judges, such as a threat model. A reference younger than the
/// profile's maximum age meets the attestation provisions its type covers, or those it lists.
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

    /// <summary>Provision ids it covers beyond those its type covers, such as "5.2.2-4".</summary>
    [JsonPropertyName("provisions")]
    public List<string>? Provisions { get; set; }
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
    /// <summary>How behaviour, logs and performance are monitored (principle 12).</summary>
    MonitoringPlan,
}
