using System.Text.Json;
using AiBaseline.Cli.Tests.Audit;

namespace AiBaseline.Cli.Tests.Report;

/// <summary>
/// <c>aibaseline report -o oscal</c>: valid against the released NIST OSCAL 1.1.3 Assessment Results JSON Schema
/// (Report/Oscal, with its source), one result per deployment and a finding per provision that says what we said.
/// </summary>
public sealed class OscalReportTests
{
    private static JsonElement Oscal(params string[] args)
    {
        var run = ReportHarness.Run([.. args, "-o", "oscal"]);
        Assert.True(run.Exit == 0, run.All);
        return JsonDocument.Parse(run.Stdout).RootElement.Clone();
    }

    [Theory]
    [InlineData("examples", "the shipped examples")]
    [InlineData("tests/AiBaseline.Cli.Tests/Fixtures/valid", "every valid fixture: waivers, retirement, signed-off evidence")]
    public void The_document_validates_against_the_released_OSCAL_schema(string folder, string why)
    {
        var document = Oscal(Path.Combine(RepositoryPaths.Root, folder));

        var errors = ReportSchema.OscalErrors(document);
        Assert.True(errors.Count == 0, $"{why}: {string.Join("\n", errors)}");
    }

    [Theory]
    [InlineData("\"import-ap\"", "\"imported-ap\"", "a required part of the document renamed")]
    [InlineData("\"etsi-en-304-223_5.2.3-1\"", "\"5.2.3-1\"", "a finding's target that is not an OSCAL token, deep in a result")]
    [InlineData("\"state\": \"not-satisfied\"", "\"state\": \"inconclusive\"", "a state OSCAL does not know")]
    public void The_schema_rejects_a_document_OSCAL_does_not_allow(string from, string to, string why)
    {
        var text = ReportHarness.Run(AuditHarness.Examples(), "-o", "oscal").Stdout;
        Assert.Contains(from, text, StringComparison.Ordinal);
        text = text.Replace(from, to, StringComparison.Ordinal);
        Assert.NotNull(why);

        Assert.NotEmpty(ReportSchema.OscalErrors(JsonDocument.Parse(text).RootElement));
    }

    [Fact]
    public void Each_deployment_is_a_result_and_each_provision_a_finding_with_our_verdict()
    {
        var results = Oscal(AuditHarness.Examples()).GetProperty("assessment-results").GetProperty("results").EnumerateArray().ToList();

        Assert.Equal(5, results.Count);
        var bot = results.Single(r => r.GetProperty("title").GetString() == "AIModelDeployment chat-playground/support-bot");
        Assert.Contains(bot.GetProperty("props").EnumerateArray(), p => p.GetProperty("name").GetString() == "verdict" && p.GetProperty("value").GetString() == "Fail");
        var findings = bot.GetProperty("findings").EnumerateArray().ToList();
        Assert.Equal(72, findings.Count);
        var supplyChain = findings.Single(f => f.GetProperty("target").GetProperty("target-id").GetString() == "etsi-en-304-223_5.2.3-1");
        var status = supplyChain.GetProperty("target").GetProperty("status");
        Assert.Equal(("not-satisfied", "fail"), (status.GetProperty("state").GetString(), status.GetProperty("reason").GetString()));
        Assert.Contains("vllm/vllm-openai:v0.6.3", supplyChain.GetProperty("remarks").GetString(), StringComparison.Ordinal);
        var observation = supplyChain.GetProperty("related-observations")[0].GetProperty("observation-uuid").GetString();
        Assert.Contains(bot.GetProperty("observations").EnumerateArray(), o => o.GetProperty("uuid").GetString() == observation);
    }

    [Fact]
    public void Awaiting_evidence_is_not_satisfied_and_met_evidence_links_the_document()
    {
        var results = Oscal(AuditHarness.Examples()).GetProperty("assessment-results").GetProperty("results").EnumerateArray();
        var chat = results.Single(r => r.GetProperty("title").GetString() == "AIModelDeployment llm-serving/llama-chat");

        var states = chat.GetProperty("findings").EnumerateArray()
            .GroupBy(f => f.GetProperty("props")[0].GetProperty("value").GetString()!)
            .ToDictionary(g => g.Key, g => g.Select(f => f.GetProperty("target").GetProperty("status").GetProperty("state").GetString()).Distinct().Single());
        Assert.Equal("not-satisfied", states["Attestation"]);
        Assert.Equal("satisfied", states["Met"]);
        Assert.Contains(chat.GetProperty("observations").EnumerateArray(),
            o => o.TryGetProperty("relevant-evidence", out var e) && e[0].GetProperty("href").GetString()!.StartsWith("https://", StringComparison.Ordinal));
    }

    [Fact]
    public void The_same_report_has_the_same_identifiers()
    {
        var first = ReportHarness.Run(AuditHarness.Examples(), "-o", "oscal").Stdout;
        var second = ReportHarness.Run(AuditHarness.Examples(), "-o", "oscal").Stdout;

        Assert.Equal(first, second);
    }
}
