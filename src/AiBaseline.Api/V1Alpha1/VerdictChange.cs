using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace AiBaseline.Api.V1Alpha1;

/// <summary>
/// One change of a deployment's verdict, kept in status.history as the audit trail of
/// EN 304 223 5.1.2-3 and 5.2.4-3: when Ready or the standard's verdict changed, to what, and which provisions changed
/// result and why. The first entry is the first verdict; it lists the provisions then not met or not checked.
/// </summary>
public sealed class VerdictChange
{
    /// <summary>How many changes a status keeps at most: the oldest is dropped when a sixth is recorded.</summary>
    public const int MaxEntries = 5;

    /// <summary>
    /// How many bytes of JSON the kept changes may take: older ones are dropped until they fit, the newest is always
    /// kept. Three or four ordinary changes fit; so the status stays small however many provisions changed.
    /// </summary>
    public const int MaxBytes = 768;

    /// <summary>How many provision ids one change names; the rest are counted in <see cref="More"/>.</summary>
    public const int MaxIds = 8;

    /// <summary>When the operator wrote the changed verdict (whole seconds, UTC).</summary>
    [JsonPropertyName("at")]
    [Required]
    public DateTime At { get; set; }

    /// <summary>The standard's verdict from then on: Pass, Fail or Inconclusive.</summary>
    [JsonPropertyName("verdict")]
    [Required]
    public ConformityVerdict Verdict { get; set; }

    /// <summary>Ready's status from then on: True, False or Unknown.</summary>
    [JsonPropertyName("ready")]
    [Required]
    [RegularExpression("^(True|False|Unknown)$")]
    public string Ready { get; set; } = "Unknown";

    /// <summary>The provisions whose result changed, grouped by their previous result, their new result and why; absent when none did.</summary>
    [JsonPropertyName("provisions")]
    public List<ProvisionChange>? Provisions { get; set; }

    /// <summary>How many more provisions changed than the groups name, when a change touched more than eight.</summary>
    [JsonPropertyName("more")]
    public int? More { get; set; }
}

/// <summary>Provisions whose result changed the same way for the same reason.</summary>
public sealed class ProvisionChange
{
    /// <summary>The result before; absent in the first verdict.</summary>
    [JsonPropertyName("was")]
    public ProvisionResult? Was { get; set; }

    /// <summary>The result after.</summary>
    [JsonPropertyName("result")]
    [Required]
    public ProvisionResult Result { get; set; }

    /// <summary>
    /// Why: the controls that decided the new result with their reasons ("SecretsHandling: SecretNotFound"), the evidence
    /// that met it or expired, the waiver, or why the provision does not apply.
    /// </summary>
    [JsonPropertyName("reason")]
    public string? Reason { get; set; }

    /// <summary>The provision ids, in the standard's order.</summary>
    [JsonPropertyName("ids")]
    [Required]
    public List<string> Ids { get; set; } = [];
}
