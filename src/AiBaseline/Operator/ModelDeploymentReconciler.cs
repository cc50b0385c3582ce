using AiBaseline.Api.V1Alpha1;
using AiBaseline.Controller;
using AiBaseline.Controller.Hosting;
using AiBaseline.Controller.Writers;
using AiBaseline.Engine;
using AiBaseline.Engine.Catalog;
using AiBaseline.Engine.Status;
using AiBaseline.Engine.Waivers;
using k8s.Models;

namespace AiBaseline.Operator;

/// <summary>
/// Reconciles one AIModelDeployment: gather the snapshot from the caches, evaluate it with the engine, mark it
/// <see cref="ReconcilingCondition">Reconciling</see> while its verdict waits on a scheduled retry, write the status
/// once and only when it changed (with the verdict history, <see cref="VerdictHistory"/>, in the same write), record an
/// event per condition that moved, then let <see cref="RetirementHold"/> add,
/// keep or remove the retirement finalizer on that verdict. A pass that throws writes nothing and is retried with
/// backoff; its status stays the last one written. It comes back by itself when evidence starts to count, enters the
/// expiry warning window or expires (<see cref="EvidenceExpiry"/>).
/// </summary>
internal sealed class ModelDeploymentReconciler(
    ClusterCaches caches,
    StatusWriter statusWriter,
    EventRecorder events,
    ProductMetrics metrics,
    ProvenanceChecker provenance,
    RetirementHold retirement,
    TimeProvider time,
    ILogger<ModelDeploymentReconciler> logger) : IReconciler
{
    private readonly SnapshotGatherer gatherer = new(caches);

    public async Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        if (caches.ModelDeployments.Cache.Get(key) is not { } cached)
        {
            metrics.Forget(key);
            return ReconcileResult.Done;
        }

        // Registry evidence is gathered before the status write, from the cached object, so a conflict retry
        // re-judges the newest spec without contacting registries again.
        var checkedProvenance = await provenance.CheckAsync(cached, caches.WorkloadOf(cached), ProfileOf(cached), cancellationToken);
        AIModelDeploymentStatus? before = null;
        AIModelDeploymentStatus? after = null;
        var outcome = await statusWriter.UpdateAsync<AIModelDeployment>(
            OperatorResources.AIModelDeployments,
            key,
            current =>
            {
                // Evaluate the object as just read, so a retry after a conflict judges the newest spec. A changed verdict
                // enters the history in this same write; an unchanged one carries the stored history over as it is.
                before = current.Status;
                var now = time.GetUtcNow();
                after = VerdictHistory.Record(before, ReconcilingCondition.Apply(Evaluate(current, checkedProvenance), checkedProvenance.Retry, current, now), now);
                return after;
            },
            cancellationToken,
            withoutStatus: cached.Status is null ? cached : null);

        if (outcome == StatusWriteOutcome.NotFound)
        {
            metrics.Forget(key);
            return ReconcileResult.Done;
        }

        var verdict = after ?? Evaluate(cached, checkedProvenance);
        metrics.Record(key, verdict);
        if (outcome == StatusWriteOutcome.Written && after is not null)
        {
            logger.LogInformation("Updated status of AIModelDeployment {Namespace}/{Name}: {Compliance} provisions met", key.Namespace, key.Name, after.Compliance);
            await RecordEventsAsync(cached, before, after, cancellationToken);
        }

        // The status is written first, so while a deletion is held the Retirement condition already says what remains.
        await retirement.ApplyAsync(key, cached, verdict, cancellationToken);

        return new[] { checkedProvenance.Retry?.After, EvidenceChangesIn(cached), UntilWaiverExpires(cached) }.Where(t => t is not null).Min() is { } delay
            ? ReconcileResult.After(delay)
            : ReconcileResult.Done;
    }

    /// <summary>Time until the first waiver in effect expires: the verdict changes then without any other change.</summary>
    private TimeSpan? UntilWaiverExpires(AIModelDeployment deployment)
    {
        var now = time.GetUtcNow();
        if (ProfileOf(deployment) is not { } profile || WaiverRules.NextExpiry(caches.WaiversOf(deployment), profile.Spec, now) is not { } expiry)
        {
            return null;
        }

        return WaiverReconciler.WaitFor(expiry - now);
    }

    /// <summary>Timers cannot wait longer than about 49 days; a far expiry is looked at again on the way.</summary>
    private static readonly TimeSpan LongestEvidenceWait = TimeSpan.FromDays(7);

    /// <summary>How long until time alone changes the evidence verdict; a second past midnight UTC, so the day has turned.</summary>
    private TimeSpan? EvidenceChangesIn(AIModelDeployment deployment)
    {
        var now = time.GetUtcNow();
        var policy = ProfileOf(deployment)?.Spec.Evidence ?? new EvidencePolicy();
        return EvidenceExpiry.NextChange(deployment, policy, now) is { } at ? Soonest(at - now + TimeSpan.FromSeconds(1), LongestEvidenceWait) : null;
    }

    private static TimeSpan? Soonest(TimeSpan? a, TimeSpan? b) => a is null ? b : b is null ? a : a < b ? a : b;

    private BaselineProfile? ProfileOf(AIModelDeployment deployment) =>
        caches.Profiles.Cache.Get(new ObjectKey(null, BaselineEngine.ProfileName(deployment)));

    private AIModelDeploymentStatus Evaluate(AIModelDeployment deployment, ProvenanceResult evidence) =>
        BaselineEngine.Evaluate(gatherer.Gather(deployment) with { Provenance = evidence.Provenance, ModelSignatures = evidence.ModelSignatures }, ProfileOf(deployment), time);

    private async Task RecordEventsAsync(AIModelDeployment deployment, AIModelDeploymentStatus? before, AIModelDeploymentStatus after, CancellationToken cancellationToken)
    {
        var regarding = new V1ObjectReference
        {
            ApiVersion = ApiGroup.GroupVersion,
            Kind = ApiGroup.AIModelDeploymentKind,
            Name = deployment.Metadata.Name,
            NamespaceProperty = deployment.Metadata.NamespaceProperty,
            Uid = deployment.Metadata.Uid,
        };
        foreach (var change in ConditionEvents.Between(before, after))
        {
            await events.RecordAsync(regarding, change.Type, change.Reason, "Evaluated", change.Note, cancellationToken);
        }
    }
}
