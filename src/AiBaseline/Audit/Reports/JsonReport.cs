using System.Text.Json;
using System.Text.Json.Nodes;
using AiBaseline.Api.V1Alpha1;
using k8s;

namespace AiBaseline.Audit.Reports;

/// <summary>
/// The JSON report: <c>{"apiVersion":"aibaseline.io/v1alpha1","kind":"AuditReport","metadata":{…},"items":[{"metadata":{…},"profile":{…},"status":{…}}]}</c>,
/// the top metadata saying when, by which tool version, against which catalog edition and profiles; each status
/// serialized by KubernetesJson exactly as the operator writes it to the cluster.
/// </summary>
public static class JsonReport
{
    /// <summary>The kind of the report document.</summary>
    public const string Kind = "AuditReport";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>The report as indented JSON; with --discover, an <c>undeclared</c> list of model servers no deployment declares.</summary>
    public static string Render(IEnumerable<DeploymentVerdict> verdicts, AuditHeader header, JsonArray? undeclared = null)
    {
        ArgumentNullException.ThrowIfNull(header);
        var items = new JsonArray();
        foreach (var verdict in verdicts)
        {
            var metadata = verdict.Deployment.Object.Metadata;
            items.Add(new JsonObject
            {
                ["metadata"] = new JsonObject { ["name"] = metadata.Name, ["namespace"] = metadata.NamespaceProperty },
                ["profile"] = AuditHeader.Profile(new(verdict.ProfileName, verdict.ProfileSource, verdict.ProfileSha256)),
                ["status"] = JsonNode.Parse(KubernetesJson.Serialize(verdict.Status)),
            });
        }

        var report = new JsonObject
        {
            ["apiVersion"] = ApiGroup.GroupVersion,
            ["kind"] = Kind,
            ["metadata"] = header.ToJson(),
            ["items"] = items,
        };
        if (undeclared is not null)
        {
            report["undeclared"] = undeclared;
        }

        return report.ToJsonString(Indented);
    }
}
