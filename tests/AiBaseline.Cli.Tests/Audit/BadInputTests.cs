namespace AiBaseline.Cli.Tests.Audit;

/// <summary>Bad input exits 2 with one <c>file:line: object: field: what to do</c> line per problem and no stack trace.</summary>
public sealed class BadInputTests
{
    private const string Header = "apiVersion: aibaseline.io/v1alpha1\nkind: AIModelDeployment\nmetadata:\n  name: chat\n";

    public static TheoryData<string, string, string> Cases => new()
    {
        {
            "a stage that is not one of the five phases lists the allowed values",
            Header + "spec:\n  stage: Production\n",
            ":6: AIModelDeployment/chat: spec.stage: \"Production\" is not allowed: use one of Design, Development, Deployment, Maintenance, Retirement"
        },
        {
            "an unknown field (a Deployment field put in the wrong object) is rejected, not ignored",
            Header + "spec:\n  stage: Deployment\n  replicas: 2\n",
            ":7: AIModelDeployment/chat: spec.replicas: unknown field: remove it or check the spelling (known fields: evidence, models, owners, profile, retirement, stage, workloadRef)"
        },
        {
            "an empty list item (a dash with nothing after it) is named, not a crash",
            Header + "spec:\n  stage: Deployment\n  evidence:\n  -\n",
            ":8: AIModelDeployment/chat: spec.evidence[0]: is an empty list item: fill it in or remove the dash"
        },
        {
            "metadata written as a scalar is named, not a crash",
            "apiVersion: aibaseline.io/v1alpha1\nkind: AIModelDeployment\nmetadata: chat\nspec:\n  stage: Deployment\n",
            ":3: AIModelDeployment/(no name): metadata: is not a mapping: write name (and namespace) under it"
        },
        {
            "spec.stage is required",
            Header + "spec:\n  profile: default\n",
            ":6: AIModelDeployment/chat: spec.stage: required field is missing: set one of Design, Development, Deployment, Maintenance, Retirement"
        },
        {
            "an evidence date must be a date",
            Header + "spec:\n  stage: Deployment\n  evidence:\n  - type: ThreatModel\n    uri: https://docs.example/tm\n    date: last week\n",
            ":10: AIModelDeployment/chat: spec.evidence[0].date: \"last week\" is not a date: write it as YYYY-MM-DD"
        },
        {
            "an evidence reference naming a provision the standard does not have is refused, listing the ids",
            Header + "spec:\n  stage: Deployment\n  evidence:\n  - type: ThreatModel\n    uri: https://docs.example/tm\n    date: 2026-02-16\n    provisions: [\"5.1.3-1\", \"9.9.9\"]\n",
            ":11: AIModelDeployment/chat: spec.evidence[0].provisions[1]: \"9.9.9\" is not a provision of EN 304 223: use one of 5.1.1-1, 5.1.1-1.1, "
        },
        {
            "an evidence type the API does not know is refused, listing the types",
            Header + "spec:\n  stage: Deployment\n  evidence:\n  - type: PenTestSummary\n    uri: https://docs.example/pt\n    date: 2026-02-16\n",
            ":8: AIModelDeployment/chat: spec.evidence[0].type: \"PenTestSummary\" is not allowed: use one of TrainingRecord, RiskAssessment, ThreatModel, OversightPlan, ModelCard, DataSheet, SecurityTestReport, IncidentPlan, DisclosurePolicy, UserGuidance, UpdatePolicy, MonitoringPlan"
        },
        {
            "an evidence digest must be a sha256 digest",
            Header + "spec:\n  stage: Deployment\n  evidence:\n  - type: ThreatModel\n    uri: https://docs.example/tm\n    date: 2026-02-16\n    digest: sha256:ABC\n",
            ":11: AIModelDeployment/chat: spec.evidence[0].digest: \"sha256:ABC\" does not match ^sha256:[0-9a-f]{64}$: write sha256: and the 64 lowercase hex digits of the document's SHA-256 (sha256sum FILE)"
        },
        {
            "an empty approver names nobody",
            Header + "spec:\n  stage: Deployment\n  evidence:\n  - type: ThreatModel\n    uri: https://docs.example/tm\n    date: 2026-02-16\n    approvedBy: \"\"\n",
            ":11: AIModelDeployment/chat: spec.evidence[0].approvedBy: must not be empty"
        },
        {
            "a profile may require digests only of evidence types the API knows",
            "apiVersion: aibaseline.io/v1alpha1\nkind: BaselineProfile\nmetadata:\n  name: default\nspec:\n  evidence:\n    requireDigest: [ThreatModel, Runbook]\n",
            ":7: BaselineProfile/default: spec.evidence.requireDigest[1]: \"Runbook\" is not allowed: use one of TrainingRecord, "
        },
        {
            "the expiry warning cannot be negative",
            "apiVersion: aibaseline.io/v1alpha1\nkind: BaselineProfile\nmetadata:\n  name: default\nspec:\n  evidence:\n    warnBeforeExpiryDays: -1\n",
            ":7: BaselineProfile/default: spec.evidence.warnBeforeExpiryDays: -1 is out of range: use a value from 0 to 3650"
        },
        {
            "a typo in a profile field is caught too",
            "apiVersion: aibaseline.io/v1alpha1\nkind: BaselineProfile\nmetadata:\n  name: default\nspec:\n  images:\n    trustedRegistry: [ghcr.io/acme/]\n",
            ":7: BaselineProfile/default: spec.images.trustedRegistry: unknown field: remove it or check the spelling (known fields: certificateChains, identities, requireDigest, requiredAttestations, signatureKeys, trustedRegistries, trustedRoot)"
        },
        {
            "a waiver may name only the controls that exist",
            "apiVersion: aibaseline.io/v1alpha1\nkind: BaselineException\nmetadata:\n  name: w\nspec:\n  controls: [Provenance]\n  justification: j\n  approvedBy: a\n  ticket: t\n  expiresAt: \"2026-12-01T00:00:00Z\"\n",
            ":6: BaselineException/w: spec.controls[0]: \"Provenance\" is not a control: use one of ImageProvenance, ModelIntegrity, NetworkIsolation, SecretsHandling, RuntimeHardening, LeastPrivilege, KnownGoodState, ApiRateLimit, MetricsScraping, PerformanceTracking, VulnerabilityFixes, AssetInventory, Retirement, Evidence"
        },
        {
            "a waiver may name only provision ids of EN 304 223",
            "apiVersion: aibaseline.io/v1alpha1\nkind: BaselineException\nmetadata:\n  name: w\nspec:\n  provisions: [\"5.2.9-1\"]\n  justification: j\n  approvedBy: a\n  ticket: t\n  expiresAt: \"2026-12-01T00:00:00Z\"\n",
            ":6: BaselineException/w: spec.provisions[0]: \"5.2.9-1\" is not a provision of EN 304 223: use one of 5.1.1-1, 5.1.1-1.1,"
        },
        {
            "a waiver needs an expiry",
            "apiVersion: aibaseline.io/v1alpha1\nkind: BaselineException\nmetadata:\n  name: w\nspec:\n  controls: [Evidence]\n  justification: j\n  approvedBy: a\n  ticket: t\n",
            ":6: BaselineException/w: spec.expiresAt: required field is missing: set it"
        },
        {
            "a waiver's expiry is an RFC 3339 date-time",
            "apiVersion: aibaseline.io/v1alpha1\nkind: BaselineException\nmetadata:\n  name: w\nspec:\n  controls: [Evidence]\n  justification: j\n  approvedBy: a\n  ticket: t\n  expiresAt: next week\n",
            ":10: BaselineException/w: spec.expiresAt: \"next week\" is not an RFC 3339 date-time: write it as 2026-06-30T00:00:00Z"
        },
        {
            "a profile's neverWaive names controls or provision ids",
            "apiVersion: aibaseline.io/v1alpha1\nkind: BaselineProfile\nmetadata:\n  name: default\nspec:\n  waivers:\n    neverWaive: [Retirement, Disposal]\n",
            ":7: BaselineProfile/default: spec.waivers.neverWaive[1]: \"Disposal\" is not a control or a provision of EN 304 223: use one of ImageProvenance,"
        },
        {
            "an object without apiVersion cannot be decoded",
            "kind: AIModelDeployment\nmetadata:\n  name: chat\nspec:\n  stage: Deployment\n",
            ":1: AIModelDeployment/chat: apiVersion: is missing: every object needs apiVersion and kind"
        },
        {
            "an object without kind cannot be decoded",
            "apiVersion: apps/v1\nmetadata:\n  name: server\n",
            ":1: object/server: kind: is missing: every object needs apiVersion and kind"
        },
        {
            "malformed YAML names the line and column YamlDotNet stopped at",
            Header + "spec:\n  stage: Deployment\n  owners: [unclosed\n",
            ":8: malformed YAML at column 1:"
        },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Bad_input_exits_2_with_a_file_line_message(string reason, string yaml, string expected)
    {
        using var temp = new TempManifests();
        var path = temp.Write("aimd.yaml", yaml);

        var run = AuditHarness.Run(path);

        Assert.True(run.Exit == 2, reason);
        Assert.Contains(path + expected, run.Stderr, StringComparison.Ordinal);
        Assert.Equal("", run.Stdout);
        AssertNoStackTrace(run);
    }

    [Fact]
    public void A_path_that_does_not_exist_is_named()
    {
        var run = AuditHarness.Run("no/such/manifests");

        Assert.Equal(2, run.Exit);
        Assert.StartsWith("no/such/manifests: no such file or directory: check the path\n", run.Stderr, StringComparison.Ordinal);
        AssertNoStackTrace(run);
    }

    [Fact]
    public void Input_without_an_AIModelDeployment_exits_2_with_a_hint()
    {
        using var temp = new TempManifests();
        temp.Write("deployment.yaml", "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: server\n");

        var run = AuditHarness.Run(temp.Dir);

        Assert.Equal(2, run.Exit);
        Assert.StartsWith($"{temp.Dir}: no AIModelDeployment found: add one (apiVersion aibaseline.io/v1alpha1) beside the workload it describes", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_problem_is_reported_not_just_the_first()
    {
        using var temp = new TempManifests();
        var first = temp.Write("a.yaml", Header + "spec:\n  stage: Production\n  replicas: 2\n---\n" + Header.Replace("chat", "other", StringComparison.Ordinal) + "spec:\n  models:\n  - name: m\n");
        var second = temp.Write("b.yaml", "kind: Deployment\n");

        var run = AuditHarness.Run(temp.Dir);

        Assert.Equal(2, run.Exit);
        var lines = run.Stderr.TrimEnd().Split('\n');
        Assert.Equal(
            [
                first + ":6: AIModelDeployment/chat: spec.stage: \"Production\" is not allowed: use one of Design, Development, Deployment, Maintenance, Retirement",
                first + ":7: AIModelDeployment/chat: spec.replicas: unknown field: remove it or check the spelling (known fields: evidence, models, owners, profile, retirement, stage, workloadRef)",
                first + ":15: AIModelDeployment/other: spec.models[0].source: required field is missing: set it",
                first + ":14: AIModelDeployment/other: spec.stage: required field is missing: set one of Design, Development, Deployment, Maintenance, Retirement",
                second + ":1: Deployment/(no name): apiVersion: is missing: every object needs apiVersion and kind",
                "aibaseline audit: 5 problems in the input; nothing was judged",
            ],
            lines);
    }

    private static void AssertNoStackTrace(AuditResult run)
    {
        Assert.DoesNotContain("   at ", run.All, StringComparison.Ordinal);
        Assert.DoesNotMatch("(?<!Baseline)Exception", run.All);
    }
}
