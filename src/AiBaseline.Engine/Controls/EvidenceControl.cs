using System.Collections.Immutable;
using AiBaseline.Api.V1Alpha1;
using AiBaseline.Engine.Catalog;

namespace AiBaseline.Engine.Controls;

/// <summary>
/// Evidence: people are named as responsible for the model, and the documents an auditor asks for are
/// referenced and current.
/// <list type="bullet">
/// <item>Reads <c>spec.stage</c>, <c>spec.owners</c>, <c>spec.evidence[*].type</c> and <c>.date</c>; profile
/// <c>evidence.requireOwners</c>, <c>evidence.required</c> (default ModelCard, ThreatModel,
/// SecurityTestReport, IncidentPlan) and <c>evidence.maxAgeDays</c>.</item>
/// <item>Passes when an owner is declared (if the profile requires owners), no reference is dated after
/// today, and every required type has a reference no older than the maximum age (fresh as
/// <see cref="EvidenceFreshness"/> defines it). In stage Design a model card, test report or incident
/// plan cannot exist yet, so only the required types that are design documents (TrainingRecord,
/// RiskAssessment, ThreatModel, OversightPlan: principles 1 to 4) are required; with the default list
/// that is the ThreatModel.</item>
/// <item>Serves EN 304 223 5.1.4-1 (humans oversee the system: owners are named) and 5.2.4-1 (an auditable
/// record of design and maintenance plans).</item>
/// </list>
/// </summary>
public sealed class EvidenceControl : IControl
{
    /// <summary>Owners are declared and every required document is referenced and fresh.</summary>
    public const string CurrentReason = "EvidenceCurrent";

    /// <summary>The profile requires owners and spec.owners is empty.</summary>
    public const string NoOwnersReason = "NoOwners";

    /// <summary>A required type of evidence has no reference.</summary>
    public const string EvidenceMissingReason = "EvidenceMissing";

    /// <summary>A reference is dated after today.</summary>
    public const string EvidenceDatedInFutureReason = "EvidenceDatedInFuture";

    /// <summary>The newest reference of a required type is older than the profile's maximum age.</summary>
    public const string EvidenceStaleReason = "EvidenceStale";

    /// <summary>The types required when the profile lists none.</summary>
    public static ImmutableArray<EvidenceType> DefaultRequired { get; } =
        [EvidenceType.ModelCard, EvidenceType.ThreatModel, EvidenceType.SecurityTestReport, EvidenceType.IncidentPlan];

    /// <summary>Documents of the Secure Design phase (principles 1 to 4), the only ones required in stage Design.</summary>
    public static ImmutableArray<EvidenceType> DesignDocuments { get; } =
        [EvidenceType.TrainingRecord, EvidenceType.RiskAssessment, EvidenceType.ThreatModel, EvidenceType.OversightPlan];

    public string Name => "Evidence";

    public string ConditionType => ConditionTypes.EvidenceCurrent;

    public ImmutableArray<string> Provisions { get; } = ["5.1.4-1", "5.2.4-1"];

    public ControlOutcome Evaluate(EvaluationContext context)
    {
        var spec = context.Deployment.Spec;
        var policy = context.Profile.Evidence;
        var evidence = spec.Evidence ?? [];
        var findings = new FindingList();
        var hasOwners = spec.Owners?.Any(o => !string.IsNullOrWhiteSpace(o.Name)) ?? false;
        if (policy.RequireOwners && !hasOwners)
        {
            findings.Add(0, NoOwnersReason, "spec.owners is empty; name at least one person or team responsible for the model");
        }

        foreach (var reference in evidence)
        {
            if (EvidenceFreshness.IsInFuture(reference, context.Now))
            {
                findings.Add(2, EvidenceDatedInFutureReason, $"{reference.Type} {reference.Uri} is dated {Format(reference.Date)}, after today; date it when it was last reviewed");
            }
        }

        var required = Required(policy, context.Stage);
        foreach (var type in required)
        {
            CheckType(context, type, evidence, policy.MaxAgeDays, findings);
        }

        var owners = hasOwners ? "owners are declared" : "owners are not required";
        return findings.ToNotMet()
            ?? ControlOutcome.Met(CurrentReason, required.Length == 0
                ? $"{owners}; no evidence is required in stage {context.Stage}"
                : $"{owners}; evidence at most {policy.MaxAgeDays} days old is referenced for {string.Join(", ", required)}");
    }

    /// <summary>The types required at <paramref name="stage"/>, in the profile's order without repeats.</summary>
    public static ImmutableArray<EvidenceType> Required(EvidencePolicy policy, LifecycleStage stage)
    {
        if (policy.Required is null && stage != LifecycleStage.Design)
        {
            return DefaultRequired;
        }

        var required = ImmutableArray.CreateBuilder<EvidenceType>();
        foreach (var type in policy.Required ?? (IEnumerable<EvidenceType>)DefaultRequired)
        {
            if (!required.Contains(type) && (stage != LifecycleStage.Design || DesignDocuments.Contains(type)))
            {
                required.Add(type);
            }
        }

        return required.ToImmutable();
    }

    private static void CheckType(EvaluationContext context, EvidenceType type, List<EvidenceReference> evidence, int maxAgeDays, FindingList findings)
    {
        EvidenceReference? newest = null;
        var anyInFuture = false;
        foreach (var reference in evidence)
        {
            if (reference.Type != type)
            {
                continue;
            }

            if (EvidenceFreshness.IsInFuture(reference, context.Now))
            {
                anyInFuture = true;
            }
            else if (newest is null || reference.Date > newest.Date)
            {
                newest = reference;
            }
        }

        if (newest is null)
        {
            if (!anyInFuture)
            {
                findings.Add(1, EvidenceMissingReason, $"no {type} is referenced in spec.evidence; add one with its uri and date");
            }
        }
        else if (!EvidenceFreshness.IsFresh(newest, maxAgeDays, context.Now))
        {
            findings.Add(3, EvidenceStaleReason, $"{type} {newest.Uri} is dated {Format(newest.Date)}, older than the profile's maximum age of {maxAgeDays} days; review it and update its date");
        }
    }

    private static string Format(DateOnly date) => date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}
