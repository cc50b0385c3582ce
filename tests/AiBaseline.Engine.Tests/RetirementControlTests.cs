using AiBaseline.Api.V1Alpha1;
using AiBaseline.Engine.Controls;
using static AiBaseline.Engine.Tests.Builders;
using static AiBaseline.Engine.Tests.PodTemplateBuilders;

namespace AiBaseline.Engine.Tests;

public sealed class RetirementControlTests
{
    private static readonly RetirementControl Control = new();

    [Theory]
    [InlineData(LifecycleStage.Deployment, "present", 2, "", true, ControlResult.NotApplicable, RetirementControl.NotRetiringReason, "the model is in stage Deployment, not Retirement", "disposal is judged only at retirement")]
    [InlineData(LifecycleStage.Maintenance, "present", 2, "", true, ControlResult.NotApplicable, RetirementControl.NotRetiringReason, "the model is in stage Maintenance, not Retirement", "a serving model is not retiring")]
    [InlineData(LifecycleStage.Retirement, "gone", 0, "", true, ControlResult.Met, RetirementControl.DisposedReason, "the workload and every object listed in spec.retirement are gone", "nothing left")]
    [InlineData(LifecycleStage.Retirement, "present", 2, "", true, ControlResult.NotMet, RetirementControl.DisposalIncompleteReason, "still present: Deployment ml/scorer (2 replicas)", "still serving")]
    [InlineData(LifecycleStage.Retirement, "present", null, "", true, ControlResult.NotMet, RetirementControl.DisposalIncompleteReason, "still present: Deployment ml/scorer (1 replica)", "unset replicas means one")]
    [InlineData(LifecycleStage.Retirement, "present", 0, "", true, ControlResult.Met, RetirementControl.DisposedReason, "the workload and every object listed in spec.retirement are gone", "scaled to zero counts when the profile allows it")]
    [InlineData(LifecycleStage.Retirement, "present", 0, "", false, ControlResult.NotMet, RetirementControl.DisposalIncompleteReason, "still present: Deployment ml/scorer (scaled to zero, but the profile requires deletion)", "allowScaledToZero: false needs deletion")]
    [InlineData(LifecycleStage.Retirement, "gone", 0, "listed", true, ControlResult.NotMet, RetirementControl.DisposalIncompleteReason, "still present: Service ml/scorer; Secret ml/hf-token; PersistentVolumeClaim ml/cache; PersistentVolumeClaim ml/weights", "listed objects remain, grouped by kind and sorted")]
    [InlineData(LifecycleStage.Retirement, "gone", 0, "listed-gone", true, ControlResult.Met, RetirementControl.DisposedReason, "the workload and every object listed in spec.retirement are gone", "listed objects were deleted")]
    public void Judges_disposal_of_a_retired_model(
        LifecycleStage stage, string workload, int? replicas, string listed, bool allowScaledToZero, ControlResult result, string reason, string message, string why)
    {
        var snapshot = Snapshot(Deployment(stage));
        snapshot = snapshot with { Workload = workload == "gone" ? null : snapshot.Workload! with { Replicas = replicas } };
        if (listed.Length > 0)
        {
            snapshot.Deployment.Spec.Retirement = new RetirementSpec
            {
                Services = ["scorer"],
                Secrets = ["hf-token", "registry-pull"],
                PersistentVolumeClaims = ["weights", "cache"],
            };
        }

        if (listed == "listed")
        {
            snapshot = snapshot with { Services = ["scorer", "other"], Secrets = [Secret("hf-token"), Secret("other")], PersistentVolumeClaims = ["weights", "cache"] };
        }

        var outcome = Evaluate(Control, snapshot, p => p.Retirement.AllowScaledToZero = allowScaledToZero);

        Assert.True((result, reason) == (outcome.Result, outcome.Reason), $"{why}: got {outcome.Result} {outcome.Reason}: {outcome.Message}");
        Assert.StartsWith(message, outcome.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Message_lists_workload_first_then_each_kind_and_says_what_to_do()
    {
        var snapshot = Snapshot(Deployment(LifecycleStage.Retirement)) with { Secrets = [Secret("hf-token")], PersistentVolumeClaims = ["weights"] };
        snapshot.Deployment.Spec.Retirement = new RetirementSpec { Secrets = ["hf-token"], PersistentVolumeClaims = ["weights"] };

        var outcome = Evaluate(Control, snapshot);

        Assert.Equal(
            "still present: Deployment ml/scorer (2 replicas); Secret ml/hf-token; PersistentVolumeClaim ml/weights; delete them (or scale the workload to zero where the profile allows it) to complete disposal",
            outcome.Message);
    }

    [Fact]
    public void Engine_keeps_the_retired_deployment_not_ready_until_disposal_is_complete()
    {
        var snapshot = Snapshot(Deployment(LifecycleStage.Retirement));

        var status = BaselineEngine.Evaluate(snapshot, Profile(), new Microsoft.Extensions.Time.Testing.FakeTimeProvider(Now));

        var condition = Assert.Single(status.Conditions!, c => c.Type == ConditionTypes.RetirementComplete);
        Assert.Equal(("False", RetirementControl.DisposalIncompleteReason), (condition.Status, condition.Reason));
        Assert.Equal(ProvisionResult.NotMet, status.Provision("5.5.1-2")?.Result);
    }
}
