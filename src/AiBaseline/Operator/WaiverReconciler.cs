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
            var left = WaiverRules.ExpiresAt(waiver) - time.GetUtcNow();
            return ReconcileResult.After(left > TimeSpan.Zero ? left : TimeSpan.FromSeconds(1));
        }

        return ReconcileResult.Done;
    }

    private BaselineProfile? ProfileOf(string name) => caches.Profiles.Cache.Get(new ObjectKey(null, name));
}
