using AiBaseline.Api.V1Alpha1;
using k8s.Models;

namespace AiBaseline.Operator.Tests;

/// <summary>When a pass's status says Reconciling=True: only while its verdict waits on a retry the operator scheduled.</summary>
public sealed class ReconcilingConditionTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 10, 0, 0, 500, TimeSpan.Zero);
    private static readonly ScheduledRetry Retry = new(TimeSpan.FromSeconds(12), ReconcilingReasons.RetryScheduled, "Registry ghcr.io did not answer for 1 artifact; next attempt within 30s");

    public static TheoryData<string, bool, string, bool, string> Rows() => new()
    {
        { "Unknown", true, "", true, "the verdict waits on evidence the operator will fetch again" },
        { "Unknown", false, "", false, "nothing is scheduled: the evidence is missing until something changes" },
        { "True", true, "", false, "the retried evidence cannot change a verdict its control waives" },
        { "False", true, "", false, "a provision is not met whatever the registry answers" },
        { "Unknown", false, "True", false, "a pass without a retry removes the Reconciling an earlier pass wrote" },
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public void Reconciling_is_present_only_while_Ready_is_Unknown_and_a_retry_is_scheduled(string ready, bool retry, string earlier, bool expected, string reason)
    {
        var status = ReconcilingCondition.Apply(Status(ready, earlier), retry ? Retry : null, Deployment(Status(ready, earlier)), Now);

        var reconciling = status.Conditions!.SingleOrDefault(c => c.Type == ConditionTypes.Reconciling);
        Assert.True(expected == reconciling is not null, reason);
        if (reconciling is not null)
        {
            Assert.Equal(("True", ReconcilingReasons.RetryScheduled, Retry.Message, 4L), (reconciling.Status, reconciling.Reason, reconciling.Message, reconciling.ObservedGeneration));
            Assert.Equal([ConditionTypes.Ready, ConditionTypes.Reconciling, ConditionTypes.ImageProvenanceVerified], status.Conditions!.Select(c => c.Type));
        }
    }

    [Fact]
    public void A_retry_after_a_retry_keeps_the_time_Reconciling_became_True_so_the_status_stays_unchanged()
    {
        var first = ReconcilingCondition.Apply(Status("Unknown", ""), Retry, Deployment(null), Now);
        var since = first.Conditions!.Single(c => c.Type == ConditionTypes.Reconciling).LastTransitionTime;
        Assert.Equal(new DateTime(2026, 3, 1, 10, 0, 0, DateTimeKind.Utc), since);

        var second = ReconcilingCondition.Apply(Status("Unknown", ""), Retry, Deployment(first), Now.AddMinutes(2));

        Assert.Equal(since, second.Conditions!.Single(c => c.Type == ConditionTypes.Reconciling).LastTransitionTime);
    }

    [Theory]
    [InlineData(1, "1s")]
    [InlineData(30, "30s")]
    [InlineData(60, "1m")]
    [InlineData(90, "1m30s")]
    public void Retry_intervals_read_as_people_write_them(int seconds, string expected) =>
        Assert.Equal(expected, ScheduledRetry.Describe(TimeSpan.FromSeconds(seconds)));

    private static AIModelDeploymentStatus Status(string ready, string reconciling)
    {
        var conditions = new List<V1Condition> { new() { Type = ConditionTypes.Ready, Status = ready, Reason = "Evaluated" } };
        if (reconciling != "")
        {
            conditions.Add(new V1Condition { Type = ConditionTypes.Reconciling, Status = reconciling, Reason = ReconcilingReasons.RetryScheduled });
        }

        conditions.Add(new V1Condition { Type = ConditionTypes.ImageProvenanceVerified, Status = "Unknown", Reason = "RegistryUnavailable" });
        return new AIModelDeploymentStatus { ObservedGeneration = 4, Conditions = conditions };
    }

    private static AIModelDeployment Deployment(AIModelDeploymentStatus? status) => new()
    {
        Metadata = new V1ObjectMeta { Name = "scorer", NamespaceProperty = "team-a", Generation = 4 },
        Status = status,
    };
}
