using AiBaseline.Api.V1Alpha1;

namespace AiBaseline.Engine.Controls;

/// <summary>What every control gets: the snapshot, the resolved profile settings and the evaluation time.</summary>
public sealed class EvaluationContext(Snapshot snapshot, BaselineProfileSpec profile, DateTimeOffset now)
{
    /// <summary>Reason of controls that need the workload when spec.workloadRef names one that does not exist.</summary>
    public const string WorkloadNotFoundReason = "WorkloadNotFound";

    /// <summary>Reason of controls that need the workload when the deployment declares none (stages Design and Development).</summary>
    public const string NoWorkloadReason = "NoWorkload";

    public Snapshot Snapshot { get; } = snapshot;

    public BaselineProfileSpec Profile { get; } = profile;

    public DateTimeOffset Now { get; } = now;

    public AIModelDeployment Deployment => Snapshot.Deployment;

    /// <summary>The stage the deployment is judged in: the one the cluster shows (<see cref="ObservedStage"/>).</summary>
    public LifecycleStage Stage { get; } = ObservedStage.Of(snapshot).Judged;

    public string Namespace => Snapshot.Deployment.Metadata.NamespaceProperty ?? "default";

    /// <summary>
    /// For controls that judge the serving pods: the outcome to report when there are none to judge, or
    /// null when <see cref="Snapshot.Workload"/> is there. In stage Retirement pods are no longer judged.
    /// </summary>
    public ControlOutcome? WorkloadGate()
    {
        if (Stage == LifecycleStage.Retirement)
        {
            return ControlOutcome.NotApplicable("Retired", "the model is retired; its pods are no longer judged");
        }

        var reference = Deployment.Spec.WorkloadRef;
        if (reference is null)
        {
            return Stage is LifecycleStage.Design or LifecycleStage.Development
                ? ControlOutcome.NotApplicable(NoWorkloadReason, "no workload is declared in stage " + Stage)
                : ControlOutcome.Unknown(NoWorkloadReason, "spec.workloadRef is not set, so there are no pods to check");
        }

        return Snapshot.Workload is null
            ? ControlOutcome.Unknown(WorkloadNotFoundReason, $"{reference.Kind} {Namespace}/{reference.Name} named in spec.workloadRef was not found")
            : null;
    }
}
