using AiBaseline.Api.V1Alpha1;
using k8s.Models;

namespace AiBaseline.Engine.Gathering;

/// <summary>Turns the Kubernetes workload objects into the engine's view of a workload.</summary>
public static class Workloads
{
    /// <summary>The engine's view of a Deployment.</summary>
    public static WorkloadState From(V1Deployment deployment) =>
        new WorkloadState(WorkloadKind.Deployment, deployment.Metadata?.Name ?? "", deployment.Spec?.Replicas, deployment.Spec?.Template ?? new V1PodTemplateSpec())
        {
            RevisionHistoryLimit = deployment.Spec?.RevisionHistoryLimit,
            GitOpsTracker = GitOps.TrackerOf(deployment.Metadata?.Labels, deployment.Metadata?.Annotations),
        };

    /// <summary>The engine's view of a StatefulSet.</summary>
    public static WorkloadState From(V1StatefulSet statefulSet) =>
        new WorkloadState(WorkloadKind.StatefulSet, statefulSet.Metadata?.Name ?? "", statefulSet.Spec?.Replicas, statefulSet.Spec?.Template ?? new V1PodTemplateSpec())
        {
            RevisionHistoryLimit = statefulSet.Spec?.RevisionHistoryLimit,
            GitOpsTracker = GitOps.TrackerOf(statefulSet.Metadata?.Labels, statefulSet.Metadata?.Annotations),
        };

    /// <summary>The engine's view of a DaemonSet.</summary>
    public static WorkloadState From(V1DaemonSet daemonSet) =>
        new WorkloadState(WorkloadKind.DaemonSet, daemonSet.Metadata?.Name ?? "", null, daemonSet.Spec?.Template ?? new V1PodTemplateSpec())
        {
            RevisionHistoryLimit = daemonSet.Spec?.RevisionHistoryLimit,
            GitOpsTracker = GitOps.TrackerOf(daemonSet.Metadata?.Labels, daemonSet.Metadata?.Annotations),
        };
}
