using System.Collections.Immutable;
using AiBaseline.Api.V1Alpha1;

namespace AiBaseline.Engine.Controls;

/// <summary>
/// Retirement: a retired model is disposed of: nothing serves it any more and the Services, Secrets and
/// volumes listed in <c>spec.retirement</c> are deleted.
/// <list type="bullet">
/// <item>Reads <c>spec.stage</c>, <c>spec.workloadRef</c>, <c>spec.retirement</c> (services, secrets,
/// persistentVolumeClaims), the workload and its <c>spec.replicas</c>, the names of the namespace's
/// Services, Secrets and PersistentVolumeClaims; profile <c>retirement.allowScaledToZero</c>.</item>
/// <item>Applies only in stage Retirement. Passes when the workload is gone, or scaled to zero replicas
/// while the profile allows that, and none of the listed objects exists any more.</item>
/// <item>Serves EN 304 223 5.5.1-1 and 5.5.1-2 (securely dispose of the model, its data and its
/// configuration when it is handed over or decommissioned).</item>
/// </list>
/// </summary>
public sealed class RetirementControl : IControl
{
    /// <summary>The stage is not Retirement.</summary>
    public const string NotRetiringReason = "NotRetiring";

    /// <summary>The workload and every listed object are gone.</summary>
    public const string DisposedReason = "Disposed";

    /// <summary>Something that must be gone is still there.</summary>
    public const string DisposalIncompleteReason = "DisposalIncomplete";

    public string Name => "Retirement";

    public string ConditionType => ConditionTypes.RetirementComplete;

    public ImmutableArray<string> Provisions { get; } = ["5.5.1-1", "5.5.1-2"];

    public ControlOutcome Evaluate(EvaluationContext context)
    {
        if (context.Stage != LifecycleStage.Retirement)
        {
            return ControlOutcome.NotApplicable(NotRetiringReason, "the model is in stage " + context.Stage + ", not Retirement");
        }

        var ns = context.Namespace;
        var snapshot = context.Snapshot;
        var remaining = new List<string>();
        if (snapshot.Workload is { } workload)
        {
            var replicas = workload.Replicas ?? 1;
            if (replicas > 0)
            {
                remaining.Add($"{workload.Kind} {ns}/{workload.Name} ({replicas} {(replicas == 1 ? "replica" : "replicas")})");
            }
            else if (!context.Profile.Retirement.AllowScaledToZero)
            {
                remaining.Add($"{workload.Kind} {ns}/{workload.Name} (scaled to zero, but the profile requires deletion)");
            }
        }

        var listed = context.Deployment.Spec.Retirement;
        AddPresent(remaining, "Service", ns, listed?.Services, snapshot.Services);
        AddPresent(remaining, "Secret", ns, listed?.Secrets, snapshot.Secrets.Select(s => s.Name));
        AddPresent(remaining, "PersistentVolumeClaim", ns, listed?.PersistentVolumeClaims, snapshot.PersistentVolumeClaims);

        return remaining.Count == 0
            ? ControlOutcome.Met(DisposedReason, "the workload and every object listed in spec.retirement are gone")
            : ControlOutcome.NotMet(DisposalIncompleteReason, $"still present: {string.Join("; ", remaining)}; delete them (or scale the workload to zero where the profile allows it) to complete disposal");
    }

    /// <summary>Adds the listed names that still exist, sorted, as "Kind namespace/name".</summary>
    private static void AddPresent(List<string> remaining, string kind, string ns, List<string>? listed, IEnumerable<string> existing)
    {
        if (listed is not { Count: > 0 })
        {
            return;
        }

        var present = existing.ToHashSet(StringComparer.Ordinal);
        remaining.AddRange(listed.Where(present.Contains).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Select(name => $"{kind} {ns}/{name}"));
    }
}
