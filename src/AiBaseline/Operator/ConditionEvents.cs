using System.Collections.Immutable;
using AiBaseline.Api.V1Alpha1;
using AiBaseline.Controller.Writers;
using AiBaseline.Engine.Controls;
using AiBaseline.Engine.Status;
using k8s.Models;

namespace AiBaseline.Operator;

/// <summary>One event to record about a condition that changed.</summary>
internal sealed record ConditionEvent(EventType Type, string Reason, string Note);

/// <summary>
/// Decides which events a status change deserves: one per condition whose status moved. A condition that stops
/// being True (or a Stalled that becomes True) is a Warning. On the first evaluation only Ready is announced, so a
/// new deployment does not flood its event list; later, a Stalled or StageConsistent condition that appears is announced.
/// EvidenceCurrent turning to reason EvidenceExpiring while it stays True is a Warning too, once: when the deployment
/// enters the profile's warning window. A condition shown only while its control is not met (InventoryComplete) that
/// goes away because the control is met again is a Normal event with the control's reason and message. Reconciling says only that a retry is scheduled, which is not something
/// that happened: it never has an event of its own.
/// </summary>
internal static class ConditionEvents
{
    public static ImmutableArray<ConditionEvent> Between(AIModelDeploymentStatus? before, AIModelDeploymentStatus after)
    {
        var previous = (before?.Conditions ?? []).ToDictionary(c => c.Type, StringComparer.Ordinal);
        var events = ImmutableArray.CreateBuilder<ConditionEvent>();
        var first = before?.Conditions is not { Count: > 0 };
        foreach (var condition in after.Conditions ?? [])
        {
            previous.TryGetValue(condition.Type, out var old);
            if (EntersExpiryWindow(old, condition))
            {
                events.Add(new ConditionEvent(EventType.Warning, condition.Reason, Note(condition)));
                continue;
            }

            if (condition.Type == ConditionTypes.Reconciling || old?.Status == condition.Status || (old is null && !Announced(condition.Type, first)))
            {
                continue;
            }

            events.Add(new ConditionEvent(IsWorse(old, condition) ? EventType.Warning : EventType.Normal, condition.Reason, Note(condition)));
        }

        // The condition of a control that shows only while the control is not met (InventoryComplete) goes away when
        // the control is met again: that is the news the earlier Warning waited for.
        foreach (var (type, old) in previous)
        {
            if (old.Status != "True" && after.Conditions?.Any(c => c.Type == type) != true
                && ShownOnlyWhenNotMet.TryGetValue(type, out var control)
                && after.Controls?.FirstOrDefault(c => c.Name == control) is { Result: ControlResult.Met } met)
            {
                var report = ControlMessages.Of(after, met);
                events.Add(new ConditionEvent(EventType.Normal, report.Reason, string.IsNullOrEmpty(report.Message) ? $"{type} is True" : $"{type} is True: {report.Message}"));
            }
        }

        return events.ToImmutable();
    }

    /// <summary>
    /// Whether a condition that was not there deserves an event: Ready on the first evaluation; later, the conditions
    /// that are present only when something is wrong (Stalled, StageConsistent), since their appearing is the news.
    /// </summary>
    private static bool Announced(string type, bool first) =>
        first ? type == ConditionTypes.Ready : type is ConditionTypes.Stalled or ConditionTypes.StageConsistent;

    private static readonly Dictionary<string, string> ShownOnlyWhenNotMet =
        ControlSet.All.Where(c => !c.ConditionWhenMet).ToDictionary(c => c.ConditionType, c => c.Name, StringComparer.Ordinal);

    private static bool EntersExpiryWindow(V1Condition? old, V1Condition now) =>
        now.Type == ConditionTypes.EvidenceCurrent && now.Reason == EvidenceControl.EvidenceExpiringReason
        && old?.Reason != EvidenceControl.EvidenceExpiringReason;

    private static bool IsWorse(V1Condition? old, V1Condition now) => now.Type == ConditionTypes.Stalled
        ? now.Status == "True"
        : now.Status != "True" && (old is null || old.Status == "True");

    private static string Note(V1Condition condition) =>
        string.IsNullOrEmpty(condition.Message) ? $"{condition.Type} is {condition.Status}" : $"{condition.Type} is {condition.Status}: {condition.Message}";
}
