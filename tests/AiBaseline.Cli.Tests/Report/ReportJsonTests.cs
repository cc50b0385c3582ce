using System.Text.Json;
using System.Text.Json.Nodes;
using AiBaseline.Cli.Tests.Audit;

namespace AiBaseline.Cli.Tests.Report;

/// <summary>
/// <c>aibaseline report -o json</c> from manifests: valid against docs/report/report.schema.json, with the header an
/// assessor needs and, per provision, how it was decided; the verdicts are the audit's.
/// </summary>
public sealed class ReportJsonTests
{
    private const string Waiver = """
        apiVersion: aibaseline.io/v1alpha1
        kind: BaselineException
        metadata:
          name: playground-egress
          namespace: chat-playground
          creationTimestamp: "2026-11-14T00:00:00Z"
        spec:
          deploymentNames: [support-bot]
          controls: [NetworkIsolation]
          justification: The playground calls a public API until the egress gateway is ready.
          approvedBy: Head of Platform Security
          ticket: RISK-1042
          expiresAt: "2026-12-20T00:00:00Z"
        """;

    [Theory]
    [InlineData("examples", "the shipped examples")]
    [InlineData("tests/AiBaseline.Cli.Tests/Fixtures/valid", "every valid fixture: waivers, retirement, signed-off evidence, scoped profiles")]
    public void The_report_validates_against_the_committed_schema(string folder, string why)
    {
        var report = ReportHarness.Json(Path.Combine(RepositoryPaths.Root, folder));

        Assert.True(ReportSchema.ReportErrors(report).Count == 0, $"{why}: {string.Join("\n", ReportSchema.ReportErrors(report))}");
    }

    [Theory]
    [InlineData("header.tool.version", "a report without the tool version")]
    [InlineData("deployments.0.provisions.0.obligation", "a provision without shall or should")]
    [InlineData("deployments.1.verdicts.standard", "a deployment without the standard's verdict")]
    [InlineData("deployments.2.history", "a deployment without its audit trail")]
    public void The_schema_rejects_a_report_missing_what_an_assessor_needs(string path, string why)
    {
        var node = JsonNode.Parse(ReportHarness.Json(AuditHarness.Examples()).GetRawText())!;
        var parts = path.Split('.');
        var parent = parts[..^1].Aggregate(node, (n, p) => int.TryParse(p, out var i) ? n[i]! : n[p]!);
        parent.AsObject().Remove(parts[^1]);

        Assert.NotEmpty(ReportSchema.ReportErrors(JsonDocument.Parse(node.ToJsonString()).RootElement));
        Assert.NotNull(why);
    }

    [Fact]
    public void The_header_names_time_tool_catalog_profile_digest_and_input()
    {
        var header = ReportHarness.Json(AuditHarness.Examples()).GetProperty("header");

        Assert.Equal(AuditHarness.Today, header.GetProperty("evaluatedAt").GetDateTimeOffset());
        Assert.Equal(typeof(AiBaseline.Commands.CrdsCommand).Assembly.GetName().Version!.ToString(3), header.GetProperty("tool").GetProperty("version").GetString());
        Assert.Equal("V2.1.1", header.GetProperty("catalog").GetProperty("edition").GetString());
        Assert.Equal(72, header.GetProperty("catalog").GetProperty("provisions").GetInt32());
        var profile = header.GetProperty("profiles").EnumerateArray().Single();
        Assert.Equal(("default", "input"), (profile.GetProperty("name").GetString(), profile.GetProperty("origin").GetString()));
        Assert.Matches("^sha256:[0-9a-f]{64}$", profile.GetProperty("sha256").GetString());
        Assert.Equal(AuditHarness.Examples(), header.GetProperty("source").GetProperty("inputs")[0].GetString());
    }

    [Fact]
    public void The_profile_digest_follows_the_settings_not_the_layout()
    {
        using var temp = new TempManifests();
        var deployment = File.ReadAllText(AuditHarness.Examples("llm-inference-compliant/aimodeldeployment.yaml"));
        string Digest(string profile)
        {
            var dir = temp.Write($"p{profile.GetHashCode(StringComparison.Ordinal):x}/profile.yaml", profile);
            temp.Write($"p{profile.GetHashCode(StringComparison.Ordinal):x}/deployment.yaml", deployment);
            return ReportHarness.Json(Path.GetDirectoryName(dir)!).GetProperty("header").GetProperty("profiles")[0].GetProperty("sha256").GetString()!;
        }

        const string Head = "apiVersion: aibaseline.io/v1alpha1\nkind: BaselineProfile\nmetadata: {name: default}\n";
        var a = Digest(Head + "spec:\n  evidence: {maxAgeDays: 90}\n  mode: Audit\n");
        var b = Digest(Head + "spec: {mode: Audit, evidence: {maxAgeDays: 90}}\n");
        var c = Digest(Head + "spec:\n  evidence: {maxAgeDays: 91}\n  mode: Audit\n");

        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void A_failing_provision_names_its_control_and_the_fix()
    {
        var bot = ReportHarness.Deployment(ReportHarness.Json(AuditHarness.Examples()), "chat-playground/support-bot");
        var provision = ReportHarness.Provision(bot, "5.2.3-1");

        Assert.Equal("NotMet", provision.GetProperty("result").GetString());
        Assert.Equal("shall", provision.GetProperty("obligation").GetString());
        Assert.Equal(7, provision.GetProperty("principle").GetInt32());
        Assert.NotEmpty(provision.GetProperty("stakeholders").EnumerateArray());
        var control = provision.GetProperty("decidedBy").GetProperty("controls").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "ImageProvenance");
        Assert.Equal("NotMet", control.GetProperty("result").GetString());
        Assert.Contains("vllm/vllm-openai:v0.6.3", provision.GetProperty("fix").GetString(), StringComparison.Ordinal);
        Assert.Equal("Fail", bot.GetProperty("verdicts").GetProperty("standard").GetString());
        Assert.Equal("False", bot.GetProperty("verdicts").GetProperty("ready").GetString());
    }

    [Fact]
    public void A_provision_met_by_evidence_names_the_document_and_its_dates()
    {
        var chat = ReportHarness.Deployment(ReportHarness.Json(AuditHarness.Examples()), "llm-serving/llama-chat");
        var met = chat.GetProperty("provisions").EnumerateArray()
            .First(p => p.GetProperty("result").GetString() == "Met" && p.GetProperty("decidedBy").TryGetProperty("evidence", out _));
        var evidence = met.GetProperty("decidedBy").GetProperty("evidence");

        Assert.False(string.IsNullOrEmpty(evidence.GetProperty("uri").GetString()));
        Assert.True(evidence.GetProperty("date").GetDateTime() < evidence.GetProperty("expiresAt").GetDateTime());
        Assert.False(met.TryGetProperty("fix", out _));
    }

    [Fact]
    public void Every_not_applicable_provision_says_why()
    {
        var report = ReportHarness.Json(AuditHarness.Examples());
        var notApplicable = report.GetProperty("deployments").EnumerateArray()
            .SelectMany(d => d.GetProperty("provisions").EnumerateArray())
            .Where(p => p.GetProperty("result").GetString() == "NotApplicable").ToList();

        Assert.NotEmpty(notApplicable);
        Assert.All(notApplicable, p => Assert.False(string.IsNullOrWhiteSpace(p.GetProperty("reason").GetString())));
    }

    [Fact]
    public void A_waived_provision_names_the_approver_ticket_and_expiry()
    {
        using var temp = new TempManifests();
        var report = ReportHarness.Json(AuditHarness.Examples("llm-inference-noncompliant"), AuditHarness.Examples("profiles"), temp.Write("waiver.yaml", Waiver));
        var waived = ReportHarness.Provision(ReportHarness.Deployment(report, "chat-playground/support-bot"), "5.2.2-3");
        var waiver = waived.GetProperty("decidedBy").GetProperty("waiver");

        Assert.Equal("Waived", waived.GetProperty("result").GetString());
        Assert.Equal("playground-egress", waiver.GetProperty("name").GetString());
        Assert.Equal("Head of Platform Security", waiver.GetProperty("approvedBy").GetString());
        Assert.Equal("RISK-1042", waiver.GetProperty("ticket").GetString());
        Assert.Equal(new DateTimeOffset(2026, 12, 20, 0, 0, 0, TimeSpan.Zero), waiver.GetProperty("expiresAt").GetDateTimeOffset());
        Assert.Empty(ReportSchema.ReportErrors(report));
    }

    [Fact]
    public void The_subject_lists_every_image_and_model_digest()
    {
        var chat = ReportHarness.Deployment(ReportHarness.Json(AuditHarness.Examples()), "llm-serving/llama-chat");
        var subject = chat.GetProperty("subject");

        Assert.All(subject.GetProperty("images").EnumerateArray(), i => Assert.StartsWith("sha256:", i.GetProperty("digest").GetString(), StringComparison.Ordinal));
        Assert.All(subject.GetProperty("models").EnumerateArray(), m => Assert.StartsWith("sha256:", m.GetProperty("digest").GetString(), StringComparison.Ordinal));
        Assert.NotEmpty(subject.GetProperty("models").EnumerateArray());
        Assert.Equal("Deployment", subject.GetProperty("workload").GetProperty("kind").GetString());
    }

    [Fact]
    public void The_verdicts_and_summary_are_the_audits()
    {
        var report = ReportHarness.Json(AuditHarness.Examples());
        var audit = JsonDocument.Parse(AuditHarness.Run(AuditHarness.Examples(), "-o", "json").Stdout).RootElement;

        foreach (var item in audit.GetProperty("items").EnumerateArray())
        {
            var id = $"{item.GetProperty("metadata").GetProperty("namespace").GetString()}/{item.GetProperty("metadata").GetProperty("name").GetString()}";
            var summary = item.GetProperty("status").GetProperty("summary");
            var counts = ReportHarness.Deployment(report, id).GetProperty("counts");
            Assert.Equal(summary.GetProperty("verdict").GetString(), ReportHarness.Deployment(report, id).GetProperty("verdicts").GetProperty("standard").GetString());
            foreach (var result in new[] { "met", "notMet", "unknown", "attestation", "notApplicable", "waived" })
            {
                Assert.Equal(summary.GetProperty(result).GetInt32(), counts.GetProperty(result).GetInt32());
            }
        }

        var verdicts = report.GetProperty("summary").GetProperty("verdicts");
        Assert.Equal((0, 3, 2), (verdicts.GetProperty("pass").GetInt32(), verdicts.GetProperty("fail").GetInt32(), verdicts.GetProperty("inconclusive").GetInt32()));
        Assert.Equal("5.1.2-2", report.GetProperty("summary").GetProperty("mostFailing")[0].GetProperty("id").GetString());
    }

    [Theory]
    [InlineData("team=search", "llm-serving/llama-chat", "equality")]
    [InlineData("team!=search", "chat-playground/support-bot,legacy-models/legacy-summarizer", "inequality: unlabelled ones too")]
    [InlineData("team", "llm-serving/llama-chat,chat-playground/support-bot", "existence")]
    [InlineData("!team", "legacy-models/legacy-summarizer", "absence")]
    public void A_label_selector_keeps_the_matching_deployments(string selector, string expected, string why)
    {
        using var temp = new TempManifests();
        foreach (var folder in new[] { "llm-inference-compliant", "llm-inference-noncompliant", "retired-model", "profiles" })
        {
            foreach (var file in Directory.GetFiles(AuditHarness.Examples(folder)))
            {
                var text = Path.GetFileName(file) != "aimodeldeployment.yaml" ? File.ReadAllText(file) : File.ReadAllText(file)
                    .Replace("  name: llama-chat\n  namespace: llm-serving\n", "  name: llama-chat\n  namespace: llm-serving\n  labels: {team: search}\n", StringComparison.Ordinal)
                    .Replace("  name: support-bot\n  namespace: chat-playground\n", "  name: support-bot\n  namespace: chat-playground\n  labels: {team: support}\n", StringComparison.Ordinal);
                temp.Write(Path.Combine(folder, Path.GetFileName(file)), text);
            }
        }

        var report = ReportHarness.Json(temp.Dir, "-l", selector);
        var ids = report.GetProperty("deployments").EnumerateArray().Select(d => $"{d.GetProperty("namespace").GetString()}/{d.GetProperty("name").GetString()}").ToList();

        Assert.True(expected.Split(',').Order().SequenceEqual(ids.Order()), $"{why}: {string.Join(",", ids)}");
        Assert.Equal(selector, report.GetProperty("header").GetProperty("source").GetProperty("selector").GetString());
    }

    [Theory]
    [InlineData(new[] { "-l", "a=b c" }, "--selector: \"a=b c\" is not allowed", "a space in a selector")]
    [InlineData(new[] { "-o", "pdf" }, "--output: \"pdf\" is not allowed: use one of html, json, oscal", "an unknown format")]
    [InlineData(new[] { "--kubeconfig", "/nonexistent" }, "--kubeconfig reads the cluster", "paths and a kubeconfig")]
    public void Usage_errors_are_one_line_and_exit_2(string[] extra, string expected, string why)
    {
        var run = ReportHarness.Run([AuditHarness.Examples(), .. extra]);

        Assert.Equal(2, run.Exit);
        Assert.Contains(expected, run.Stderr, StringComparison.Ordinal);
        Assert.Empty(run.Stdout);
        Assert.DoesNotContain("   at ", run.Stderr, StringComparison.Ordinal);
        Assert.NotNull(why);
    }

    [Fact]
    public void Bad_manifests_name_the_file_and_exit_2_with_no_report()
    {
        using var temp = new TempManifests();
        var path = temp.Write("broken.yaml", "apiVersion: aibaseline.io/v1alpha1\nkind: AIModelDeployment\nmetadata: {name: x}\nspec: {stage: Sometime}\n");

        var run = ReportHarness.Run(path);

        Assert.Equal(2, run.Exit);
        Assert.Contains("broken.yaml", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("spec.stage", run.Stderr, StringComparison.Ordinal);
        Assert.Empty(run.Stdout);
    }
}
