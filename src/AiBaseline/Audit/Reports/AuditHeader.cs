using System.Globalization;
using System.Text.Json.Nodes;
using AiBaseline.Report;

namespace AiBaseline.Audit.Reports;

/// <summary>
/// What every machine-readable audit report says about itself: when it was judged, by which version of the tool,
/// against which edition of the standard, and the profiles by the sha256 of their canonical spec.
/// </summary>
public sealed class AuditHeader(DateTimeOffset evaluatedAt, IReadOnlyList<DeploymentVerdict> verdicts)
{
    /// <summary>When the verdicts were computed.</summary>
    public DateTimeOffset EvaluatedAt { get; } = evaluatedAt;

    /// <summary>RFC 3339 in UTC, to the second.</summary>
    public string EvaluatedAtText => EvaluatedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static ToolIdentity Tool => ReportBuilder.Tool;

    public static CatalogEdition Catalog => ReportBuilder.Catalog;

    /// <summary>"ETSI EN 304 223 V2.1.1".</summary>
    public static string CatalogText => $"{Catalog.Standard} {Catalog.Edition}";

    /// <summary>Each profile judged against, once, by name and origin.</summary>
    public IReadOnlyList<ProfileIdentity> Profiles { get; } = [.. verdicts
        .Select(v => new ProfileIdentity(v.ProfileName, v.ProfileSource, v.ProfileSha256))
        .Distinct()
        .OrderBy(p => p.Name, StringComparer.Ordinal).ThenBy(p => p.Origin, StringComparer.Ordinal)];

    /// <summary>The header as a JSON object.</summary>
    public JsonObject ToJson() => new()
    {
        ["evaluatedAt"] = EvaluatedAtText,
        ["tool"] = new JsonObject { ["name"] = Tool.Name, ["version"] = Tool.Version },
        ["catalog"] = new JsonObject { ["standard"] = Catalog.Standard, ["edition"] = Catalog.Edition },
        ["profiles"] = new JsonArray([.. Profiles.Select(Profile)]),
    };

    /// <summary>A profile as a JSON object; sha256 only when the profile was found.</summary>
    public static JsonObject Profile(ProfileIdentity profile)
    {
        var json = new JsonObject { ["name"] = profile.Name, ["origin"] = profile.Origin };
        if (profile.Sha256 is not null)
        {
            json["sha256"] = profile.Sha256;
        }

        return json;
    }
}
