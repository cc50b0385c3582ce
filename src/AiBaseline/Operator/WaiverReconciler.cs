using AiBaseline.Api.V1Alpha1;
using AiBaseline.Controller;
using AiBaseline.Controller.Hosting;
using AiBaseline.Controller.Writers;
using AiBaseline.Engine.Waivers;

namespace AiBaseline.Operator;

/// <summary>
/// Reconciles one BaselineException's status: the deployments it selects and whether it is active, written once and only
/// when it changed. An active waiver is reconciled again at its expiry, so its status turns False without any other change
/// (the deployments it waived are requeued for that moment by <see cref="ModelDeploymentReconciler"/>).
/// </summary>
internal sealed class WaiverReconciler(ClusterCaches caches, StatusWriter statusWriter, TimeProvider time, ILogger<WaiverReconciler> logger) : IReconciler
{
    /// <summary>
    /// The longest wait before judging a waiver or a deployment again. Waivers last up to years, and a timer cannot wait
    /// more than about 49 days; coming back daily costs nothing and lands on the expiry all the same.
    /// </summary>
    public static readonly TimeSpan MaxWait = TimeSpan.FromDays(1);

    /// <summary>How long to wait for an expiry <paramref name="left"/> away: at least a second, at most <see cref="MaxWait"/>.</summary>
    public static TimeSpan WaitFor(TimeSpan left) =>
        left < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : left > MaxWait ? MaxWait : left;

    public async Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        if (caches.Waivers.Cache.Get(key) is null)
        {
            return ReconcileResult.Done;
        }

        BaselineExceptionStatus? written = null;
        var outcome = await statusWriter.UpdateAsync<BaselineException>(
            OperatorResources.BaselineExceptions,
            key,
            current =>
            {
                var selected = caches.ModelDeployments.Cache.ListByNamespace(key.Namespace ?? "").Where(d => WaiverRules.Selects(current, d));
                written = WaiverStatusBuilder.Build(current, selected, ProfileOf, time.GetUtcNow());
                return written;
            },
            cancellationToken);

        var active = written?.Conditions?.FirstOrDefault(c => c.Type == WaiverConditionTypes.Active);
        if (outcome == StatusWriteOutcome.Written && active is not null)
        {
            logger.LogInformation("Updated status of BaselineException {Namespace}/{Name}: {Reason}", key.Namespace, key.Name, active.Reason);
        }

        if (active?.Status == "True" && caches.Waivers.Cache.Get(key) is { } waiver)
        {
            return ReconcileResult.After(WaitFor(WaiverRules.ExpiresAt(waiver) - time.GetUtcNow()));
        }

        return ReconcileResult.Done;
    }

    private BaselineProfile? ProfileOf(string name) => caches.Profiles.Cache.Get(new ObjectKey(null, name));
}
