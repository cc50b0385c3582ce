using System.Collections.Immutable;
using AiBaseline.Api.V1Alpha1;
using k8s.Models;

namespace AiBaseline.Engine.Status;

/// <summary>
/// Builds the conditions of a pass: Ready first, then Stalled when a person must act, then one condition per
/// control that applies to the stage. Every condition carries the deployment's generation; a condition keeps
/// its previous lastTransitionTime unless its status flips.
/// </summary>
internal static class ConditionBuilder
{
    private const int MaxIdsInMessage = 5;

    public static List<V1Condition> Build(
        AIModelDeployment deployment,
        ImmutableArray<EvaluatedControl> outcomes,
        ImmutableArray<ProvisionStatus> provisions,
        ComplianceSummary summary,
        Stall? stall,
        DateTimeOffset now)
    {
        var previous = deployment.Status?.Conditions ?? [];
        var generation = deployment.Metadata.Generation;
        var conditions = new List<V1Condition>();

        void Add(string type, string status, string reason, string message) =>
            conditions.Add(Stamp(previous, type, status, reason, message, generation, now));

        var (readyStatus, readyReason, readyMessage) = Ready(provisions, summary, stall);
        Add(ConditionTypes.Ready, readyStatus, readyReason, readyMessage);
        if (stall is not null)
        {
            Add(ConditionTypes.Stalled, "True", stall.Reason, stall.Message);
        }

        foreach (var (control, outcome) in outcomes)
        {
            if (outcome.Result == ControlResult.NotApplicable || (outcome.Result == ControlResult.Met && !control.ConditionWhenMet))
            {
                continue;
            }

            var status = outcome.Result switch
            {
                ControlResult.Met or ControlResult.Waived => "True",
                ControlResult.NotMet => "False",
                _ => "Unknown",
            };
            // A condition that is not True names the provisions at stake, for the person who acts on it; a met
            // control's provisions are listed once, among status.provisions' met ones.
            var message = status == "True" ? outcome.Message : outcome.Message + ProvisionsSuffix(control.Provisions);
            Add(control.ConditionType, status, outcome.Reason, message);
        }

        return conditions;
    }

    /// <summary>What follows the message of a control's condition that is not True: the provisions it serves.</summary>
    public static string ProvisionsSuffix(IEnumerable<string> provisions) => $" (EN 304 223 {string.Join(", ", provisions)})";

    private static (string Status, string Reason, string Message) Ready(ImmutableArray<ProvisionStatus> provisions, ComplianceSummary summary, Stall? stall)
    {
        var checkedCount = summary.Met + summary.NotMet + summary.Unknown;
        if (stall is not null)
        {
            return ("False", stall.Reason, stall.Message);
        }

        if (summary.NotMet > 0)
        {
            return ("False", ReadyReasons.NotCompliant, $"{summary.NotMet} of {checkedCount} checked provisions not met: {Ids(provisions, ProvisionResult.NotMet)}");
        }

        if (summary.Unknown > 0)
        {
            return ("Unknown", ReadyReasons.EvidenceUnavailable, $"{summary.Unknown} of {checkedCount} checked provisions could not be checked: {Ids(provisions, ProvisionResult.Unknown)}");
        }

        var waived = summary.Waived > 0 ? $"; {summary.Waived} waived" : "";
        return ("True", ReadyReasons.Compliant, $"{summary.Met} of {checkedCount} checked provisions met; {summary.Attestation} await attestation{waived}");
    }

    private static string Ids(ImmutableArray<ProvisionStatus> provisions, ProvisionResult result) =>
        FirstIds([.. provisions.Where(p => p.Result == result).Select(p => p.Id)]);

    /// <summary>The first few ids and how many more: condition messages stay short; status.provisions has them all.</summary>
    internal static string FirstIds(IReadOnlyList<string> ids)
    {
        var shown = string.Join(", ", ids.Take(MaxIdsInMessage));
        return ids.Count > MaxIdsInMessage ? $"{shown} and {ids.Count - MaxIdsInMessage} more" : shown;
    }

    public static V1Condition Stamp(List<V1Condition> previous, string type, string status, string reason, string message, long? generation, DateTimeOffset now)
    {
        var before = previous.Find(c => c.Type == type);
        var since = before is not null && before.Status == status && before.LastTransitionTime is { } kept
            ? kept
            : TruncateToSeconds(now.UtcDateTime);
        return new V1Condition
        {
            Type = type,
            Status = status,
            Reason = reason,
            Message = message,
            ObservedGeneration = generation,
            LastTransitionTime = since,
        };
    }

    /// <summary>The API server stores condition times to the second; keeping ours the same avoids needless status writes.</summary>
    private static DateTime TruncateToSeconds(DateTime time) =>
        new(time.Ticks - (time.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);
}
