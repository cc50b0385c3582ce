using AiBaseline.Api.V1Alpha1;

namespace AiBaseline.Operator.Tests;

/// <summary>
/// The kstatus rules every written AIModelDeployment status keeps (as Flux's conditions checker states them), checked on
/// each deployment a reconciler test reads: Ready is present; Ready is not True while Reconciling or Stalled is True;
/// Reconciling and Stalled are not both True and are absent rather than False; no generation observed is newer than the
/// object's.
/// </summary>
internal static class StatusInvariants
{
    public static AIModelDeployment? Checked(AIModelDeployment? deployment)
    {
        if (deployment?.Status is not { } status)
        {
            return deployment;
        }

        var where = $"AIModelDeployment {deployment.Metadata.NamespaceProperty}/{deployment.Metadata.Name}";
        var conditions = status.Conditions ?? [];
        var ready = conditions.SingleOrDefault(c => c.Type == ConditionTypes.Ready);
        Assert.True(ready is not null, $"{where}: Ready must always be present");
        bool IsTrue(string type) => conditions.Any(c => c.Type == type && c.Status == "True");
        Assert.False(ready.Status == "True" && IsTrue(ConditionTypes.Reconciling), $"{where}: Ready must not be True while Reconciling is True");
        Assert.False(ready.Status == "True" && IsTrue(ConditionTypes.Stalled), $"{where}: Ready must not be True while Stalled is True");
        Assert.False(IsTrue(ConditionTypes.Reconciling) && IsTrue(ConditionTypes.Stalled), $"{where}: only one of Reconciling and Stalled may be True");
        Assert.DoesNotContain(conditions, c => c.Type is ConditionTypes.Reconciling or ConditionTypes.Stalled && c.Status != "True");
        var generation = deployment.Metadata.Generation;
        Assert.False(status.ObservedGeneration > generation, $"{where}: observedGeneration {status.ObservedGeneration} is newer than generation {generation}");
        Assert.All(conditions, c => Assert.False(c.ObservedGeneration > generation, $"{where}: {c.Type} observed generation {c.ObservedGeneration} is newer than generation {generation}"));
        return deployment;
    }
}
