using AiBaseline.Api.V1Alpha1;

namespace AiBaseline.Engine.Catalog;

/// <summary>
/// Which attestation provisions each type of evidence covers. A type covers the provisions of its
/// principle, except where a provision names a document of another type (an incident plan, a
/// disclosure policy). An evidence reference can name further provisions itself.
/// </summary>
public static class EvidenceCoverage
{
    private static readonly Dictionary<string, EvidenceType> ByProvision = new(StringComparer.Ordinal)
    {
        ["5.2.1-3"] = EvidenceType.IncidentPlan,
        ["5.2.1-3.1"] = EvidenceType.IncidentPlan,
        ["5.2.2-4"] = EvidenceType.DisclosurePolicy,
        ["5.2.2-5"] = EvidenceType.IncidentPlan,
        ["5.2.2-6"] = EvidenceType.RiskAssessment,
        ["5.2.3-2"] = EvidenceType.RiskAssessment,
        ["5.2.3-2.1"] = EvidenceType.RiskAssessment,
        ["5.2.3-2.2"] = EvidenceType.UserGuidance,
        ["5.2.3-3"] = EvidenceType.SecurityTestReport,
        ["5.2.3-4"] = EvidenceType.UpdatePolicy,
        ["5.2.4-2"] = EvidenceType.DataSheet,
        ["5.2.4-2.1"] = EvidenceType.DataSheet,
        ["5.3.1-3"] = EvidenceType.IncidentPlan,
        ["5.4.1-1.1"] = EvidenceType.IncidentPlan,
        ["5.5.1-1"] = EvidenceType.ModelCard,
    };

    private static readonly Dictionary<int, EvidenceType> ByPrinciple = new()
    {
        [1] = EvidenceType.TrainingRecord,
        [2] = EvidenceType.RiskAssessment,
        [3] = EvidenceType.ThreatModel,
        [4] = EvidenceType.OversightPlan,
        [5] = EvidenceType.ModelCard,
        [6] = EvidenceType.RiskAssessment,
        [7] = EvidenceType.RiskAssessment,
        [8] = EvidenceType.ModelCard,
        [9] = EvidenceType.SecurityTestReport,
        [10] = EvidenceType.UserGuidance,
        [11] = EvidenceType.UpdatePolicy,
        [12] = EvidenceType.MonitoringPlan,
        [13] = EvidenceType.ModelCard,
    };

    /// <summary>The evidence type that covers <paramref name="provision"/> by default.</summary>
    public static EvidenceType TypeFor(Provision provision) =>
        ByProvision.TryGetValue(provision.Id, out var type) ? type : ByPrinciple[provision.Principle];

    /// <summary>True when <paramref name="reference"/> covers <paramref name="provision"/>, by its type or by naming it.</summary>
    public static bool Covers(EvidenceReference reference, Provision provision) =>
        reference.Type == TypeFor(provision) || (reference.Provisions?.Contains(provision.Id, StringComparer.Ordinal) ?? false);
}
