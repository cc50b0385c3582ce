using System.Text.Json;
using System.Text.Json.Nodes;
using AiBaseline.Api.V1Alpha1;
using AiBaseline.Engine.Controls;
using AiBaseline.Engine.Status;

namespace AiBaseline.Audit.Reports;

/// <summary>
/// SARIF 2.1.0 for code-scanning tools: one rule per control, one result per control that is NotMet (error)
/// or Unknown (warning), located at the line where the AIModelDeployment starts. A Waived control is a note with an
/// accepted external suppression naming its BaselineException, so code scanning lists it as dismissed, not as fixed.
/// </summary>
public static class SarifReport
{
    private const string Schema = "https://json.schemastore.org/sarif-2.1.0.json";
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>The SARIF log as indented JSON.</summary>
    public static string Render(IEnumerable<DeploymentVerdict> verdicts, AuditHeader header)
    {
        ArgumentNullException.ThrowIfNull(header);
        var rules = new JsonArray();
        foreach (var control in ControlSet.All)
        {
            rules.Add(new JsonObject
            {
                ["id"] = control.Name,
                ["name"] = control.Name,
                ["shortDescription"] = new JsonObject { ["text"] = $"{control.Name} (condition {control.ConditionType})" },
                ["properties"] = new JsonObject { ["provisions"] = new JsonArray([.. control.Provisions.Select(p => JsonValue.Create(p))]) },
            });
        }

        var results = new JsonArray();
        var standard = new JsonObject();
        foreach (var verdict in verdicts)
        {
            var conformity = verdict.Status.Summary?.Verdict ?? ConformityVerdict.Inconclusive;
            standard[verdict.Id] = conformity.ToString();
            foreach (var control in ControlMessages.All(verdict.Status))
            {
                var level = control.Result switch
                {
                    ControlResult.NotMet => "error",
                    ControlResult.Unknown => "warning",
                    ControlResult.Waived => "note",
                    _ => null,
                };
                if (level is null)
                {
                    continue;
                }

                var result = new JsonObject
                {
                    ["ruleId"] = control.Name,
                    ["level"] = level,
                    ["message"] = new JsonObject { ["text"] = $"{verdict.Id}: {control.Reason}: {control.Message} (EN 304 223 {string.Join(", ", control.Provisions)})" },
                    ["locations"] = new JsonArray(Location(verdict)),

                    // Stable across runs, files and line moves: the same deployment's same control failing for the same
                    // reason is the same alert, so code scanning does not reopen it when the manifest is reformatted.
                    ["partialFingerprints"] = new JsonObject { [FingerprintKey] = Fingerprint(verdict.Id, control.Name, control.Reason) },
                    ["properties"] = new JsonObject
                    {
                        ["deployment"] = verdict.Id,
                        ["verdict"] = conformity.ToString(),
                        ["reason"] = control.Reason,
                        ["provisions"] = new JsonArray([.. control.Provisions.Select(p => JsonValue.Create(p))]),
                    },
                };
                if (control.Waiver is { } waiver)
                {
                    result["properties"]!["waiver"] = waiver;
                    result["suppressions"] = new JsonArray(new JsonObject
                    {
                        ["kind"] = "external",
                        ["status"] = "accepted",
                        ["justification"] = $"BaselineException {waiver}: {control.Message}",
                    });
                }

                results.Add(result);
            }
        }

        var log = new JsonObject
        {
            ["$schema"] = Schema,
            ["version"] = "2.1.0",
            ["runs"] = new JsonArray(new JsonObject
            {
                ["tool"] = new JsonObject
                {
                    ["driver"] = new JsonObject
                    {
                        ["name"] = "aibaseline",
                        ["version"] = AuditHeader.Tool.Version,
                        ["semanticVersion"] = AuditHeader.Tool.Version,
                        ["informationUri"] = "https://www.etsi.org/deliver/etsi_en/304200_304299/304223/",
                        ["rules"] = rules,
                    },
                },
                ["invocations"] = new JsonArray(new JsonObject { ["executionSuccessful"] = true, ["endTimeUtc"] = header.EvaluatedAtText }),
                ["results"] = results,

                // The standard's verdict (ETSI TS 104 216: Pass, Fail, Inconclusive) of each deployment, the catalog
                // edition and the profiles judged against, by the sha256 of their canonical spec.
                ["properties"] = new JsonObject
                {
                    ["verdicts"] = standard,
                    ["catalog"] = AuditHeader.CatalogText,
                    ["profiles"] = new JsonArray([.. header.Profiles.Select(AuditHeader.Profile)]),
                },
            }),
        };
        return log.ToJsonString(Indented);
    }

    /// <summary>The key of our partial fingerprint; the version changes only if what it hashes changes.</summary>
    public const string FingerprintKey = "aibaselineControl/v1";

    /// <summary>The sha256, in hex, of the deployment, control and reason.</summary>
    public static string Fingerprint(string deployment, string control, string reason) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{deployment}\n{control}\n{reason}")));

    private static JsonObject Location(DeploymentVerdict verdict) => new()
    {
        ["physicalLocation"] = new JsonObject
        {
            ["artifactLocation"] = new JsonObject { ["uri"] = verdict.Deployment.File.Replace('\\', '/') },
            ["region"] = new JsonObject { ["startLine"] = Math.Max(1, verdict.Deployment.Line) },
        },
    };
}
