using System.Collections.Immutable;
using AiBaseline.Api.V1Alpha1;

namespace AiBaseline.Engine.Controls;

/// <summary>
/// AssetInventory: every model served in the deployment's namespace is on the inventory, that is, declared by an
/// AIModelDeployment, so nothing serves a model that nobody answers for.
/// <para>Reads: <see cref="Snapshot.UndeclaredModelServers"/>, the workloads of the namespace that
/// <see cref="Inventory.ModelServers"/> takes for model servers (a serving stack's kind, a known model-server image, an
/// accelerator request) and that no AIModelDeployment's spec.workloadRef names; workloads another object controls count
/// through their owner.</para>
/// <para>Passes when there is none. Fails naming the first few (kind, name and what made it a model server) and saying
/// what to create. Model servers of other namespaces do not count: each namespace's deployments answer for their own
/// namespace. A workload nothing marks as a model server is never counted, so an ordinary workload cannot fail a
/// deployment. Not applicable in stage Retirement. Its condition, InventoryComplete, is written only while the inventory
/// is incomplete (False); when met, status.controls and status.provisions say so.</para>
/// <para>Serves EN 304 223 5.2.1-1 (a complete inventory of assets). How the assets depend on each other is read by the
/// other controls (images, models, Secrets, Services), not here.</para>
/// </summary>
public sealed class AssetInventoryControl : IControl
{
    /// <summary>Every model server of the namespace is declared.</summary>
    public const string AllDeclaredReason = "AllDeclared";

    /// <summary>A model server of the namespace has no AIModelDeployment.</summary>
    public const string UndeclaredModelServerReason = "UndeclaredModelServer";

    /// <summary>How many undeclared model servers a message names.</summary>
    public const int Named = 3;

    public string Name => "AssetInventory";

    public string ConditionType => ConditionTypes.InventoryComplete;

    public ImmutableArray<string> Provisions { get; } = ["5.2.1-1"];

    /// <inheritdoc/>
    public bool ConditionWhenMet => false;

    public ControlOutcome Evaluate(EvaluationContext context)
    {
        if (context.Stage == LifecycleStage.Retirement)
        {
            return ControlOutcome.NotApplicable("Retired", "the model is retired");
        }

        var undeclared = context.Snapshot.UndeclaredModelServers
            .Where(u => u.Namespace == context.Namespace)
            .OrderBy(u => u.Kind.ToString(), StringComparer.Ordinal)
            .ThenBy(u => u.Name, StringComparer.Ordinal)
            .ToList();
        if (undeclared.Count == 0)
        {
            return ControlOutcome.Met(AllDeclaredReason, "every model server of the namespace is declared");
        }

        var named = string.Join("; ", undeclared.Take(Named).Select(u => $"{u.Kind} {u.Name} ({u.Why})"));
        var more = undeclared.Count > Named ? $" and {undeclared.Count - Named} more" : "";
        var verb = undeclared.Count == 1 ? "has" : "have";
        return ControlOutcome.NotMet(
            UndeclaredModelServerReason,
            $"{named}{more} in namespace {context.Namespace} {verb} no AIModelDeployment: create one for each, whose spec.workloadRef names its kind and name");
    }
}
