using AiBaseline.Api.V1Alpha1;
using AiBaseline.Engine.Catalog;
using AiBaseline.Engine.Controls;
using Microsoft.Extensions.Time.Testing;
using static AiBaseline.Engine.Tests.Builders;
using static AiBaseline.Engine.Tests.PodTemplateBuilders;

namespace AiBaseline.Engine.Tests;

public sealed class EvidenceControlTests
{
    private static readonly EvidenceControl Control = new();

    private static readonly Dictionary<string, Action<AIModelDeploymentSpec>> Changes = new()
    {
        ["complete"] = _ => { },
        ["no owners"] = s => s.Owners = null,
        ["blank owner"] = s => s.Owners = [new Owner { Name = " " }],
        ["no incident plan"] = s => s.Evidence!.RemoveAll(e => e.Type == EvidenceType.IncidentPlan),
        ["no evidence"] = s => s.Evidence = null,
        ["threat model only"] = s => s.Evidence!.RemoveAll(e => e.Type != EvidenceType.ThreatModel),
        ["model card in the future"] = s => s.Evidence!.Single(e => e.Type == EvidenceType.ModelCard).Date = new DateOnly(2026, 12, 1),
        ["old threat model beside a current one"] = s => s.Evidence!.Add(new EvidenceReference { Type = EvidenceType.ThreatModel, Uri = "https://docs.example.com/scorer/threat-model-v1", Date = new DateOnly(2020, 1, 1) }),
        ["only an old threat model"] = s => s.Evidence!.Single(e => e.Type == EvidenceType.ThreatModel).Date = new DateOnly(2025, 11, 23),
        ["threat model expiring in 16 days"] = s => s.Evidence!.Single(e => e.Type == EvidenceType.ThreatModel).Date = new DateOnly(2025, 12, 10),
        ["signed-off threat model"] = s => SignOff(s.Evidence!.Single(e => e.Type == EvidenceType.ThreatModel)),
        ["guidance claiming logging and rate limits"] = s => s.Evidence!.Add(new EvidenceReference { Type = EvidenceType.UserGuidance, Uri = "x", Date = new DateOnly(2026, 11, 1), Provisions = ["5.4.2-1", "5.2.2-2", "5.3.1-2"] }),
    };

    private static void SignOff(EvidenceReference reference)
    {
        reference.Digest = "sha256:" + new string('0', 64);
        reference.ApprovedBy = "Security review board";
    }

    [Theory]
    [InlineData("complete", LifecycleStage.Deployment, null, ControlResult.Met, EvidenceControl.CurrentReason, "owners are declared; evidence at most 365 days old is referenced for ModelCard, ThreatModel, SecurityTestReport, IncidentPlan", "the builders' deployment")]
    [InlineData("no owners", LifecycleStage.Deployment, null, ControlResult.NotMet, EvidenceControl.NoOwnersReason, "spec.owners is empty; name at least one person or team responsible for the model", "owners are required by default")]
    [InlineData("blank owner", LifecycleStage.Deployment, null, ControlResult.NotMet, EvidenceControl.NoOwnersReason, "spec.owners is empty; name at least one person or team responsible for the model", "a blank name names nobody")]
    [InlineData("no owners", LifecycleStage.Deployment, "owners-optional", ControlResult.Met, EvidenceControl.CurrentReason, "owners are not required; evidence at most 365 days old is referenced for ModelCard, ThreatModel, SecurityTestReport, IncidentPlan", "requireOwners: false")]
    [InlineData("no incident plan", LifecycleStage.Deployment, null, ControlResult.NotMet, EvidenceControl.EvidenceMissingReason, "no IncidentPlan is referenced in spec.evidence; add one with its uri and date", "a default required type is missing")]
    [InlineData("model card in the future", LifecycleStage.Deployment, null, ControlResult.NotMet, EvidenceControl.EvidenceDatedInFutureReason, "ModelCard https://docs.example.com/scorer/model-card is dated 2026-12-01, after today; date it when it was last reviewed", "a future date meets nothing")]
    [InlineData("only an old threat model", LifecycleStage.Deployment, null, ControlResult.NotMet, EvidenceControl.EvidenceStaleReason, "ThreatModel https://docs.example.com/scorer/threat-model is dated 2025-11-23, older than the profile's maximum age of 365 days; review it and update its date", "one day past the maximum age")]
    [InlineData("old threat model beside a current one", LifecycleStage.Deployment, null, ControlResult.Met, EvidenceControl.CurrentReason, null, "the newest reference of a type counts")]
    [InlineData("threat model only", LifecycleStage.Design, null, ControlResult.Met, EvidenceControl.CurrentReason, "owners are declared; evidence at most 365 days old is referenced for ThreatModel", "in Design only design documents are required")]
    [InlineData("threat model only", LifecycleStage.Development, null, ControlResult.NotMet, EvidenceControl.EvidenceMissingReason, null, "past Design every required type is needed")]
    [InlineData("no evidence", LifecycleStage.Design, null, ControlResult.NotMet, EvidenceControl.EvidenceMissingReason, "no ThreatModel is referenced in spec.evidence; add one with its uri and date", "a design needs its threat model")]
    [InlineData("no evidence", LifecycleStage.Design, "model-card-only", ControlResult.Met, EvidenceControl.CurrentReason, "owners are declared; no evidence is required in stage Design", "a profile requiring no design document asks nothing in Design")]
    [InlineData("complete", LifecycleStage.Retirement, "data-sheet", ControlResult.NotMet, EvidenceControl.EvidenceMissingReason, "no DataSheet is referenced in spec.evidence; add one with its uri and date", "the profile's list replaces the default")]
    [InlineData("only an old threat model", LifecycleStage.Deployment, "two-years", ControlResult.Met, EvidenceControl.CurrentReason, null, "maxAgeDays decides staleness")]
    [InlineData("threat model expiring in 16 days", LifecycleStage.Deployment, null, ControlResult.Met, EvidenceControl.EvidenceExpiringReason, "owners are declared; evidence at most 365 days old is referenced for ModelCard, ThreatModel, SecurityTestReport, IncidentPlan; ThreatModel https://docs.example.com/scorer/threat-model expires after 2026-12-10 (dated 2025-12-10, maximum age 365 days): review it and update its date", "within the default 30-day window the condition stays True and says what expires when")]
    [InlineData("threat model expiring in 16 days", LifecycleStage.Deployment, "warn-10-days", ControlResult.Met, EvidenceControl.CurrentReason, null, "16 days away is outside a 10-day window")]
    [InlineData("threat model expiring in 16 days", LifecycleStage.Deployment, "no-warning", ControlResult.Met, EvidenceControl.CurrentReason, null, "warnBeforeExpiryDays: 0 turns the warning off")]
    [InlineData("old threat model beside a current one", LifecycleStage.Deployment, "warn-10-years", ControlResult.Met, EvidenceControl.EvidenceExpiringReason, null, "every type's newest reference is in a long window, the old one is not named")]
    [InlineData("complete", LifecycleStage.Deployment, "digest-for-threat-models", ControlResult.NotMet, EvidenceControl.EvidenceDigestMissingReason, "ThreatModel https://docs.example.com/scorer/threat-model has no digest, which the profile requires for ThreatModel (evidence.requireDigest), so it counts for nothing; add digest: sha256:<SHA-256 of the document reviewed>", "a reference without the digest the profile requires does not count, and no EvidenceMissing is added for it")]
    [InlineData("complete", LifecycleStage.Deployment, "approval-for-threat-models", ControlResult.NotMet, EvidenceControl.EvidenceApprovalMissingReason, "ThreatModel https://docs.example.com/scorer/threat-model has no approvedBy, which the profile requires for ThreatModel (evidence.requireApproval), so it counts for nothing; name who approved it", "a reference without the approver the profile requires does not count")]
    [InlineData("signed-off threat model", LifecycleStage.Deployment, "digest-for-threat-models", ControlResult.Met, EvidenceControl.CurrentReason, null, "a digest meets requireDigest")]
    [InlineData("signed-off threat model", LifecycleStage.Deployment, "approval-for-threat-models", ControlResult.Met, EvidenceControl.CurrentReason, null, "an approver meets requireApproval")]
    [InlineData("complete", LifecycleStage.Deployment, "digest-for-data-sheets", ControlResult.Met, EvidenceControl.CurrentReason, null, "requiring a digest of a type nobody references asks nothing")]
    [InlineData("guidance claiming logging and rate limits", LifecycleStage.Maintenance, null, ControlResult.Met, EvidenceControl.CurrentReason, "owners are declared; evidence at most 365 days old is referenced for ModelCard, ThreatModel, SecurityTestReport, IncidentPlan; ignored: UserGuidance x names 5.4.2-1, 5.2.2-2: only the cluster can show these provisions, so no document meets them", "naming provisions only the cluster can show is ignored, and said; 5.3.1-2 is a document's to meet")]
    public void Judges_owners_and_evidence(string change, LifecycleStage stage, string? profile, ControlResult result, string reason, string? message, string why)
    {
        var deployment = Deployment(stage);
        Changes[change](deployment.Spec);

        var outcome = Evaluate(Control, Snapshot(deployment), p =>
        {
            switch (profile)
            {
                case "owners-optional": p.Evidence.RequireOwners = false; break;
                case "model-card-only": p.Evidence.Required = [EvidenceType.ModelCard]; break;
                case "data-sheet": p.Evidence.Required = [EvidenceType.DataSheet]; break;
                case "two-years": p.Evidence.MaxAgeDays = 730; break;
                case "warn-10-days": p.Evidence.WarnBeforeExpiryDays = 10; break;
                case "warn-10-years": p.Evidence.WarnBeforeExpiryDays = 3650; break;
                case "no-warning": p.Evidence.WarnBeforeExpiryDays = 0; break;
                case "digest-for-threat-models": p.Evidence.RequireDigest = [EvidenceType.ThreatModel]; break;
                case "approval-for-threat-models": p.Evidence.RequireApproval = [EvidenceType.ThreatModel]; break;
                case "digest-for-data-sheets": p.Evidence.RequireDigest = [EvidenceType.DataSheet]; break;
            }
        });

        Assert.True((result, reason) == (outcome.Result, outcome.Reason), $"{change} in {stage} ({why}): got {outcome.Result} {outcome.Reason}: {outcome.Message}");
        if (message is not null)
        {
            Assert.Equal(message, outcome.Message);
        }
    }

    [Fact]
    public void Every_problem_is_listed_sorted_and_the_owner_reason_comes_first()
    {
        var deployment = Deployment();
        deployment.Spec.Owners = [];
        deployment.Spec.Evidence = [new EvidenceReference { Type = EvidenceType.ModelCard, Uri = "card", Date = new DateOnly(2024, 1, 1) }];

        var outcome = Evaluate(Control, Snapshot(deployment));

        Assert.Equal(EvidenceControl.NoOwnersReason, outcome.Reason);
        Assert.Equal(
            "ModelCard card is dated 2024-01-01, older than the profile's maximum age of 365 days; review it and update its date; "
            + "no IncidentPlan is referenced in spec.evidence; add one with its uri and date; "
            + "no SecurityTestReport is referenced in spec.evidence; add one with its uri and date; "
            + "no ThreatModel is referenced in spec.evidence; add one with its uri and date; "
            + "spec.owners is empty; name at least one person or team responsible for the model",
            outcome.Message);
    }

    [Theory]
    [InlineData(0, true, false, "today is fresh")]
    [InlineData(-365, true, false, "exactly the maximum age is fresh")]
    [InlineData(-366, false, false, "one day past the maximum age is stale")]
    [InlineData(1, false, true, "tomorrow is in the future")]
    public void Freshness_boundaries_are_shared_with_the_provision_rollup(int days, bool fresh, bool future, string why)
    {
        var reference = new EvidenceReference { Type = EvidenceType.ThreatModel, Uri = "tm", Date = DateOnly.FromDateTime(Now.UtcDateTime).AddDays(days) };
        var deployment = Deployment();
        deployment.Spec.Evidence = [reference];

        Assert.True(EvidenceFreshness.IsFresh(reference, 365, Now) == fresh, why);
        Assert.True(EvidenceFreshness.IsInFuture(reference, Now) == future, why);
        Assert.True(ProvisionCatalog.TryGet("5.1.3-1", out var threatModelling));
        var judged = new Status.EvidenceProvisions(deployment, Profile().Spec, Now).Judge(threatModelling);
        Assert.True((judged.Result == ProvisionResult.Met) == fresh, why);
    }

    [Fact]
    public void Engine_decides_human_oversight_by_the_owners()
    {
        var deployment = Deployment(LifecycleStage.Design);
        deployment.Spec.Owners = null;

        var status = BaselineEngine.Evaluate(Snapshot(deployment), Profile(), new FakeTimeProvider(Now));

        Assert.Equal(ProvisionResult.NotMet, status.Provision("5.1.4-1")?.Result);
        Assert.Equal("False", status.Conditions!.Single(c => c.Type == ConditionTypes.EvidenceCurrent).Status);
        Assert.Equal(ProvisionResult.NotApplicable, status.Provision("5.2.4-1")?.Result);
    }
}
