using AiBaseline.Api.V1Alpha1;

namespace AiBaseline.Engine;

/// <summary>
/// The stage a deployment is judged in: the one the cluster shows, whatever spec.stage declares. A workload that serves
/// (it asks for replicas: spec.replicas above zero, or unset, which means one) is in the Deployment phase even when
/// spec.stage says Design or Development, so the deployment phase's controls and provisions apply to it. Stages
/// Deployment, Maintenance and Retirement are taken as declared (Retirement has its own rule: the Retirement control
/// proves the workload is gone).
/// </summary>
/// <param name="Declared">spec.stage.</param>
/// <param name="Judged">The stage whose controls and provisions apply.</param>
/// <param name="Mismatch">What does not match and what to do, or null when the cluster shows the declared stage.</param>
public sealed record ObservedStage(LifecycleStage Declared, LifecycleStage Judged, string? Mismatch)
{
    /// <summary>Reason of the StageConsistent condition when the workload serves in a stage before Deployment.</summary>
    public const string StageMismatchReason = "StageMismatch";

    public static ObservedStage Of(Snapshot snapshot)
    {
        var declared = snapshot.Deployment.Spec.Stage;
        if (declared is not (LifecycleStage.Design or LifecycleStage.Development) || snapshot.Workload is not { } workload || !Serves(workload))
        {
            return new ObservedStage(declared, declared, null);
        }

        var ns = snapshot.Deployment.Metadata.NamespaceProperty ?? "default";
        var replicas = workload.Replicas is { } n ? $"{n} replicas" : "replicas unset, so 1";
        return new ObservedStage(
            declared,
            LifecycleStage.Deployment,
            $"spec.stage declares {declared}, but {workload.Kind} {ns}/{workload.Name} serves ({replicas}), so it is judged in stage Deployment: set spec.stage to Deployment, or scale the workload to zero while the model is in {declared}");
    }

    private static bool Serves(WorkloadState workload) => (workload.Replicas ?? 1) > 0;
}
