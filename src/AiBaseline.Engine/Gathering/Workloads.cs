using AiBaseline.Api.V1Alpha1;
using k8s.Models;

namespace AiBaseline.Engine.Gathering;

/// <summary>Turns the Kubernetes workload objects into the engine's view of a workload.</summary>
public static class Workloads
{
    /// <summary>The engine's view of a Deployment.</summary>
    public static WorkloadState From(V1Deployment deployment) =>
        new(WorkloadKind.Deployment, deployment.Metadata?.Name ?? "", deployment.Spec?.Replicas, deployment.Spec?.Template ?? new V1PodTemplateSpec());

    /// <summary>The engine's view of a StatefulSet.</summary>
    public static WorkloadState From(V1StatefulSet statefulSet) =>
        new(WorkloadKind.StatefulSet, statefulSet.Metadata?.Name ?? "", statefulSet.Spec?.Replicas, statefulSet.Spec?.Template ?? new V1PodTemplateSpec());
}
