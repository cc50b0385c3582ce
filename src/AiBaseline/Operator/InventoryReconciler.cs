using System.Collections.Concurrent;
using AiBaseline.Api.V1Alpha1;
using AiBaseline.Controller;
using AiBaseline.Controller.Hosting;
using AiBaseline.Controller.Informers;
using AiBaseline.Controller.Writers;
using AiBaseline.Engine.Inventory;
using AiBaseline.Engine.Workloads;
using k8s.Models;

namespace AiBaseline.Operator;

/// <summary>
/// The inventory of EN 304 223 5.2.1-1 in the cluster: for each workload that changes (and each workload an
/// AIModelDeployment starts or stops naming), whether it is a model server that no AIModelDeployment declares. The
/// undeclared ones are counted in <c>aibaseline_undeclared_workloads</c> and each gets a Warning event when it is found.
/// Keys are <c>namespace/Kind/name</c>; everything is read from the informer caches.
/// </summary>
internal sealed class InventoryReconciler(ClusterCaches caches, EventRecorder events, ILogger<InventoryReconciler> logger) : IReconciler
{
    /// <summary>Reason of the Warning event on an undeclared model server.</summary>
    public const string UndeclaredReason = "UndeclaredModelServer";

    private const string FoundMessage = "Found model server {Workload} without an AIModelDeployment: {Why}";
    private readonly ConcurrentDictionary<ObjectKey, UndeclaredWorkload> undeclared = new();

    /// <summary>Called when a model server joins or leaves the undeclared ones.</summary>
    public Action? Changed { get; set; }

    /// <summary>The undeclared model servers found so far.</summary>
    public IReadOnlyCollection<UndeclaredWorkload> Undeclared => [.. undeclared.Values];

    /// <summary>The key of a workload: its namespace, and its kind and name.</summary>
    public static ObjectKey KeyOf(WorkloadKind kind, string? ns, string name) => new(ns, $"{kind}/{name}");

    /// <summary>Keys of the workload an informer event concerns.</summary>
    public static Func<InformerEvent<T>, IEnumerable<ObjectKey>> OfWorkload<T>(WorkloadKind kind)
        where T : class, k8s.IKubernetesObject<V1ObjectMeta> =>
        change => [KeyOf(kind, change.Object.Metadata.NamespaceProperty, change.Object.Metadata.Name)];

    /// <summary>The workloads a deployment names, before and after the change: declaring one takes it off the list.</summary>
    public static IEnumerable<ObjectKey> OfModelDeployment(InformerEvent<AIModelDeployment> change) =>
        new[] { change.Object, change.OldObject }
            .Where(d => d?.Spec?.WorkloadRef is { Name.Length: > 0 })
            .Select(d => KeyOf(d!.Spec.WorkloadRef!.Kind, d.Metadata.NamespaceProperty, d.Spec.WorkloadRef.Name))
            .Distinct();

    public async Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        var slash = key.Name.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0 || !Enum.TryParse<WorkloadKind>(key.Name[..slash], out var kind) || key.Namespace is not { } ns)
        {
            return ReconcileResult.Done;
        }

        var name = key.Name[(slash + 1)..];
        var workload = caches.Workload(kind, ns, name);
        var declared = caches.ModelDeployments.Cache.ByIndex(ClusterCaches.ByWorkload, ClusterCaches.WorkloadIndexValue(ns, kind, name)).Length > 0;
        var why = workload is null || workload.Owned || declared ? null : ModelServers.Why(workload.State);
        if (why is null)
        {
            if (undeclared.TryRemove(key, out _))
            {
                Changed?.Invoke();
            }

            return ReconcileResult.Done;
        }

        var found = new UndeclaredWorkload(kind, ns, name, why);
        if (undeclared.TryGetValue(key, out var known) && known == found)
        {
            return ReconcileResult.Done;
        }

        undeclared[key] = found;
        Changed?.Invoke();
        logger.LogInformation(FoundMessage, found.ToString(), why);
        var type = WorkloadTypes.Of(kind);
        var regarding = new V1ObjectReference
        {
            ApiVersion = type.Group.Length == 0 ? type.Version : $"{type.Group}/{type.Version}",
            Kind = type.ObjectKind,
            Name = name,
            NamespaceProperty = ns,
            Uid = workload!.Metadata.Uid,
        };
        await events.RecordAsync(
            regarding,
            EventType.Warning,
            UndeclaredReason,
            "Inventory",
            $"{why}, but no AIModelDeployment declares it (EN 304 223 5.2.1-1): create one whose spec.workloadRef names {type.ObjectKind} {name}",
            cancellationToken);
        return ReconcileResult.Done;
    }
}
