using System.Collections.Immutable;
using AiBaseline.Api.V1Alpha1;
using AiBaseline.Engine.Catalog;

namespace AiBaseline.Engine.Controls;

/// <summary>
/// Evidence: people are named as responsible for the model, and the documents an auditor asks for are
/// referenced and current.
/// <list type="bullet">
/// <item>Reads <c>spec.stage</c>, <c>spec.owners</c>, <c>spec.evidence[*]</c> (type, uri, date, digest, approvedBy,
/// provisions); profile <c>evidence.requireOwners</c>, <c>evidence.required</c> (default ModelCard, ThreatModel,
/// SecurityTestReport, IncidentPlan), <c>evidence.maxAgeDays</c>, <c>evidence.requireDigest</c>,
/// <c>evidence.requireApproval</c> and <c>evidence.warnBeforeExpiryDays</c>.</item>
/// <item>Passes when an owner is declared (if the profile requires owners), no reference is dated after
/// today, every reference has the digest and approver the profile requires for its type (one that lacks them
/// counts for nothing, <see cref="EvidenceRequirements"/>), and every required type has a reference no older than
/// the maximum age (fresh as <see cref="EvidenceFreshness"/> defines it). While passing, the reason is
/// EvidenceExpiring when the newest reference of a type expires within the warning window, and the message says
/// what expires when. Provisions a reference names that only the cluster can show are ignored
/// (<see cref="EvidenceCoverage"/>), and the message says so. In stage Design a model card, test report or incident
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

    /// <summary>A reference of a type in evidence.requireDigest has no digest.</summary>
    public const string EvidenceDigestMissingReason = "EvidenceDigestMissing";

    /// <summary>A reference of a type in evidence.requireApproval has no approvedBy.</summary>
    public const string EvidenceApprovalMissingReason = "EvidenceApprovalMissing";

    /// <summary>Everything passes, but evidence expires within the profile's warning window.</summary>
    public const string EvidenceExpiringReason = "EvidenceExpiring";

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
        var findings = new FindingSet(maxShown: 8);
        var hasOwners = spec.Owners?.Any(o => !string.IsNullOrWhiteSpace(o.Name)) ?? false;
        if (policy.RequireOwners && !hasOwners)
        {
            findings.NotMet(NoOwnersReason, "spec.owners is empty; name at least one person or team responsible for the model", 0);
        }

        foreach (var reference in evidence)
        {
            if (EvidenceFreshness.IsInFuture(reference, context.Now))
            {
                findings.NotMet(EvidenceDatedInFutureReason, $"{reference.Type} {reference.Uri} is dated {Format(reference.Date)}, after today; date it when it was last reviewed", 2);
            }

            foreach (var field in EvidenceRequirements.Missing(reference, policy))
            {
                findings.NotMet(
                    field == "digest" ? EvidenceDigestMissingReason : EvidenceApprovalMissingReason,
                    field == "digest"
                        ? $"{reference.Type} {reference.Uri} has no digest, which the profile requires for {reference.Type} (evidence.requireDigest), so it counts for nothing; add digest: sha256:<SHA-256 of the document reviewed>"
                        : $"{reference.Type} {reference.Uri} has no approvedBy, which the profile requires for {reference.Type} (evidence.requireApproval), so it counts for nothing; name who approved it",
                    1);
            }
        }

        var required = Required(policy, context.Stage);
        foreach (var type in required)
        {
            CheckType(context, type, evidence, policy, findings);
        }

        var owners = hasOwners ? "owners are declared" : "owners are not required";
        var current = required.Length == 0
            ? $"{owners}; no evidence is required in stage {context.Stage}"
            : $"{owners}; evidence at most {policy.MaxAgeDays} days old is referenced for {string.Join(", ", required)}";
        var expiring = EvidenceExpiry.Expiring(evidence, policy, context.Now);
        var outcome = findings.Outcome()
            ?? (expiring.IsEmpty
                ? ControlOutcome.Met(CurrentReason, current)
                : ControlOutcome.Met(EvidenceExpiringReason, $"{current}; {string.Join("; ", expiring.Select(e => Expires(e, policy.MaxAgeDays)))}"));
        return outcome with { Message = outcome.Message + IgnoredClaims(evidence) };
    }

    private static string Expires(ExpiringEvidence expiring, int maxAgeDays) =>
        $"{expiring.Reference.Type} {expiring.Reference.Uri} expires after {Format(expiring.ExpiresAt)} (dated {Format(expiring.Reference.Date)}, maximum age {maxAgeDays} days): review it and update its date";

    /// <summary>What follows the message when references name provisions only the cluster can show: they meet nothing.</summary>
    private static string IgnoredClaims(List<EvidenceReference> evidence)
    {
        var ignored = evidence
            .Select(e => (Reference: e, Ids: EvidenceCoverage.IgnoredClaims(e)))
            .Where(e => !e.Ids.IsEmpty)
            .Select(e => $"{e.Reference.Type} {e.Reference.Uri} names {string.Join(", ", e.Ids)}")
            .ToList();
        return ignored.Count == 0
            ? ""
            : $"; ignored: {string.Join("; ", ignored)}: only the cluster can show these provisions, so no document meets them";
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

    private static void CheckType(EvaluationContext context, EvidenceType type, List<EvidenceReference> evidence, EvidencePolicy policy, FindingSet findings)
    {
        var maxAgeDays = policy.MaxAgeDays;
        EvidenceReference? newest = null;
        var anyReported = false;
        foreach (var reference in evidence)
        {
            if (reference.Type != type)
            {
                continue;
            }

            if (EvidenceFreshness.IsInFuture(reference, context.Now) || !EvidenceRequirements.IsComplete(reference, policy))
            {
                // Already reported: a reference dated in the future, or lacking what the profile requires.
                anyReported = true;
            }
            else if (newest is null || reference.Date > newest.Date)
            {
                newest = reference;
            }
        }

        if (newest is null)
        {
            if (!anyReported)
            {
                findings.NotMet(EvidenceMissingReason, $"no {type} is referenced in spec.evidence; add one with its uri and date", 1);
            }
        }
        else if (!EvidenceFreshness.IsFresh(newest, maxAgeDays, context.Now))
        {
            findings.NotMet(EvidenceStaleReason, $"{type} {newest.Uri} is dated {Format(newest.Date)}, older than the profile's maximum age of {maxAgeDays} days; review it and update its date", 3);
        }
    }

    private static string Format(DateOnly date) => date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}
