using System.Collections.Immutable;
using AiBaseline.Api.V1Alpha1;

namespace AiBaseline.Engine.Workloads;

/// <summary>Where a workload kind lives in the Kubernetes API, and whether it is built in or comes with a CRD.</summary>
/// <param name="Kind">The kind as spec.workloadRef names it.</param>
/// <param name="Group">Its API group; empty for the core group.</param>
/// <param name="Version">The version the operator reads.</param>
/// <param name="Plural">The resource name.</param>
/// <param name="ObjectKind">The kind as objects of it carry it in their own <c>kind</c>.</param>
/// <param name="Crd">Installed by a CustomResourceDefinition (watched only when it exists), rather than built in.</param>
public sealed record WorkloadType(WorkloadKind Kind, string Group, string Version, string Plural, string ObjectKind, bool Crd)
{
    /// <summary>The CustomResourceDefinition's name, <c>plural.group</c>.</summary>
    public string CrdName => $"{Plural}.{Group}";
}

/// <summary>Every workload kind spec.workloadRef may name.</summary>
public static class WorkloadTypes
{
    public static ImmutableArray<WorkloadType> All { get; } =
    [
        new(WorkloadKind.Deployment, "apps", "v1", "deployments", "Deployment", Crd: false),
        new(WorkloadKind.StatefulSet, "apps", "v1", "statefulsets", "StatefulSet", Crd: false),
        new(WorkloadKind.DaemonSet, "apps", "v1", "daemonsets", "DaemonSet", Crd: false),
        new(WorkloadKind.Job, "batch", "v1", "jobs", "Job", Crd: false),
        new(WorkloadKind.CronJob, "batch", "v1", "cronjobs", "CronJob", Crd: false),
        new(WorkloadKind.Pod, "", "v1", "pods", "Pod", Crd: false),
        new(WorkloadKind.LeaderWorkerSet, "leaderworkerset.x-k8s.io", "v1", "leaderworkersets", "LeaderWorkerSet", Crd: true),
        new(WorkloadKind.InferenceService, "serving.kserve.io", "v1beta1", "inferenceservices", "InferenceService", Crd: true),
        new(WorkloadKind.RayService, "ray.io", "v1", "rayservices", "RayService", Crd: true),
        new(WorkloadKind.RayCluster, "ray.io", "v1", "rayclusters", "RayCluster", Crd: true),
        new(WorkloadKind.Service, "serving.knative.dev", "v1", "services", "Service", Crd: true),
    ];

    /// <summary>The workload type of an object's apiVersion group and kind; null when it is not a workload.</summary>
    public static WorkloadType? Of(string group, string kind) =>
        All.FirstOrDefault(t => t.Group == group && t.ObjectKind == kind);

    /// <summary>The type of a workload kind.</summary>
    public static WorkloadType Of(WorkloadKind kind) => All.First(t => t.Kind == kind);
}
