using System.Collections.Immutable;
using AiBaseline.Api.V1Alpha1;
using AiBaseline.Controller.Writers;
using AiBaseline.Engine.Controls;
using k8s.Models;

namespace AiBaseline.Operator;

/// <summary>One event to record about a condition that changed.</summary>
internal sealed record ConditionEvent(EventType Type, string Reason, string Note);

/// <summary>
/// Decides which events a status change deserves: one per condition whose status moved. A condition that stops
/// being True (or a Stalled that becomes True) is a Warning. On the first evaluation only Ready is announced, so a
/// new deployment does not flood its event list. EvidenceCurrent turning to reason EvidenceExpiring while it stays
/// True is a Warning too, once: when the deployment enters the profile's warning window.
/// </summary>
internal static class ConditionEvents
{
    public static ImmutableArray<ConditionEvent> Between(AIModelDeploymentStatus? before, AIModelDeploymentStatus after)
    {
        var previous = (before?.Conditions ?? []).ToDictionary(c => c.Type, StringComparer.Ordinal);
        var events = ImmutableArray.CreateBuilder<ConditionEvent>();
        foreach (var condition in after.Conditions ?? [])
        {
            previous.TryGetValue(condition.Type, out var old);
            if (EntersExpiryWindow(old, condition))
            {
                events.Add(new ConditionEvent(EventType.Warning, condition.Reason, Note(condition)));
                continue;
            }

            if (old?.Status == condition.Status || (old is null && (before?.Conditions is { Count: > 0 } || condition.Type != ConditionTypes.Ready)))
            {
                continue;
            }

            events.Add(new ConditionEvent(IsWorse(old, condition) ? EventType.Warning : EventType.Normal, condition.Reason, Note(condition)));
        }

        return events.ToImmutable();
    }

    private static bool EntersExpiryWindow(V1Condition? old, V1Condition now) =>
        now.Type == ConditionTypes.EvidenceCurrent && now.Reason == EvidenceControl.EvidenceExpiringReason
        && old?.Reason != EvidenceControl.EvidenceExpiringReason;

    private static bool IsWorse(V1Condition? old, V1Condition now) => now.Type == ConditionTypes.Stalled
        ? now.Status == "True"
        : now.Type != ConditionTypes.Reconciling && now.Status != "True" && (old is null || old.Status == "True");

    private static string Note(V1Condition condition) =>
        string.IsNullOrEmpty(condition.Message) ? $"{condition.Type} is {condition.Status}" : $"{condition.Type} is {condition.Status}: {condition.Message}";
}
