using AiBaseline.Api.V1Alpha1;
using AiBaseline.Engine.Catalog;

namespace AiBaseline.Report;

/// <summary>
/// What to do about an open provision, in the words the status already has: for NotMet and Unknown the messages of
/// the controls that decided it (each says what was found and what to fix); for one awaiting attestation, the
/// evidence that would meet it, from the evidence coverage table.
/// </summary>
public static class ProvisionFixes
{
    /// <summary>The fix, or null for a provision that is met, waived or does not apply.</summary>
    public static string? For(Provision provision, ProvisionStatus result, IReadOnlyList<ControlDecision> controls) => result.Result switch
    {
        ProvisionResult.NotMet => FromControls(controls, nameof(ControlResult.NotMet)) ?? "a control found it not met; see the deployment's Ready condition",
        ProvisionResult.Unknown => FromControls(controls, nameof(ControlResult.Unknown)) ?? "the evidence could not be gathered; run again where the cluster and registries are reachable",
        ProvisionResult.Attestation => Attestation(provision, result),
        _ => null,
    };

    private static string? FromControls(IReadOnlyList<ControlDecision> controls, string result)
    {
        var messages = controls.Where(c => c.Result == result && c.Message.Length > 0).Select(c => $"{c.Name}: {c.Message}").ToList();
        return messages.Count == 0 ? null : string.Join(". ", messages);
    }

    private static string Attestation(Provision provision, ProvisionStatus result)
    {
        if (result.ExpiredAt is { } expired && result.Evidence is { } stale)
        {
            return $"the {stale} counted until {expired:yyyy-MM-dd}: review it and update its date in spec.evidence";
        }

        if (!EvidenceCoverage.All.TryGetValue(provision.Id, out var row))
        {
            return "reference dated evidence that shows it in spec.evidence";
        }

        return row.Kind switch
        {
            CoverageKind.Document => $"reference a current {string.Join(" or ", row.Types)} in spec.evidence",
            _ => $"no document meets it: {row.Why}; an assessor judges it from the cluster",
        };
    }
}
