using System.Collections.Immutable;
using AiBaseline.Api.V1Alpha1;
using AiBaseline.Engine.Catalog;

namespace AiBaseline.Engine.Status;

/// <summary>
/// The standard's verdict as a conformity assessment (ETSI TS 104 216) states it, over the provisions that apply:
/// Fail when one is not met; Pass when none is and every shall provision is met or waived; Inconclusive otherwise,
/// when shall provisions await evidence or could not be checked. Should provisions never block a pass.
/// </summary>
internal static class Conformity
{
    private static readonly HashSet<string> Shall = [.. ProvisionCatalog.Provisions.Where(p => p.Shall).Select(p => p.Id)];

    public static (ConformityVerdict Verdict, string Status, string Message) Judge(ImmutableArray<ProvisionStatus> provisions)
    {
        var notMet = provisions.Where(p => p.Result == ProvisionResult.NotMet).Select(p => p.Id).ToList();
        if (notMet.Count > 0)
        {
            return (ConformityVerdict.Fail, "False", $"{Count(notMet.Count, "applicable provision")} not met: {ConditionBuilder.FirstIds(notMet)}");
        }

        var open = provisions.Where(p => Shall.Contains(p.Id) && p.Result is ProvisionResult.Attestation or ProvisionResult.Unknown).ToList();
        if (open.Count == 0)
        {
            var met = provisions.Count(p => Shall.Contains(p.Id) && p.Result == ProvisionResult.Met);
            var waived = provisions.Count(p => Shall.Contains(p.Id) && p.Result == ProvisionResult.Waived);
            return (ConformityVerdict.Pass, "True", $"every applicable shall provision is met ({met}) or waived ({waived}), and none failed");
        }

        var awaiting = open.Where(p => p.Result == ProvisionResult.Attestation).Select(p => p.Id).ToList();
        var unknown = open.Where(p => p.Result == ProvisionResult.Unknown).Select(p => p.Id).ToList();
        var parts = new List<string>();
        if (awaiting.Count > 0)
        {
            parts.Add($"{Count(awaiting.Count, "applicable shall provision")} await evidence: {ConditionBuilder.FirstIds(awaiting)}");
        }

        if (unknown.Count > 0)
        {
            parts.Add($"{Count(unknown.Count, "applicable shall provision")} could not be checked: {ConditionBuilder.FirstIds(unknown)}");
        }

        return (ConformityVerdict.Inconclusive, "Unknown", $"none failed, but {string.Join("; ", parts)}");
    }

    private static string Count(int n, string what) => n == 1 ? $"1 {what}" : $"{n} {what}s";

}
