using System.Text.Json;
using AiBaseline.Cli.Tests.Audit;
using AngleSharp.Html.Parser;

namespace AiBaseline.Cli.Tests.Report;

/// <summary>
/// The audit trail in each form of the report: the verdict changes an AIModelDeployment's status kept (here one exported
/// from a cluster, Fixtures/valid/exported-with-history.yaml), in the JSON that the schema accepts, as a section of the
/// HTML page, and as the OSCAL result's assessment log; a deployment without a recorded history shows none.
/// </summary>
public sealed class ReportHistoryTests
{
    private static readonly string Exported = Path.Combine(RepositoryPaths.Fixtures, "valid", "exported-with-history.yaml");

    private static readonly DateTimeOffset[] Times =
    [
        new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero),
        new(2026, 11, 20, 14, 32, 5, TimeSpan.Zero),
        new(2026, 11, 20, 15, 10, 44, TimeSpan.Zero),
    ];

    [Fact]
    public void The_json_report_carries_the_recorded_changes_oldest_first_and_validates()
    {
        var report = ReportHarness.Json(Exported);

        Assert.Empty(ReportSchema.ReportErrors(report));
        var history = ReportHarness.Deployment(report, "ml/credit-scorer").GetProperty("history").EnumerateArray().ToList();
        Assert.Equal(Times, history.Select(h => h.GetProperty("at").GetDateTimeOffset()));
        Assert.Equal(["Inconclusive", "Fail", "Inconclusive"], history.Select(h => h.GetProperty("verdict").GetString()));
        Assert.Equal(["True", "False", "True"], history.Select(h => h.GetProperty("ready").GetString()));
        Assert.Empty(history[0].GetProperty("provisions").EnumerateArray());
        var failed = Assert.Single(history[1].GetProperty("provisions").EnumerateArray());
        Assert.Equal(("Met", "NotMet", "ImageProvenance: DigestMissing"), (failed.GetProperty("was").GetString(), failed.GetProperty("result").GetString(), failed.GetProperty("reason").GetString()));
        Assert.Equal(["5.2.1-2", "5.2.3-1", "5.2.3-2"], failed.GetProperty("ids").EnumerateArray().Select(i => i.GetString()));
    }

    [Fact]
    public void A_deployment_judged_from_manifests_alone_has_an_empty_history()
    {
        var report = ReportHarness.Json(AuditHarness.Examples());

        Assert.All(report.GetProperty("deployments").EnumerateArray(), d => Assert.Empty(d.GetProperty("history").EnumerateArray()));
    }

    [Fact]
    public void The_schema_refuses_a_history_longer_than_the_status_keeps_or_an_entry_without_its_time()
    {
        var text = ReportHarness.Run(Exported, "-o", "json").Stdout;
        var node = System.Text.Json.Nodes.JsonNode.Parse(text)!;
        var history = node["deployments"]![0]!["history"]!.AsArray();
        for (var i = 0; i < 3; i++)
        {
            history.Add(history[0]!.DeepClone());
        }

        Assert.Contains(ReportSchema.ReportErrors(JsonDocument.Parse(node.ToJsonString()).RootElement), e => e.Contains("history", StringComparison.Ordinal));

        var untimed = System.Text.Json.Nodes.JsonNode.Parse(text)!;
        untimed["deployments"]![0]!["history"]![1]!.AsObject().Remove("at");
        Assert.NotEmpty(ReportSchema.ReportErrors(JsonDocument.Parse(untimed.ToJsonString()).RootElement));
    }

    [Fact]
    public void A_recorded_history_that_is_not_the_operators_shape_is_named_with_its_line_and_exits_2()
    {
        var bad = Path.Combine(Path.GetTempPath(), $"history-{Guid.NewGuid():N}.yaml");
        var text = File.ReadAllText(Exported).Replace("verdict: Fail", "verdict: Failed", StringComparison.Ordinal);
        File.WriteAllText(bad, text);
        var line = text[..text.IndexOf("verdict: Failed", StringComparison.Ordinal)].Count(c => c == '\n') + 1;
        try
        {
            var run = ReportHarness.Run(bad, "-o", "json");

            Assert.Equal(2, run.Exit);
            Assert.Contains($"{bad}:{line}: AIModelDeployment/credit-scorer: status.history[1].verdict: \"Failed\" is not allowed: use one of Pass, Fail, Inconclusive", run.Stderr, StringComparison.Ordinal);
            Assert.Empty(run.Stdout);
        }
        finally
        {
            File.Delete(bad);
        }
    }

    [Fact]
    public void The_html_page_has_an_audit_trail_section_with_a_row_per_change()
    {
        var run = ReportHarness.Run(Exported, "-o", "html");
        Assert.True(run.Exit == 0, run.All);

        var section = new HtmlParser().ParseDocument(run.Stdout).GetElementById("d-ml-credit-scorer")!;
        var heading = section.QuerySelectorAll("h3").First(h => h.TextContent == "Audit trail");
        var rows = section.QuerySelectorAll("table.history tr[data-verdict]").ToList();
        Assert.Equal("table", heading.NextElementSibling!.LocalName);
        Assert.Equal(["Inconclusive", "Fail", "Inconclusive"], rows.Select(r => r.GetAttribute("data-verdict")));
        Assert.StartsWith("2026-11-20 14:32:05 UTC", rows[1].Children[0].TextContent, StringComparison.Ordinal);
        Assert.Equal("5.2.1-2, 5.2.3-1, 5.2.3-2: Met \u2192 Not met (ImageProvenance: DigestMissing)", rows[1].Children[3].TextContent);
        Assert.Equal("no provision changed result", rows[0].Children[3].TextContent);
    }

    [Fact]
    public void In_the_browser_the_audit_trail_comes_before_the_provisions_and_marks_the_fail()
    {
        Assert.SkipWhen(HeadlessChromium.SkipReason is not null, HeadlessChromium.SkipReason ?? "");
        var run = ReportHarness.Run(Exported, "-o", "html");
        Assert.True(run.Exit == 0, run.All);
        var page = Path.Combine(Path.GetTempPath(), $"history-{Guid.NewGuid():N}.html");
        File.WriteAllText(page, run.Stdout);
        try
        {
            var dom = new HtmlParser().ParseDocument(HeadlessChromium.DumpDom(page));

            var section = dom.GetElementById("d-ml-credit-scorer")!;
            var trail = section.QuerySelector("table.history")!;
            var provisions = section.QuerySelector("table.provisions")!;
            Assert.Equal(AngleSharp.Dom.DocumentPositions.Following, trail.CompareDocumentPosition(provisions) & AngleSharp.Dom.DocumentPositions.Following);
            Assert.Equal(3, trail.QuerySelectorAll("tr[data-verdict]").Length);
            Assert.Equal("v-Fail", trail.QuerySelector("tr[data-verdict=Fail] td:nth-child(2)")!.ClassName);
        }
        finally
        {
            File.Delete(page);
        }
    }

    [Fact]
    public void The_oscal_result_logs_each_change_and_validates_against_the_released_schema()
    {
        var run = ReportHarness.Run(Exported, "-o", "oscal");
        Assert.True(run.Exit == 0, run.All);
        var document = JsonDocument.Parse(run.Stdout).RootElement;

        Assert.Empty(ReportSchema.OscalErrors(document));
        var result = document.GetProperty("assessment-results").GetProperty("results").EnumerateArray()
            .Single(r => r.GetProperty("title").GetString() == "AIModelDeployment ml/credit-scorer");
        var entries = result.GetProperty("assessment-log").GetProperty("entries").EnumerateArray().ToList();
        Assert.Equal(Times, entries.Select(e => e.GetProperty("start").GetDateTimeOffset()));
        Assert.Equal(Times, entries.Select(e => e.GetProperty("end").GetDateTimeOffset()));
        Assert.Equal("Verdict Fail, Ready False", entries[1].GetProperty("title").GetString());
        Assert.Equal("Provisions that changed: 5.2.1-2, 5.2.3-1, 5.2.3-2: met to not met (ImageProvenance: DigestMissing)", entries[1].GetProperty("description").GetString());
        Assert.Contains(entries[1].GetProperty("props").EnumerateArray(), p => p.GetProperty("name").GetString() == "verdict" && p.GetProperty("value").GetString() == "Fail");
        Assert.Equal(3, entries.Select(e => e.GetProperty("uuid").GetString()).Distinct().Count());
    }
}
