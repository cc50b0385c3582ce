using System.Text.Json.Nodes;
using System.Xml.Linq;

namespace AiBaseline.Cli.Tests.Audit;

/// <summary>BaselineExceptions in the input waive what they name, and every report format names the waiver behind a result.</summary>
public sealed class WaiverAuditTests
{
    // Approved ten days before the audit's "today" (2026-11-24), for a month.
    private static string Waiver(string expiresAt = "2026-12-20T00:00:00Z", string extra = "") => $"""
        apiVersion: aibaseline.io/v1alpha1
        kind: BaselineException
        metadata:
          name: playground-egress
          namespace: chat-playground
          creationTimestamp: "2026-11-14T00:00:00Z"
        spec:
          deploymentNames: [support-bot]
          controls: [NetworkIsolation]
          provisions: ["5.2.3-1"]
          justification: The playground calls a public API until the egress gateway is ready.
          approvedBy: Head of Platform Security
          ticket: RISK-1042
          expiresAt: "{expiresAt}"
        {extra}
        """;

    private static AuditResult Audit(string waiver, params string[] options)
    {
        using var temp = new TempManifests();
        var path = temp.Write("waiver.yaml", waiver);
        return AuditHarness.Run([AuditHarness.Examples("llm-inference-noncompliant"), AuditHarness.Examples("profiles"), path, .. options]);
    }

    [Fact]
    public void Text_report_shows_the_waived_control_and_provisions_naming_the_waiver()
    {
        var run = Audit(Waiver());

        Assert.Equal(1, run.Exit); // the other controls are still not met
        Assert.Contains("NetworkIsolation     Waived         Waived                   5.2.2-1, 5.1.2-6, 5.2.1-4, 5.2.2-3", run.Stdout, StringComparison.Ordinal);
        Assert.Contains(
            "BaselineException playground-egress waives NetworkIsolation, 5.2.3-1 (approved by Head of Platform Security, ticket RISK-1042, expires at 2026-12-20T00:00:00Z); found: egress: no NetworkPolicy",
            run.Stdout,
            StringComparison.Ordinal);
        Assert.Contains("  Waivers              True           Current: BaselineException playground-egress waives", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("  waived by BaselineException playground-egress: 5.2.2-3, 5.2.3-1", run.Stdout, StringComparison.Ordinal);
        Assert.Contains(", 2 waived", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void An_expired_waiver_stops_counting_and_says_so()
    {
        var run = Audit(Waiver(expiresAt: "2026-11-20T00:00:00Z"));

        Assert.Contains("NetworkIsolation     NotMet         NoEgressPolicy", run.Stdout, StringComparison.Ordinal);
        Assert.Contains(
            "  Waivers              False          WaiverExpired: BaselineException playground-egress expired at 2026-11-20T00:00:00Z: NetworkIsolation, 5.2.3-1 count again",
            run.Stdout,
            StringComparison.Ordinal);
        Assert.Contains(", 0 waived", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void A_waiver_longer_than_the_profile_allows_does_not_apply()
    {
        var run = Audit(Waiver(expiresAt: "2027-06-01T00:00:00Z"));

        Assert.Contains("NetworkIsolation     NotMet", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("WaiverTooLong: BaselineException playground-egress expires at 2027-06-01T00:00:00Z, more than the 90 days", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_report_names_the_waiver_on_the_control_and_the_provision_group()
    {
        var status = JsonNode.Parse(Audit(Waiver(), "-o", "json").Stdout)!["items"]![0]!["status"]!;

        var control = status["controls"]!.AsArray().Single(c => (string?)c!["name"] == "NetworkIsolation")!;
        Assert.Equal(("Waived", "playground-egress"), ((string?)control["result"], (string?)control["waiver"]));
        var group = status["provisions"]!.AsArray().Single(g => (string?)g!["result"] == "Waived")!;
        Assert.Equal("playground-egress", (string?)group["waiver"]);
        Assert.Equal(2, (int)status["summary"]!["waived"]!);
    }

    [Fact]
    public void Sarif_lists_a_waived_control_as_a_suppressed_note()
    {
        var results = JsonNode.Parse(Audit(Waiver(), "-o", "sarif").Stdout)!["runs"]![0]!["results"]!.AsArray();

        var waived = results.Single(r => (string?)r!["ruleId"] == "NetworkIsolation")!;
        Assert.Equal("note", (string?)waived["level"]);
        Assert.Equal("playground-egress", (string?)waived["properties"]!["waiver"]);
        var suppression = waived["suppressions"]![0]!;
        Assert.Equal(("external", "accepted"), ((string?)suppression["kind"], (string?)suppression["status"]));
        Assert.StartsWith("BaselineException playground-egress: BaselineException playground-egress waives", (string?)suppression["justification"], StringComparison.Ordinal);
        Assert.All(results.Where(r => (string?)r!["ruleId"] != "NetworkIsolation"), r => Assert.Null(r!["suppressions"]));
    }

    [Fact]
    public void Junit_skips_a_waived_control_with_the_waiver_in_the_message()
    {
        var suite = XDocument.Parse(Audit(Waiver(), "-o", "junit").Stdout).Root!.Element("testsuite")!;

        var testcase = suite.Elements("testcase").Single(t => (string?)t.Attribute("name") == "NetworkIsolation");
        Assert.Null(testcase.Element("failure"));
        Assert.StartsWith("Waived: Waived: BaselineException playground-egress waives NetworkIsolation", (string?)testcase.Element("skipped")!.Attribute("message"), StringComparison.Ordinal);
    }

    [Fact]
    public void A_waiver_in_another_namespace_waives_nothing()
    {
        var run = Audit(Waiver().Replace("namespace: chat-playground", "namespace: other", StringComparison.Ordinal));

        Assert.Contains("NetworkIsolation     NotMet", run.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("Waivers ", run.Stdout, StringComparison.Ordinal);
    }
}
