using System.Collections.Immutable;
using AiBaseline.Api.V1Alpha1;
using AiBaseline.Engine.Catalog;

namespace AiBaseline.Engine.Status;

/// <summary>
/// Turns control outcomes into one result per provision. A provision outside the stage's phases is
/// NotApplicable. A provision that controls decide takes the worst of their results: NotMet over Unknown
/// over Met. A provision no control decides is met only by fresh evidence that covers it, and otherwise
/// awaits attestation.
/// </summary>
internal static class ProvisionRollup
{
    public static ImmutableArray<ProvisionStatus> Roll(
        AIModelDeployment deployment,
        BaselineProfileSpec profile,
        ImmutableArray<EvaluatedControl> outcomes,
        DateTimeOffset now)
    {
        var stage = deployment.Spec.Stage;
        var freshEvidence = FreshEvidence(deployment, profile, now);
        var decidingById = DecidingControls(outcomes);
        var result = ImmutableArray.CreateBuilder<ProvisionStatus>(ProvisionCatalog.Provisions.Length);
        foreach (var provision in ProvisionCatalog.Provisions)
        {
            var deciding = decidingById.TryGetValue(provision.Id, out var found) ? found : NoControls;
            if (!StageApplicability.Applies(provision.Phase, stage))
            {
                result.Add(new ProvisionStatus(provision.Id, ProvisionResult.NotApplicable, null));
            }
            else if (deciding.Count > 0)
            {
                result.Add(new ProvisionStatus(provision.Id, Worst(deciding), null));
            }
            else
            {
                var evidence = freshEvidence.FirstOrDefault(e => EvidenceCoverage.Covers(e, provision));
                result.Add(evidence is null
                    ? new ProvisionStatus(provision.Id, ProvisionResult.Attestation, null)
                    : new ProvisionStatus(provision.Id, ProvisionResult.Met, evidence.Type.ToString()));
            }
        }

        return result.MoveToImmutable();
    }

    private static readonly List<EvaluatedControl> NoControls = [];

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

    /// <summary>Evidence references fresh by <see cref="EvidenceFreshness"/>: no older than the profile's maximum age, and not dated in the future.</summary>
    public static ImmutableArray<EvidenceReference> FreshEvidence(AIModelDeployment deployment, BaselineProfileSpec profile, DateTimeOffset now)
    {
        var maxAgeDays = profile.Evidence.MaxAgeDays;
        return [.. (deployment.Spec.Evidence ?? []).Where(e => EvidenceFreshness.IsFresh(e, maxAgeDays, now))];
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
    /// status.provisions: one group per result, and for provisions met by evidence one per evidence type, each listing
    /// its ids in the standard's order; results no provision has are left out.
    /// </summary>
    public static List<ProvisionGroup> Group(ImmutableArray<ProvisionStatus> provisions)
    {
        var groups = new List<ProvisionGroup>();
        foreach (var result in GroupOrder)
        {
            foreach (var byEvidence in provisions.Where(p => p.Result == result).GroupBy(p => (p.Evidence, p.Waiver))
                .OrderBy(g => g.Key.Evidence, StringComparer.Ordinal).ThenBy(g => g.Key.Waiver, StringComparer.Ordinal))
            {
                groups.Add(new ProvisionGroup { Result = result, Evidence = byEvidence.Key.Evidence, Waiver = byEvidence.Key.Waiver, Ids = [.. byEvidence.Select(p => p.Id)] });
            }
        }

        return groups;
    }
}
