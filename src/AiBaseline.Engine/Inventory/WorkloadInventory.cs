using AiBaseline.Api.V1Alpha1;

namespace AiBaseline.Engine.Inventory;

/// <summary>The model servers that no AIModelDeployment declares, from any list of workloads: the cluster's or the manifests'.</summary>
public static class WorkloadInventory
{
    /// <summary>
    /// The undeclared model servers among <paramref name="workloads"/>, in the order given. A workload another object
    /// controls (a Job of a CronJob, a Deployment KServe made) is left out: its owner is the one declared or not.
    /// </summary>
    /// <param name="workloads">Every workload with its namespace and whether a controller owns it.</param>
    /// <param name="declared">Whether an AIModelDeployment of that namespace names that kind and name in spec.workloadRef.</param>
    public static IEnumerable<(T Source, UndeclaredWorkload Workload)> Undeclared<T>(
        IEnumerable<(T Source, string Namespace, WorkloadState Workload, bool Owned)> workloads,
        Func<WorkloadKind, string, string, bool> declared)
    {
        foreach (var (source, ns, workload, owned) in workloads)
        {
            if (!owned && !declared(workload.Kind, ns, workload.Name) && ModelServers.Why(workload) is { } why)
            {
                yield return (source, new UndeclaredWorkload(workload.Kind, ns, workload.Name, why));
            }
        }
    }
}
