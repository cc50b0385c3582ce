using System.Text.Json.Nodes;
using System.Xml.Linq;
using AiBaseline.Api.V1Alpha1;
using AiBaseline.Audit;
using k8s;
using Microsoft.Extensions.Time.Testing;

namespace AiBaseline.Cli.Tests.Audit;

/// <summary>The machine-readable reports have the documented shapes and counts.</summary>
public sealed class ReportFormatTests
{
    [Fact]
    public void Json_report_has_exactly_the_documented_shape()
    {
        var run = AuditHarness.Run(AuditHarness.Examples(), "-o", "json");

        var report = JsonNode.Parse(run.Stdout)!.AsObject();
        Assert.Equal(["apiVersion", "kind", "metadata", "items"], report.Select(p => p.Key));
        Assert.Equal("aibaseline.io/v1alpha1", (string?)report["apiVersion"]);
        Assert.Equal("AuditReport", (string?)report["kind"]);
        var items = report["items"]!.AsArray();
        Assert.Equal(5, items.Count);
        foreach (var item in items)
        {
            Assert.Equal(["metadata", "profile", "status"], item!.AsObject().Select(p => p.Key));
            Assert.Equal(["name", "namespace"], item["metadata"]!.AsObject().Select(p => p.Key));
        }

        Assert.Equal(
            ["kserve-models/granite-chat", "llm-serving/llama-chat", "chat-playground/support-bot", "multihost/llama-405b", "legacy-models/legacy-summarizer"],
            items.Select(i => $"{i!["metadata"]!["namespace"]}/{i["metadata"]!["name"]}"));
    }

    [Fact]
    public void Json_status_is_the_custom_resource_status_as_the_operator_writes_it()
    {
        var run = AuditHarness.Run(AuditHarness.Examples("llm-inference-compliant"), AuditHarness.Examples("profiles"), "-o", "json");
        var status = JsonNode.Parse(run.Stdout)!["items"]![0]!["status"]!;

        // Reading it back as the CR type and writing it again must give the same JSON: no extra or renamed fields.
        var asCr = KubernetesJson.Deserialize<AIModelDeploymentStatus>(status.ToJsonString());
        Assert.True(JsonNode.DeepEquals(status, JsonNode.Parse(KubernetesJson.Serialize(asCr))));
        Assert.Equal("Deployment", (string?)status["stage"]);
        Assert.Equal("38/38", (string?)status["compliance"]);

        // Each group met by evidence says until when: the evidence's date plus the profile's 3650 days.
        var byEvidence = status["provisions"]!.AsArray().Where(g => (string?)g!["result"] == "Met" && g["evidence"] is not null)
            .ToDictionary(g => (string)g!["evidence"]!, g => (string?)g!["expiresAt"]);
        Assert.Equal("2036-02-14", byEvidence["ThreatModel"]);
        Assert.Equal("2036-01-10", byEvidence["IncidentPlan"]);
        Assert.DoesNotContain(status["provisions"]!.AsArray(), g => g!["expiredAt"] is not null);
        var ready = status["conditions"]!.AsArray().Single(c => (string?)c!["type"] == "Ready")!;
        Assert.Equal(("True", "Compliant"), ((string?)ready["status"], (string?)ready["reason"]));
        Assert.Equal("2026-11-24T12:00:00Z", (string?)ready["lastTransitionTime"]);
    }

    [Fact]
    public void Sarif_has_one_rule_per_control_and_a_located_result_per_not_met_control()
    {
        var run = AuditHarness.Run(AuditHarness.Examples(), "-o", "sarif");

        var log = JsonNode.Parse(run.Stdout)!;
        Assert.Equal("2.1.0", (string?)log["version"]);
        var sarifRun = log["runs"]![0]!;
        Assert.Equal(14, sarifRun["tool"]!["driver"]!["rules"]!.AsArray().Count);
        var results = sarifRun["results"]!.AsArray();
        // Nine controls fail for the non-compliant example, four for the LeaderWorkerSet (RuntimeHardening, the worker
        // template; KnownGoodState, as no GitOps tool tracks it and it keeps no revisions; MetricsScraping and
        // PerformanceTracking, as nothing scrapes it) and one (Retirement) for the retired model.
        Assert.Equal(14, results.Count);
        Assert.All(results, r => Assert.Equal("error", (string?)r!["level"]));
        var retirement = results.Single(r => (string?)r!["ruleId"] == "Retirement")!;
        var location = retirement["locations"]![0]!["physicalLocation"]!;
        Assert.EndsWith("examples/retired-model/aimodeldeployment.yaml", (string?)location["artifactLocation"]!["uri"], StringComparison.Ordinal);
        Assert.Equal(5, (int?)location["region"]!["startLine"]);
    }

    [Fact]
    public void Junit_has_a_suite_per_deployment_a_case_per_control_and_failures_for_not_met()
    {
        var run = AuditHarness.Run(AuditHarness.Examples(), "-o", "junit");

        var suites = XDocument.Parse(run.Stdout).Root!.Elements("testsuite").ToList();
        Assert.Equal(5, suites.Count);
        var counts = suites.Select(s => ((string?)s.Attribute("name"), s.Elements("testcase").Count(), s.Descendants("failure").Count(), s.Descendants("skipped").Count()));
        Assert.Equal(
            [("kserve-models/granite-chat", 14, 0, 2), ("llm-serving/llama-chat", 14, 0, 2), ("chat-playground/support-bot", 14, 9, 2), ("multihost/llama-405b", 14, 4, 2), ("legacy-models/legacy-summarizer", 14, 1, 11)],
            counts);
        Assert.All(suites, s => Assert.Equal(s.Descendants("failure").Count().ToString(), (string?)s.Attribute("failures")));
    }

    [Fact]
    public void Json_status_tells_stale_evidence_from_missing_and_names_what_a_reference_lacks()
    {
        using var temp = new TempManifests();
        temp.Write("aimd.yaml", """
            apiVersion: aibaseline.io/v1alpha1
            kind: AIModelDeployment
            metadata: {name: chat, namespace: ml}
            spec:
              profile: signed-evidence
              stage: Design
              owners: [{name: Chat team}]
              evidence:
              - {type: ThreatModel, uri: https://docs.example/tm, date: 2026-02-16}
              - {type: RiskAssessment, uri: https://docs.example/ra, date: 2024-01-01}
              - {type: TrainingRecord, uri: https://docs.example/training, date: 2026-01-10}
            ---
            apiVersion: aibaseline.io/v1alpha1
            kind: BaselineProfile
            metadata: {name: signed-evidence}
            spec:
              evidence: {requireDigest: [ThreatModel], requireApproval: [ThreatModel]}
            """);

        var run = AuditHarness.Run(temp.Dir, "-o", "json");

        Assert.Equal(1, run.Exit);
        var status = JsonNode.Parse(run.Stdout)!["items"]![0]!["status"]!;
        var groups = status["provisions"]!.AsArray().Select(g => g!.AsObject()).ToList();
        JsonObject GroupOf(string id) => groups.Single(g => g["ids"]!.AsArray().Any(i => (string?)i == id));

        // A fresh training record meets its provisions until its date plus 365 days.
        Assert.Equal(("Met", "TrainingRecord", "2027-01-10"), ((string?)GroupOf("5.1.1-1")["result"], (string?)GroupOf("5.1.1-1")["evidence"], (string?)GroupOf("5.1.1-1")["expiresAt"]));
        // A risk assessment of 2024 is stale: the group says which evidence expired, and when.
        Assert.Equal(("Attestation", "RiskAssessment", "2024-12-31"), ((string?)GroupOf("5.1.2-1")["result"], (string?)GroupOf("5.1.2-1")["evidence"], (string?)GroupOf("5.1.2-1")["expiredAt"]));
        // A threat model without the digest and approver the profile asks for counts for nothing: never evidenced.
        Assert.Equal(["ids", "result"], GroupOf("5.1.3-1").Select(p => p.Key).Order(StringComparer.Ordinal));
        var evidence = status["conditions"]!.AsArray().Single(c => (string?)c!["type"] == "EvidenceCurrent")!;
        Assert.Equal("False", (string?)evidence["status"]);
        Assert.Contains("ThreatModel https://docs.example/tm has no digest, which the profile requires for ThreatModel (evidence.requireDigest)", (string?)evidence["message"], StringComparison.Ordinal);
        Assert.Contains("ThreatModel https://docs.example/tm has no approvedBy", (string?)evidence["message"], StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_alone_exits_0_with_a_warning_and_1_with_fail_on_unknown()
    {
        using var temp = new TempManifests();
        // A profile that asks for signatures: the offline audit cannot check them, so provenance is Unknown.
        var profile = temp.Write("signed.yaml", """
            apiVersion: aibaseline.io/v1alpha1
            kind: BaselineProfile
            metadata:
              name: signed
            spec:
              images:
                trustedRegistries: [registry.acme.example/]
                signatureKeys:
                - name: release
                  publicKey: "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----"
              evidence:
                maxAgeDays: 3650
            """);
        var compliant = AuditHarness.Examples("llm-inference-compliant");

        var warned = AuditHarness.Run(compliant, "--profile", profile);
        var failed = AuditHarness.Run(compliant, "--profile", profile, "--fail-on-unknown");

        Assert.Equal(0, warned.Exit);
        Assert.Contains("\n  Ready                Unknown        EvidenceUnavailable:", warned.Stdout, StringComparison.Ordinal);
        Assert.Contains("1 deployment: 0 compliant, 0 not compliant, 1 unknown, 0 stalled; EN 304 223: 0 pass, 0 fail, 1 inconclusive; exit 0; warning:", warned.Stdout, StringComparison.Ordinal);
        Assert.Equal(1, failed.Exit);
    }

    [Fact]
    public void A_profile_that_is_nowhere_stalls_the_deployment_and_exits_1()
    {
        using var temp = new TempManifests();
        temp.Write("aimd.yaml", "apiVersion: aibaseline.io/v1alpha1\nkind: AIModelDeployment\nmetadata:\n  name: chat\nspec:\n  profile: strict\n  stage: Design\n");

        var run = AuditHarness.Run(temp.Dir, "-o", "json");

        Assert.Equal(1, run.Exit);
        var conditions = JsonNode.Parse(run.Stdout)!["items"]![0]!["status"]!["conditions"]!.AsArray();
        var stalled = conditions.Single(c => (string?)c!["type"] == "Stalled")!;
        Assert.Equal(("True", "ProfileNotFound"), ((string?)stalled["status"], (string?)stalled["reason"]));
    }

    [Fact]
    public void Without_any_profile_named_default_the_built_in_default_applies()
    {
        var run = AuditHarness.Run(AuditHarness.Examples("retired-model"));

        Assert.Contains("profile default (built-in)", run.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("Stalled", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void The_JSON_report_rendered_as_each_deployment_is_judged_is_the_report_of_the_whole_statuses()
    {
        var run = AuditHarness.Run(AuditHarness.Examples(), "-o", "json");
        var set = AuditRun.Load([AuditHarness.Examples()], "default", TextReader.Null, []);
        var clock = new FakeTimeProvider(AuditHarness.Today);
        var verdicts = AuditRun.Evaluate(set, null, clock);

        var whole = AiBaseline.Audit.Reports.JsonReport.Render(verdicts, new AiBaseline.Audit.Reports.AuditHeader(clock.GetUtcNow(), verdicts));

        Assert.Equal(AuditExitCodes.NotCompliant, run.Exit);
        Assert.True(verdicts.Count >= 5, $"{verdicts.Count} deployments in the examples");
        Assert.Equal(whole + Environment.NewLine, run.Stdout);
    }

    [Fact]
    public void The_audit_reads_time_from_the_injected_clock()
    {
        var set = AuditRun.Load([AuditHarness.Examples("llm-inference-compliant"), AuditHarness.Examples("profiles")], "default", TextReader.Null, []);
        // Ten years and a day after the evidence was written, the 3650-day window has closed.
        var later = new FakeTimeProvider(new DateTimeOffset(2036, 3, 21, 0, 0, 0, TimeSpan.Zero));

        var verdict = AuditRun.Evaluate(set, null, later).Single();

        Assert.Equal(Verdict.NotCompliant, verdict.Verdict);
        Assert.Equal(ControlResult.NotMet, verdict.Status.Controls!.Single(c => c.Name == "Evidence").Result);
    }
}
