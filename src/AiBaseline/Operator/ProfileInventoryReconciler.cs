using AiBaseline.Api.V1Alpha1;
using AiBaseline.Controller;
using AiBaseline.Controller.Hosting;
using AiBaseline.Controller.Informers;
using AiBaseline.Controller.Writers;
using AiBaseline.Engine.Inventory;

namespace AiBaseline.Operator;

/// <summary>
/// Writes the cluster's inventory of model servers (EN 304 223 5.2.1-1) to each BaselineProfile's status.inventory, so
/// <c>kubectl get baselineprofiles</c> shows how many are undeclared: counts, and the first
/// <see cref="InventorySummary.Listed"/> undeclared workloads by namespace, kind and name. The undeclared ones are those
/// <see cref="InventoryReconciler"/> has found; nothing is sent when the cached profile already shows the summary.
/// </summary>
internal sealed class ProfileInventoryReconciler(ClusterCaches caches, Func<IReadOnlyCollection<UndeclaredWorkload>> undeclared, StatusWriter statusWriter, ILogger<ProfileInventoryReconciler> logger) : IReconciler
{
    /// <summary>Every profile: the inventory changed.</summary>
    public IEnumerable<ObjectKey> AllProfiles() => caches.Profiles.Cache.List().Select(p => ObjectKey.Of(p));

    /// <summary>A profile that appeared or whose spec changed; the echo of the summary's own write passes nothing.</summary>
    public static IEnumerable<ObjectKey> OfProfile(InformerEvent<BaselineProfile> change) =>
        change.Type == InformerEventType.Deleted || (change.OldObject is { } old && old.Metadata.Generation == change.Object.Metadata.Generation && old.Metadata.ResourceVersion != change.Object.Metadata.ResourceVersion)
            ? []
            : [ObjectKey.Of(change.Object)];

    /// <summary>A deployment that appeared, went away or names another workload changes the declared count.</summary>
    public IEnumerable<ObjectKey> OfModelDeployment(InformerEvent<AIModelDeployment> change)
    {
        var (now, old) = (change.Object.Spec?.WorkloadRef, change.OldObject?.Spec?.WorkloadRef);
        return change.Type != InformerEventType.Updated || now?.Kind != old?.Kind || now?.Name != old?.Name ? AllProfiles() : [];
    }

    /// <summary>The summary of the cluster as the caches show it.</summary>
    public InventorySummary Summary()
    {
        var declared = caches.ModelDeployments.Cache.List()
            .Where(d => d.Spec?.WorkloadRef is { Name.Length: > 0 } && caches.WorkloadOf(d) is not null)
            .Select(d => (d.Metadata.NamespaceProperty, d.Spec.WorkloadRef!.Kind, d.Spec.WorkloadRef.Name))
            .Distinct()
            .Count();
        var found = undeclared()
            .OrderBy(u => u.Namespace, StringComparer.Ordinal)
            .ThenBy(u => u.Kind.ToString(), StringComparer.Ordinal)
            .ThenBy(u => u.Name, StringComparer.Ordinal)
            .ToList();
        return new InventorySummary
        {
            Declared = declared,
            Undeclared = found.Count,
            UndeclaredWorkloads = found.Count == 0 ? null : [.. found.Take(InventorySummary.Listed).Select(u => new InventoryWorkload { Namespace = u.Namespace, Kind = u.Kind.ToString(), Name = u.Name })],
        };
    }

    public async Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        if (caches.Profiles.Cache.Get(key) is not { } cached)
        {
            return ReconcileResult.Done;
        }

        var summary = Summary();
        if (Same(cached.Status?.Inventory, summary))
        {
            return ReconcileResult.Done;
        }

        var outcome = await statusWriter.UpdateAsync<BaselineProfile>(
            OperatorResources.BaselineProfiles,
            key,
            current => new BaselineProfileStatus
            {
                ObservedGeneration = current.Status?.ObservedGeneration,
                Conditions = current.Status?.Conditions,
                Inventory = summary,
            },
            cancellationToken);
        if (outcome == StatusWriteOutcome.Written)
        {
            logger.LogInformation("Updated inventory of BaselineProfile {Name}: {Declared} declared, {Undeclared} undeclared", key.Name, summary.Declared, summary.Undeclared);
        }

        return ReconcileResult.Done;
    }

    private static bool Same(InventorySummary? a, InventorySummary b) =>
        a is not null && a.Declared == b.Declared && a.Undeclared == b.Undeclared
        && (a.UndeclaredWorkloads ?? []).Select(w => (w.Namespace, w.Kind, w.Name)).SequenceEqual((b.UndeclaredWorkloads ?? []).Select(w => (w.Namespace, w.Kind, w.Name)));
}
