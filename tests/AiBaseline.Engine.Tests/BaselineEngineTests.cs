using AiBaseline.Api.V1Alpha1;
using AiBaseline.Engine.Catalog;
using Microsoft.Extensions.Time.Testing;
using static AiBaseline.Engine.Tests.Builders;

namespace AiBaseline.Engine.Tests;

public sealed class BaselineEngineTests
{
    private readonly FakeTimeProvider clock = new(Now);

    [Fact]
    public void Missing_profile_stalls_the_deployment_and_leaves_every_control_unknown()
    {
        var status = BaselineEngine.Evaluate(Snapshot(), profile: null, clock);

        var ready = Condition(status, ConditionTypes.Ready);
        Assert.Equal(("False", ReadyReasons.ProfileNotFound), (ready.Status, ready.Reason));
        Assert.Contains("BaselineProfile default", ready.Message, StringComparison.Ordinal);
        Assert.Equal("True", Condition(status, ConditionTypes.Stalled).Status);
        Assert.All(status.Controls!, c => Assert.Equal(ControlResult.Unknown, c.Result));
        Assert.DoesNotContain(status.EachProvision(), p => p.Result == ProvisionResult.NotMet);
    }

    [Fact]
    public void Missing_workload_stalls_the_deployment_naming_the_reference()
    {
        var snapshot = Snapshot() with { Workload = null };

        var status = BaselineEngine.Evaluate(snapshot, Profile(), clock);

        var stalled = Condition(status, ConditionTypes.Stalled);
        Assert.Equal(ReadyReasons.WorkloadNotFound, stalled.Reason);
        Assert.Contains("Deployment ml/scorer", stalled.Message, StringComparison.Ordinal);
        Assert.Equal("False", Condition(status, ConditionTypes.Ready).Status);
    }

    [Fact]
    public void Retired_deployment_whose_workload_is_gone_is_not_stalled()
    {
        var snapshot = Snapshot(Deployment(LifecycleStage.Retirement)) with { Workload = null };

        var status = BaselineEngine.Evaluate(snapshot, Profile(), clock);

        Assert.DoesNotContain(status.Conditions!, c => c.Type == ConditionTypes.Stalled);
    }

    [Fact]
    public void Status_records_generation_stage_and_one_result_per_provision()
    {
        var status = BaselineEngine.Evaluate(Snapshot(), Profile(), clock);

        Assert.Equal(3, status.ObservedGeneration);
        Assert.Equal(LifecycleStage.Deployment, status.Stage);
        Assert.Equal(72, status.EachProvision().Count());
        Assert.Equal(status.EachProvision().Select(p => p.Id).Order(StringComparer.Ordinal), ProvisionCatalog.Provisions.Select(p => p.Id).Order(StringComparer.Ordinal));
        var s = status.Summary!;
        Assert.Equal(72, s.Met + s.NotMet + s.Unknown + s.Attestation + s.NotApplicable + s.Waived);
        Assert.Equal($"{s.Met}/{s.Met + s.NotMet + s.Unknown}", status.Compliance);
        Assert.All(status.Conditions!, c => Assert.Equal(3, c.ObservedGeneration));
        Assert.Equal(ConditionTypes.Ready, status.Conditions![0].Type);
    }

    [Theory]
    [InlineData(LifecycleStage.Design, "5.2.3-1", "development provisions do not apply while the model is designed")]
    [InlineData(LifecycleStage.Development, "5.4.2-1", "maintenance provisions apply only once the model serves")]
    [InlineData(LifecycleStage.Deployment, "5.5.1-2", "disposal applies only at retirement")]
    public void Provisions_outside_the_stage_are_not_applicable(LifecycleStage stage, string id, string reason)
    {
        var status = BaselineEngine.Evaluate(Snapshot(Deployment(stage)), Profile(), clock);

        Assert.True(Result(status, id) == ProvisionResult.NotApplicable, reason);
    }

    [Fact]
    public void Fresh_evidence_meets_the_attestation_provisions_its_type_covers()
    {
        var status = BaselineEngine.Evaluate(Snapshot(), Profile(), clock);

        var threat = status.EachProvision().Single(p => p.Id == "5.1.3-1.3");
        Assert.Equal((ProvisionResult.Met, "ThreatModel"), (threat.Result, threat.Evidence));
        Assert.Equal(ProvisionResult.Attestation, Result(status, "5.1.1-1"));
    }

    [Fact]
    public void Evidence_older_than_the_profile_allows_meets_nothing()
    {
        var status = BaselineEngine.Evaluate(Snapshot(), Profile(p => p.Evidence.MaxAgeDays = 30), clock);

        Assert.Equal(ProvisionResult.Attestation, Result(status, "5.1.3-1.3"));
    }

    [Fact]
    public void Evidence_can_name_provisions_beyond_its_type()
    {
        var deployment = Deployment();
        deployment.Spec.Evidence!.Add(new EvidenceReference
        {
            Type = EvidenceType.ModelCard,
            Uri = "https://docs.example.com/scorer/training",
            Date = new DateOnly(2026, 11, 1),
            Provisions = ["5.1.1-1"],
        });

        var status = BaselineEngine.Evaluate(Snapshot(deployment), Profile(), clock);

        Assert.Equal(ProvisionResult.Met, Result(status, "5.1.1-1"));
    }

    [Fact]
    public void Transition_time_stays_while_a_condition_keeps_its_status_and_moves_when_it_flips()
    {
        var deployment = Deployment();
        deployment.Status = BaselineEngine.Evaluate(Snapshot(deployment), Profile(), clock);
        var decided = deployment.Status.Conditions!.First(c => c.Type != ConditionTypes.Ready && c.Status != "Unknown");

        clock.Advance(TimeSpan.FromMinutes(5));
        var same = BaselineEngine.Evaluate(Snapshot(deployment), Profile(), clock);
        Assert.Equal(decided.LastTransitionTime, Condition(same, decided.Type).LastTransitionTime);

        var flipped = Condition(BaselineEngine.Evaluate(Snapshot(deployment), profile: null, clock), decided.Type);
        Assert.Equal("Unknown", flipped.Status);
        Assert.Equal(Now.AddMinutes(5).UtcDateTime, flipped.LastTransitionTime);
    }

    private static k8s.Models.V1Condition Condition(AIModelDeploymentStatus status, string type) =>
        Assert.Single(status.Conditions!, c => c.Type == type);

    private static ProvisionResult Result(AIModelDeploymentStatus status, string id) =>
        status.EachProvision().Single(p => p.Id == id).Result;
}
