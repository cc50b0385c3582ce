using System.Text.Json.Nodes;
using System.Xml.Linq;
using AiBaseline.Cli.Tests.Report;

namespace AiBaseline.Cli.Tests.Audit;

/// <summary>
/// The audit's JSON, SARIF and JUnit say when they were judged, by which version, against which catalog edition
/// and profile digest, as the report does; SARIF results carry fingerprints that survive a reformatted manifest.
/// </summary>
public sealed class AuditHeaderTests
{
    private static readonly string Version = typeof(AiBaseline.Commands.CrdsCommand).Assembly.GetName().Version!.ToString(3);

    private static string ReportProfileDigest() =>
        ReportHarness.Json(AuditHarness.Examples()).GetProperty("header").GetProperty("profiles")[0].GetProperty("sha256").GetString()!;

    [Fact]
    public void Json_names_time_version_catalog_and_the_profile_digest()
    {
        var report = JsonNode.Parse(AuditHarness.Run(AuditHarness.Examples(), "-o", "json").Stdout)!;
        var metadata = report["metadata"]!;

        Assert.Equal("2026-11-24T12:00:00Z", (string?)metadata["evaluatedAt"]);
        Assert.Equal(Version, (string?)metadata["tool"]!["version"]);
        Assert.Equal("V2.1.1", (string?)metadata["catalog"]!["edition"]);
        var profile = metadata["profiles"]!.AsArray().Single()!;
        Assert.Equal(ReportProfileDigest(), (string?)profile["sha256"]);
        Assert.All(report["items"]!.AsArray(), i => Assert.Equal(ReportProfileDigest(), (string?)i!["profile"]!["sha256"]));
    }

    [Fact]
    public void A_deployment_whose_profile_is_missing_has_no_digest()
    {
        using var temp = new TempManifests();
        var path = temp.Write("aimd.yaml", File.ReadAllText(AuditHarness.Examples("llm-inference-compliant/aimodeldeployment.yaml"))
            .Replace("profile: default", "profile: nowhere", StringComparison.Ordinal));
        var report = JsonNode.Parse(AuditHarness.Run(path, "-o", "json").Stdout)!;

        var profile = report["items"]!.AsArray().Single()!["profile"]!;
        Assert.Equal(("nowhere", "not found"), ((string?)profile["name"], (string?)profile["origin"]));
        Assert.Null(profile["sha256"]);
    }

    [Fact]
    public void Sarif_names_the_driver_version_time_catalog_and_profiles()
    {
        var run = JsonNode.Parse(AuditHarness.Run(AuditHarness.Examples(), "-o", "sarif").Stdout)!["runs"]![0]!;

        Assert.Equal(Version, (string?)run["tool"]!["driver"]!["version"]);
        Assert.Equal("2026-11-24T12:00:00Z", (string?)run["invocations"]![0]!["endTimeUtc"]);
        Assert.Equal("ETSI EN 304 223 V2.1.1", (string?)run["properties"]!["catalog"]);
        Assert.Equal(ReportProfileDigest(), (string?)run["properties"]!["profiles"]![0]!["sha256"]);
    }

    [Fact]
    public void Sarif_fingerprints_are_stable_when_the_manifest_moves_and_differ_between_alerts()
    {
        using var temp = new TempManifests();
        foreach (var file in Directory.GetFiles(AuditHarness.Examples("llm-inference-noncompliant")))
        {
            // Reformatted: comment lines in front move every line number.
            temp.Write(Path.GetFileName(file), "# moved\n# down\n" + File.ReadAllText(file));
        }

        Dictionary<string, string> Fingerprints(string folder) =>
            JsonNode.Parse(AuditHarness.Run(folder, "-o", "sarif").Stdout)!["runs"]![0]!["results"]!.AsArray()
                .ToDictionary(r => (string)r!["ruleId"]!, r => (string)r!["partialFingerprints"]!["aibaselineControl/v1"]!);

        var original = Fingerprints(AuditHarness.Examples("llm-inference-noncompliant"));
        var moved = Fingerprints(temp.Dir);

        Assert.NotEmpty(original);
        Assert.Equal(original, moved);
        Assert.Equal(original.Count, original.Values.Distinct().Count());
    }

    [Fact]
    public void Junit_suites_carry_the_time_version_catalog_and_profile_digest()
    {
        var suites = XDocument.Parse(AuditHarness.Run(AuditHarness.Examples(), "-o", "junit").Stdout).Root!.Elements("testsuite").ToList();

        Assert.Equal(5, suites.Count);
        foreach (var suite in suites)
        {
            Assert.Equal("2026-11-24T12:00:00Z", (string?)suite.Attribute("timestamp"));
            var properties = suite.Element("properties")!.Elements("property").ToDictionary(p => (string)p.Attribute("name")!, p => (string)p.Attribute("value")!);
            Assert.Equal(Version, properties["tool-version"]);
            Assert.Equal("ETSI EN 304 223 V2.1.1", properties["catalog"]);
            Assert.Equal(ReportProfileDigest(), properties["profile-sha256"]);
        }
    }
}
