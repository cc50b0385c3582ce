using System.Collections.Immutable;
using AiBaseline.Api.V1Alpha1;
using AiBaseline.Engine.Controls;
using AiBaseline.Engine.Status;
using k8s.Models;

namespace AiBaseline.Engine.Waivers;

/// <summary>A waiver that selects the deployment, with whether it applies.</summary>
public sealed record JudgedWaiver(BaselineException Waiver, WaiverVerdict Verdict)
{
    public string Name => Waiver.Metadata.Name;
}

/// <summary>
/// Applies the waivers that select a deployment to its control outcomes and provision results. Only a result that
/// would be NotMet or Unknown is waived: a Met stays Met and a NotApplicable stays so. A waived control's condition
/// keeps its finding after the waiver's name, approver, ticket and expiry. A waiver that does not apply changes no
/// result; the WaiversCurrent condition says why.
/// </summary>
internal static class WaiverApplication
{
    /// <summary>The waivers, by name, judged under the profile.</summary>
    public static ImmutableArray<JudgedWaiver> Judge(ImmutableArray<BaselineException> waivers, BaselineProfileSpec profile, DateTimeOffset now) =>
        [.. waivers.OrderBy(w => w.Metadata.Name, StringComparer.Ordinal).Select(w => new JudgedWaiver(w, WaiverRules.Judge(w, profile, now)))];

    public static ImmutableArray<EvaluatedControl> ToControls(ImmutableArray<EvaluatedControl> outcomes, ImmutableArray<JudgedWaiver> waivers)
    {
        if (!waivers.Any(w => w.Verdict.Applies))
        {
            return outcomes;
        }

        return [.. outcomes.Select(evaluated =>
        {
            var outcome = evaluated.Outcome;
            if (outcome.Result is not (ControlResult.NotMet or ControlResult.Unknown)
                || FirstApplying(waivers, s => s.Controls, evaluated.Control.Name) is not { } waiver)
            {
                return evaluated;
            }

            var message = $"{waiver.Verdict.Message}; found: {outcome.Message}";
            return evaluated with { Outcome = new ControlOutcome(ControlResult.Waived, ReadyReasons.Waived, message) { Waiver = waiver.Name } };
        })];
    }

    /// <summary>
    /// Names the waiver of each provision that waived controls decide alone, and waives a NotMet or Unknown provision
    /// that a waiver names.
    /// </summary>
    public static ImmutableArray<ProvisionStatus> ToProvisions(ImmutableArray<ProvisionStatus> provisions, ImmutableArray<EvaluatedControl> outcomes, ImmutableArray<JudgedWaiver> waivers)
    {
        if (!waivers.Any(w => w.Verdict.Applies))
        {
            return provisions;
        }

        return [.. provisions.Select(p => p.Result switch
        {
            ProvisionResult.Waived when p.Waiver is null => p with
            {
                Waiver = outcomes.FirstOrDefault(o => o.Outcome.Waiver is not null && o.Control.Provisions.Contains(p.Id))?.Outcome.Waiver,
            },
            ProvisionResult.NotMet or ProvisionResult.Unknown when FirstApplying(waivers, s => s.Provisions, p.Id) is { } waiver =>
                p with { Result = ProvisionResult.Waived, Waiver = waiver.Name },
            _ => p,
        })];
    }

    /// <summary>WaiversCurrent, present while a waiver selects the deployment.</summary>
    public static IEnumerable<V1Condition> Conditions(AIModelDeployment deployment, ImmutableArray<JudgedWaiver> waivers, DateTimeOffset now)
    {
        if (waivers.IsEmpty)
        {
            yield break;
        }

        var failing = waivers.Where(w => !w.Verdict.Applies).ToList();
        var (status, reason, messages) = failing.Count > 0
            ? ("False", failing[0].Verdict.Reason, failing.Select(w => w.Verdict.Message))
            : ("True", WaiverReasons.Current, waivers.Select(w => w.Verdict.Message));
        yield return ConditionBuilder.Stamp(
            deployment.Status?.Conditions ?? [], ConditionTypes.WaiversCurrent, status, reason, string.Join("; ", messages), deployment.Metadata.Generation, now);
    }

    private static JudgedWaiver? FirstApplying(ImmutableArray<JudgedWaiver> waivers, Func<BaselineExceptionSpec, List<string>?> names, string name) =>
        waivers.FirstOrDefault(w => w.Verdict.Applies && (names(w.Waiver.Spec)?.Contains(name, StringComparer.Ordinal) ?? false));
}
