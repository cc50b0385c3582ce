using System.Text.Json;

namespace AiBaseline.Cli.Tests.Report;

/// <summary>
/// <c>aibaseline report</c> over manifests that hold RetirementRecords exported from a cluster
/// (<c>kubectl get retirementrecords -o yaml</c>): the records are in the report although their deployments are gone.
/// </summary>
public sealed class RetirementRecordReportTests : IDisposable
{
    private const string Record = """
        apiVersion: aibaseline.io/v1alpha1
        kind: RetirementRecord
        metadata:
          name: aimd-6f1c2a9e-0000-4000-8000-000000000001
          labels:
            team: document-ai
            aibaseline.io/deployment-namespace: legacy-models
            aibaseline.io/deployment-name: legacy-summarizer
        spec:
          deployment: {namespace: legacy-models, name: legacy-summarizer, uid: 6f1c2a9e-0000-4000-8000-000000000001}
          disposedAt: "2026-11-30T10:15:00Z"
          releasedBy: Waived
          workload: {kind: Deployment, name: legacy-summarizer}
          models:
          - name: summarizer-t5-large
            source: oci://registry.acme.example/models/summarizer-t5-large
            digest: sha256:7d3b1f5a9c2e6b0d4f8a1c5e9b3d7f0a2c6e4b8d1f5a9c3e7b0d2f6a4c8e1b5d
          images:
          - container: server
            image: registry.acme.example/document-ai/summarizer
            digest: sha256:5e9a3c7f1b4d8e2a6c0f3b7d1e5a9c2f6b0d4e8a1c5f9b3d7e0a2c6f4b8d1e5a
          disposed: {secrets: [summarizer-api-key], persistentVolumeClaims: [summarizer-weights]}
          check: {control: Retirement, result: Waived, reason: LeftoversRemain, message: "Secret legacy-models/summarizer-api-key remains"}
          owners: [{name: Document AI team, contact: document-ai@acme.example}]
          waiver: {name: summarizer-disposal, approvedBy: CISO, ticket: RISK-77, expiresAt: "2026-12-31T00:00:00Z"}
          history:
          - {at: "2026-11-28T08:00:00Z", verdict: Inconclusive, ready: "True"}
          - at: "2026-11-30T10:14:58Z"
            verdict: Fail
            ready: "False"
            provisions: [{was: NotApplicable, result: NotMet, reason: "Retirement: LeftoversRemain", ids: ["5.5.1-1", "5.5.1-2"]}]
        """;

    private readonly DirectoryInfo folder = Directory.CreateTempSubdirectory("records-");

    public void Dispose() => folder.Delete(recursive: true);

    [Fact]
    public void Records_alone_make_a_report_that_lists_them_and_validates_against_the_schema()
    {
        var report = ReportHarness.Json(Write("records.yaml", Record));

        Assert.Empty(ReportSchema.ReportErrors(report));
        Assert.Empty(report.GetProperty("deployments").EnumerateArray());
        var record = Assert.Single(report.GetProperty("retirementRecords").EnumerateArray());
        Assert.Equal("legacy-models/legacy-summarizer", $"{record.GetProperty("namespace").GetString()}/{record.GetProperty("deployment").GetString()}");
        Assert.Equal("Waived", record.GetProperty("releasedBy").GetString());
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 10, 15, 0, TimeSpan.Zero), record.GetProperty("disposedAt").GetDateTimeOffset());
        Assert.Equal(["Deployment/legacy-summarizer", "Secret/summarizer-api-key", "PersistentVolumeClaim/summarizer-weights"], Strings(record.GetProperty("disposed")));
        Assert.Equal("sha256:5e9a3c7f1b4d8e2a6c0f3b7d1e5a9c2f6b0d4e8a1c5f9b3d7e0a2c6f4b8d1e5a", record.GetProperty("images")[0].GetProperty("digest").GetString());
        Assert.Equal(["summarizer-disposal: approved by CISO, ticket RISK-77, expires 2026-12-31"], Strings(record.GetProperty("waivers")));

        // The verdict history the deployment's status kept outlives it in the record.
        var history = record.GetProperty("history").EnumerateArray().ToList();
        Assert.Equal(["Inconclusive", "Fail"], history.Select(h => h.GetProperty("verdict").GetString()));
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 10, 14, 58, TimeSpan.Zero), history[1].GetProperty("at").GetDateTimeOffset());
        Assert.Equal(["5.5.1-1", "5.5.1-2"], Strings(history[1].GetProperty("provisions")[0].GetProperty("ids")));
    }

    [Fact]
    public void The_html_page_has_a_row_per_record_with_its_waiver()
    {
        var run = ReportHarness.Run(Write("records.yaml", Record), "-o", "html");

        Assert.True(run.Exit == 0, run.All);
        Assert.Contains("data-record=\"aimd-6f1c2a9e-0000-4000-8000-000000000001\"", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("legacy-models/legacy-summarizer", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("approved by CISO, ticket RISK-77", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("<div>2026-11-30 10:14 Fail, Ready False: 5.5.1-1, 5.5.1-2</div>", run.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("team=document-ai", 1, "the operator copies the deployment's labels onto its record")]
    [InlineData("team=search", 0, "a record of another team")]
    public void The_label_selector_applies_to_records(string selector, int expected, string why)
    {
        var report = ReportHarness.Json(Write("records.yaml", Record), "-l", selector);

        Assert.True(report.GetProperty("retirementRecords").GetArrayLength() == expected, why);
    }

    [Fact]
    public void A_record_without_spec_is_named_with_its_file_and_exits_2()
    {
        var path = Write("broken.yaml", "apiVersion: aibaseline.io/v1alpha1\nkind: RetirementRecord\nmetadata:\n  name: aimd-x\n");

        var run = ReportHarness.Run(path);

        Assert.Equal(2, run.Exit);
        Assert.Contains("broken.yaml", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("RetirementRecord", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("spec", run.Stderr, StringComparison.Ordinal);
        Assert.Empty(run.Stdout);
    }

    [Fact]
    public async Task A_cluster_whose_CRDs_predate_records_reports_none_instead_of_failing()
    {
        foreach (var file in Directory.GetFiles(RepositoryPaths.Crds, "*.yaml").Where(f => !f.EndsWith("_retirementrecords.yaml", StringComparison.Ordinal)))
        {
            File.Copy(file, Path.Combine(folder.FullName, Path.GetFileName(file)));
        }

        await using var api = await KubeEmulator.KubeEmulator.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        api.ApplyCrdsFrom(folder.FullName);
        var kubeconfig = api.WriteKubeconfig(Path.Combine(folder.FullName, "kubeconfig"));

        var report = ReportHarness.Json("--kubeconfig", kubeconfig);

        Assert.Empty(report.GetProperty("retirementRecords").EnumerateArray());
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(folder.FullName, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static List<string?> Strings(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetString())];
}
