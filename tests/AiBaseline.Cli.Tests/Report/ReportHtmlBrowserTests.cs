using System.Text.RegularExpressions;
using AiBaseline.Cli.Tests.Audit;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace AiBaseline.Cli.Tests.Report;

/// <summary>The examples' HTML report, written once and rendered once each way by headless Chromium.</summary>
public sealed class RenderedExamplesReport : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("aibaseline-report-").FullName;
    private readonly Lazy<IDocument> dom;
    private readonly Lazy<PngPixels> screenshot;
    private readonly Lazy<byte[]> pdf;

    public RenderedExamplesReport()
    {
        var run = ReportHarness.Run(AuditHarness.Examples());
        Assert.True(run.Exit == 0, run.All);
        Html = run.Stdout;
        Page = System.IO.Path.Combine(folder, "report.html");
        File.WriteAllText(Page, Html);
        dom = new(() => new HtmlParser().ParseDocument(HeadlessChromium.DumpDom(Page)));
        screenshot = new(() => PngPixels.Decode(HeadlessChromium.Screenshot(Page, 1280, 1400)));
        pdf = new(() => HeadlessChromium.PrintToPdf(Page));
    }

    public string Html { get; }

    public string Page { get; }

    /// <summary>The DOM as Chromium built it from the page.</summary>
    public IDocument Dom => dom.Value;

    /// <summary>The first 1400 pixels of the page at 1280 wide.</summary>
    public PngPixels Screenshot => screenshot.Value;

    public byte[] Pdf => pdf.Value;

    public void Dispose() => Directory.Delete(folder, recursive: true);
}

/// <summary>
/// The HTML report as an assessor sees it in a real browser (Debian's chromium, headless): the summary first with
/// its counts, failing deployments and failing provisions first with their fix, nothing fetched from outside, and a
/// printout with a page per deployment.
/// </summary>
public sealed class ReportHtmlBrowserTests(RenderedExamplesReport report) : IClassFixture<RenderedExamplesReport>
{
    private const string FailRed = "#b3261e";
    private const string InconclusiveAmber = "#9a6700";

    private static void SkipWithoutChromium() => Assert.SkipWhen(HeadlessChromium.SkipReason is not null, HeadlessChromium.SkipReason ?? "");

    [Fact]
    public void The_summary_comes_first_with_the_counts_of_each_verdict()
    {
        SkipWithoutChromium();
        var summary = report.Dom.QuerySelector("section#summary")!;
        var firstDeployment = report.Dom.QuerySelector("section.deployment")!;

        Assert.Equal(DocumentPositions.Following, summary.CompareDocumentPosition(firstDeployment) & DocumentPositions.Following);
        Assert.Equal("0", summary.QuerySelector("td[data-verdict=Pass]")!.TextContent);
        Assert.Equal("3", summary.QuerySelector("td[data-verdict=Fail]")!.TextContent);
        Assert.Equal("2", summary.QuerySelector("td[data-verdict=Inconclusive]")!.TextContent);
        Assert.Equal("22", summary.QuerySelector("td[data-result=NotMet]")!.TextContent);
        Assert.Contains("5.1.2-2", summary.QuerySelector("table.failing")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Failing_deployments_come_first_and_their_failing_provisions_lead_with_the_fix()
    {
        SkipWithoutChromium();
        var sections = report.Dom.QuerySelectorAll("section.deployment").ToList();

        Assert.Equal(["Fail", "Fail", "Fail", "Inconclusive", "Inconclusive"], sections.Select(s => s.GetAttribute("data-verdict")));
        var bot = report.Dom.GetElementById("d-chat-playground-support-bot")!;
        var firstRow = bot.QuerySelector("tr[data-result]")!;
        Assert.Equal("NotMet", firstRow.GetAttribute("data-result"));
        var failing = bot.QuerySelectorAll("tr[data-result=NotMet]").ToList();
        Assert.Equal(15, failing.Count);
        Assert.All(failing, row => Assert.StartsWith("Fix:", row.QuerySelector(".fix")?.TextContent.Trim() ?? "", StringComparison.Ordinal));
        Assert.Contains("vllm/vllm-openai:v0.6.3", bot.QuerySelector("tr[data-id='5.2.3-1'] .fix")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Within_each_principle_fails_and_open_provisions_come_before_met_and_not_applicable()
    {
        SkipWithoutChromium();
        string[] order = ["NotMet", "Unknown", "Attestation", "Waived", "Met", "NotApplicable"];
        foreach (var table in report.Dom.QuerySelectorAll("section.deployment table.provisions"))
        {
            var ranks = table.QuerySelectorAll("tr[data-result]").Select(r => Array.IndexOf(order, r.GetAttribute("data-result"))).ToList();
            Assert.Equal(ranks.Order(), ranks);
        }

        Assert.All(report.Dom.QuerySelectorAll("tr[data-result=NotApplicable]"),
            row => Assert.StartsWith("Not applicable:", row.QuerySelector(".reason")?.TextContent ?? "", StringComparison.Ordinal));
    }

    [Fact]
    public void The_page_asks_nothing_from_outside()
    {
        SkipWithoutChromium();
        var dom = report.Dom;

        Assert.Empty(dom.QuerySelectorAll("script, link, img, iframe, object, embed, video, audio, source"));
        Assert.Empty(dom.QuerySelectorAll("[src]"));
        Assert.All(dom.QuerySelectorAll("[href]"), a => Assert.NotNull(dom.GetElementById(a.GetAttribute("href")!.TrimStart('#'))));
        Assert.All(dom.QuerySelectorAll("[href]"), a => Assert.StartsWith("#", a.GetAttribute("href"), StringComparison.Ordinal));
        Assert.DoesNotMatch(new Regex("url\\(|@import", RegexOptions.IgnoreCase), dom.QuerySelector("style")!.TextContent);
        Assert.Contains("default-src 'none'", dom.QuerySelector("meta[http-equiv=Content-Security-Policy]")!.GetAttribute("content"), StringComparison.Ordinal);
    }

    [Fact]
    public void The_screenshot_shows_the_failing_and_inconclusive_verdicts_on_the_first_screen()
    {
        SkipWithoutChromium();
        var shot = report.Screenshot;

        // The deployments' index in the summary paints Fail cells red and Inconclusive ones amber.
        Assert.Equal(1280, shot.Width);
        Assert.True(shot.Count(FailRed) > 2000, $"red Fail cells: {shot.Count(FailRed)} pixels");
        Assert.True(shot.Count(InconclusiveAmber) > 1000, $"amber Inconclusive cells: {shot.Count(InconclusiveAmber)} pixels");
        Assert.InRange(shot.FirstRowWith(FailRed), 1, 1100);
        Assert.True(shot.Count("#ffffff") < shot.Width * shot.Height, "the page is not blank");
    }

    [Fact]
    public void It_prints_with_a_page_per_deployment()
    {
        SkipWithoutChromium();
        var pdf = System.Text.Encoding.Latin1.GetString(report.Pdf);
        var pages = Regex.Count(pdf, @"/Type\s*/Page[^s]");

        Assert.StartsWith("%PDF-", pdf, StringComparison.Ordinal);
        Assert.True(pages >= 4, $"{pages} pages: the summary and at least one page for each of the three deployments");
    }
}
