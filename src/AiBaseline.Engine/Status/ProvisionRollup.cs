using System.Collections.Immutable;
using AiBaseline.Api.V1Alpha1;
using AiBaseline.Engine.Catalog;

namespace AiBaseline.Engine.Status;

/// <summary>
/// Turns control outcomes into one result per provision. A provision outside the stage's phases is
/// NotApplicable. A provision that controls decide takes the worst of their results: NotMet over Unknown
/// over Met. A provision no control decides is met only by fresh evidence that covers it
/// (<see cref="EvidenceProvisions"/>), and otherwise awaits attestation.
/// </summary>
internal static class ProvisionRollup
{
    public static ImmutableArray<ProvisionStatus> Roll(
        AIModelDeployment deployment,
        LifecycleStage stage,
        BaselineProfileSpec profile,
        ImmutableArray<EvaluatedControl> outcomes,
        DateTimeOffset now)
    {
        var evidence = new EvidenceProvisions(deployment, profile, now);
        var outOfScope = (profile.Scope.OutOfScope ?? []).GroupBy(e => e.Provision, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Reason, StringComparer.Ordinal);
        var decidingById = DecidingControls(outcomes);
        var result = ImmutableArray.CreateBuilder<ProvisionStatus>(ProvisionCatalog.Provisions.Length);
        foreach (var provision in ProvisionCatalog.Provisions)
        {
            var deciding = decidingById.TryGetValue(provision.Id, out var found) ? found : NoControls;
            if (!StageApplicability.Applies(provision.Phase, stage))
            {
                result.Add(new ProvisionStatus(provision.Id, ProvisionResult.NotApplicable, null) { Reason = $"outside the phases of stage {stage}" });
            }
            else if (outOfScope.TryGetValue(provision.Id, out var why))
            {
                result.Add(new ProvisionStatus(provision.Id, ProvisionResult.NotApplicable, null) { Reason = $"out of scope: {why}" });
            }
            else if (deciding.Count > 0 && !OnlyDeclared(deciding, provision.Id))
            {
                result.Add(new ProvisionStatus(provision.Id, Worst(deciding), null));
            }
            else
            {
                result.Add(evidence.Judge(provision));
            }
        }

        return result.MoveToImmutable();
    }

    private static readonly List<EvaluatedControl> NoControls = [];

    /// <summary>
    /// The controls would meet the provision, but one of them found only what was declared; or none applies, and one of
    /// them left the provision to evidence (its source is not required, or not in the input): evidence decides it.
    /// </summary>
    private static bool OnlyDeclared(List<EvaluatedControl> deciding, string id) => Worst(deciding) switch
    {
        ProvisionResult.Met => deciding.Any(d => d.Outcome.Result == ControlResult.Met && d.Outcome.Unverified.Contains(id)),
        ProvisionResult.NotApplicable => deciding.Any(d => d.Outcome.Result == ControlResult.NotApplicable && d.Outcome.Unverified.Contains(id)),
        _ => false,
    };

    /// <summary>The controls deciding each provision, in control order: one pass over the few (control, provision) pairs.</summary>
    private static Dictionary<string, List<EvaluatedControl>> DecidingControls(ImmutableArray<EvaluatedControl> outcomes)
    {
        var byId = new Dictionary<string, List<EvaluatedControl>>(StringComparer.Ordinal);
        foreach (var outcome in outcomes)
        {
            foreach (var id in outcome.Control.Provisions)
            {
                if (!byId.TryGetValue(id, out var list))
                {
                    byId[id] = list = [];
                }

                list.Add(outcome);
            }
        }

        return byId;
    }

    public static ComplianceSummary Summarise(IEnumerable<ProvisionStatus> provisions)
    {
        var summary = new ComplianceSummary();
        foreach (var provision in provisions)
        {
            switch (provision.Result)
            {
                case ProvisionResult.Met: summary.Met++; break;
                case ProvisionResult.NotMet: summary.NotMet++; break;
                case ProvisionResult.Unknown: summary.Unknown++; break;
                case ProvisionResult.Attestation: summary.Attestation++; break;
                case ProvisionResult.NotApplicable: summary.NotApplicable++; break;
                case ProvisionResult.Waived: summary.Waived++; break;
            }
        }

        return summary;
    }

    private static ProvisionResult Worst(List<EvaluatedControl> deciding)
    {
        bool any = false, unknown = false, allWaived = true;
        foreach (var control in deciding)
        {
            switch (control.Outcome.Result)
            {
                case ControlResult.NotApplicable: continue;
                case ControlResult.NotMet: return ProvisionResult.NotMet;
                case ControlResult.Unknown: unknown = true; break;
            }

            any = true;
            allWaived &= control.Outcome.Result == ControlResult.Waived;
        }

        return !any ? ProvisionResult.NotApplicable
            : unknown ? ProvisionResult.Unknown
            : allWaived ? ProvisionResult.Waived
            : ProvisionResult.Met;
    }

    /// <summary>The order of results in status.provisions: what needs attention first.</summary>
    private static readonly ProvisionResult[] GroupOrder =
        [ProvisionResult.NotMet, ProvisionResult.Unknown, ProvisionResult.Met, ProvisionResult.Waived, ProvisionResult.Attestation, ProvisionResult.NotApplicable];

    /// <summary>
    /// status.provisions: one group per result, and for provisions judged by evidence one per evidence type and expiry
    /// (met until expiresAt, or stale since expiredAt), each listing its ids in the standard's order; results no
    /// provision has are left out.
    /// </summary>
    public static List<ProvisionGroup> Group(ImmutableArray<ProvisionStatus> provisions)
    {
        var groups = new List<ProvisionGroup>();
        foreach (var result in GroupOrder)
        {
            foreach (var same in provisions.Where(p => p.Result == result)
                .GroupBy(p => (p.Evidence, p.ExpiresAt, p.ExpiredAt, p.Reason, p.Waiver))
                .OrderBy(g => g.Key.Evidence, StringComparer.Ordinal).ThenBy(g => g.Key.ExpiresAt ?? g.Key.ExpiredAt)
                .ThenBy(g => g.Key.Reason, StringComparer.Ordinal).ThenBy(g => g.Key.Waiver, StringComparer.Ordinal))
            {
                groups.Add(new ProvisionGroup
                {
                    Result = result,
                    Evidence = same.Key.Evidence,
                    ExpiresAt = same.Key.ExpiresAt,
                    ExpiredAt = same.Key.ExpiredAt,
                    Reason = same.Key.Reason,
                    Waiver = same.Key.Waiver,
                    Ids = [.. same.Select(p => p.Id)],
                });
            }
        }

        return groups;
    }
}
