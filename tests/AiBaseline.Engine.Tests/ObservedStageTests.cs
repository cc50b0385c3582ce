using AiBaseline.Api.V1Alpha1;
using Microsoft.Extensions.Time.Testing;
using static AiBaseline.Engine.Tests.Builders;

namespace AiBaseline.Engine.Tests;

/// <summary>The stage a deployment is judged in is the one the cluster shows: a serving workload is in Deployment.</summary>
public sealed class ObservedStageTests
{
    /// <summary>What the cluster shows of the workload.</summary>
    public enum Observed
    {
        /// <summary>spec.replicas is 2.</summary>
        Serving,

        /// <summary>spec.replicas is unset, which the API server defaults to 1.</summary>
        ServingByDefault,

        /// <summary>spec.replicas is 0.</summary>
        ScaledToZero,

        /// <summary>No workload exists.</summary>
        NoWorkload,
    }

    public static TheoryData<LifecycleStage, Observed, LifecycleStage, bool, string> Pairs => new()
    {
        { LifecycleStage.Design, Observed.Serving, LifecycleStage.Deployment, true, "a design that serves is deployed, whatever it declares" },
        { LifecycleStage.Design, Observed.ServingByDefault, LifecycleStage.Deployment, true, "unset replicas means one pod, which serves" },
        { LifecycleStage.Design, Observed.ScaledToZero, LifecycleStage.Design, false, "a design scaled to zero serves nothing" },
        { LifecycleStage.Design, Observed.NoWorkload, LifecycleStage.Design, false, "a design without a workload serves nothing" },
        { LifecycleStage.Development, Observed.Serving, LifecycleStage.Deployment, true, "a model in development that serves is deployed" },
        { LifecycleStage.Development, Observed.ServingByDefault, LifecycleStage.Deployment, true, "unset replicas serves in development too" },
        { LifecycleStage.Development, Observed.ScaledToZero, LifecycleStage.Development, false, "development scaled to zero is development" },
        { LifecycleStage.Development, Observed.NoWorkload, LifecycleStage.Development, false, "development without a workload is development" },
        { LifecycleStage.Deployment, Observed.Serving, LifecycleStage.Deployment, false, "deployed and serving agree" },
        { LifecycleStage.Deployment, Observed.ServingByDefault, LifecycleStage.Deployment, false, "deployed and serving agree" },
        { LifecycleStage.Deployment, Observed.ScaledToZero, LifecycleStage.Deployment, false, "a deployed model scaled down for a while is still deployed" },
        { LifecycleStage.Deployment, Observed.NoWorkload, LifecycleStage.Deployment, false, "a missing workload is a stall, not another stage" },
        { LifecycleStage.Maintenance, Observed.Serving, LifecycleStage.Maintenance, false, "maintenance is a serving stage" },
        { LifecycleStage.Maintenance, Observed.ServingByDefault, LifecycleStage.Maintenance, false, "maintenance is a serving stage" },
        { LifecycleStage.Maintenance, Observed.ScaledToZero, LifecycleStage.Maintenance, false, "maintenance scaled down stays maintenance" },
        { LifecycleStage.Maintenance, Observed.NoWorkload, LifecycleStage.Maintenance, false, "a missing workload is a stall, not another stage" },
        { LifecycleStage.Retirement, Observed.Serving, LifecycleStage.Retirement, false, "retirement keeps its rule: the Retirement control names the serving workload as a leftover" },
        { LifecycleStage.Retirement, Observed.ServingByDefault, LifecycleStage.Retirement, false, "retirement keeps its rule" },
        { LifecycleStage.Retirement, Observed.ScaledToZero, LifecycleStage.Retirement, false, "retirement keeps its rule" },
        { LifecycleStage.Retirement, Observed.NoWorkload, LifecycleStage.Retirement, false, "a retired model whose workload is gone is retired" },
    };

    [Theory]
    [MemberData(nameof(Pairs))]
    public void Every_declared_stage_with_every_observed_workload_is_judged_in_the_stage_the_cluster_shows(LifecycleStage declared, Observed observed, LifecycleStage judged, bool mismatch, string reason)
    {
        var workload = observed switch
        {
            Observed.Serving => Workload() with { Replicas = 2 },
            Observed.ServingByDefault => Workload() with { Replicas = null },
            Observed.ScaledToZero => Workload() with { Replicas = 0 },
            _ => null,
        };
        var snapshot = Snapshot(Deployment(declared)) with { Workload = workload };

        var status = BaselineEngine.Evaluate(snapshot, Profile(), new FakeTimeProvider(Now));

        Assert.True(status.Stage == judged, $"{declared} x {observed}: judged {status.Stage}, expected {judged} ({reason})");
        var condition = status.Conditions!.SingleOrDefault(c => c.Type == ConditionTypes.StageConsistent);
        Assert.True(mismatch == condition is not null, $"{declared} x {observed}: StageConsistent {(condition is null ? "absent" : "present")} ({reason})");
        if (condition is not null)
        {
            Assert.Equal(("False", ObservedStage.StageMismatchReason), (condition.Status, condition.Reason));
            Assert.Contains($"spec.stage declares {declared}", condition.Message, StringComparison.Ordinal);
            Assert.Contains("set spec.stage to Deployment, or scale the workload to zero", condition.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_design_that_serves_an_untrusted_image_is_not_ready_where_it_used_to_pass_as_a_design()
    {
        // The case that was reported: stage Design, an untrusted tagged image, one replica.
        var deployment = Deployment(LifecycleStage.Design);
        var workload = Workload(Container(image: "docker.io/vllm/vllm-openai:latest")) with { Replicas = 1 };
        var profile = Profile(p => p.Images.TrustedRegistries = ["registry.example.com/"]);

        var status = BaselineEngine.Evaluate(Snapshot(deployment, workload), profile, new FakeTimeProvider(Now));

        Assert.Equal(LifecycleStage.Deployment, status.Stage);
        var ready = status.Conditions!.Single(c => c.Type == ConditionTypes.Ready);
        Assert.Equal(("False", ReadyReasons.NotCompliant), (ready.Status, ready.Reason));
        Assert.Contains("5.2.3-1", ready.Message, StringComparison.Ordinal);
        Assert.Equal(ConformityVerdict.Fail, status.Summary!.Verdict);
    }
}
