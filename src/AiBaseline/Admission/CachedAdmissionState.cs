using AiBaseline.Api.V1Alpha1;
using AiBaseline.Controller;
using AiBaseline.Engine;
using AiBaseline.Operator;
using k8s.Models;

namespace AiBaseline.Admission;

/// <summary>The webhook's view of the cluster: the operator's informer caches, which every replica keeps whether it leads or not.</summary>
internal sealed class CachedAdmissionState(ClusterCaches caches) : IAdmissionState
{
    public AIModelDeployment? GoverningDeployment(string ns, WorkloadKind kind, string name)
    {
        var governing = caches.ModelDeployments.Cache.ByIndex(ClusterCaches.ByWorkload, ClusterCaches.WorkloadIndexValue(ns, kind, name));
        return governing.IsEmpty ? null : governing[0];
    }

    public BaselineProfile? Profile(string name) => caches.Profiles.Cache.Get(new ObjectKey(null, name));

    public V1ServiceAccount? ServiceAccount(string ns, string name) => caches.ServiceAccounts.Cache.Get(new ObjectKey(ns, name));

    public WorkloadState? WorkloadOf(AIModelDeployment deployment) => caches.WorkloadOf(deployment);
}
