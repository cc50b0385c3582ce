using AiBaseline.Api.V1Alpha1;
using AiBaseline.Controller.Writers;
using k8s.Models;

namespace AiBaseline.Operator.Tests;

/// <summary>Which events a status change records: a condition that moves, and evidence entering its expiry window once.</summary>
public sealed class ConditionEventsTests
{
    private const string Expiring = "EvidenceExpiring";
    private const string Current = "EvidenceCurrent";

    [Theory]
    [InlineData("True", Current, "True", Expiring, "Warning", Expiring, "entering the warning window is a Warning while the condition stays True")]
    [InlineData("True", Expiring, "True", Expiring, null, null, "staying in the window is announced once only")]
    [InlineData("True", Expiring, "True", Current, null, null, "a reviewed document leaves the window quietly")]
    [InlineData("True", Expiring, "False", "EvidenceStale", "Warning", "EvidenceStale", "expiring is the ordinary Warning of a condition that stops being True")]
    [InlineData("False", "EvidenceMissing", "True", Expiring, "Warning", Expiring, "becoming True straight into the window warns about the expiry")]
    [InlineData(null, null, "True", Expiring, "Warning", Expiring, "a new deployment whose evidence already expires soon is told so")]
    [InlineData("True", Current, "True", Current, null, null, "nothing moved")]
    public void Evidence_events(string? beforeStatus, string? beforeReason, string afterStatus, string afterReason, string? type, string? reason, string why)
    {
        var before = Status(Ready(), beforeStatus is null ? null : Evidence(beforeStatus, beforeReason!));
        var after = Status(Ready(), Evidence(afterStatus, afterReason));

        var events = ConditionEvents.Between(before, after).Where(e => e.Note.StartsWith("EvidenceCurrent", StringComparison.Ordinal)).ToList();

        Assert.True(
            (type, reason) == (events.SingleOrDefault()?.Type.ToString(), events.SingleOrDefault()?.Reason) && events.Count <= 1,
            $"{why}: got {string.Join(", ", events)}");
    }

    [Fact]
    public void A_model_server_declared_at_last_is_a_Normal_event_when_InventoryComplete_goes_away()
    {
        var undeclared = new V1Condition
        {
            Type = ConditionTypes.InventoryComplete,
            Status = "False",
            Reason = "UndeclaredModelServer",
            Message = "Deployment team-a/vllm serves a model and no AIModelDeployment declares it",
        };
        var before = Status(Ready(), undeclared);
        before.Controls = [new ControlStatus { Name = "AssetInventory", Result = ControlResult.NotMet }];
        var after = Status(Ready());
        after.Controls = [new ControlStatus { Name = "AssetInventory", Result = ControlResult.Met, Reason = "AllDeclared", Message = "every AI workload in team-a is declared" }];

        var events = ConditionEvents.Between(before, after);

        var resolved = Assert.Single(events);
        Assert.Equal((EventType.Normal, "AllDeclared"), (resolved.Type, resolved.Reason));
        Assert.Equal("InventoryComplete is True: every AI workload in team-a is declared", resolved.Note);

        // Gone because the control no longer applies (not met, nor judged) is no news.
        after.Controls = [new ControlStatus { Name = "AssetInventory", Result = ControlResult.NotApplicable, Reason = "NotRequired", Message = "the profile does not require an inventory" }];
        Assert.Empty(ConditionEvents.Between(before, after));
    }

    private static V1Condition Ready() => new() { Type = ConditionTypes.Ready, Status = "True", Reason = ReadyReasons.Compliant, Message = "" };

    private static V1Condition Evidence(string status, string reason) => new()
    {
        Type = ConditionTypes.EvidenceCurrent,
        Status = status,
        Reason = reason,
        Message = "ThreatModel https://docs.example.com/tm expires after 2026-12-10",
    };

    private static AIModelDeploymentStatus Status(params V1Condition?[] conditions) =>
        new() { Conditions = [.. conditions.OfType<V1Condition>()] };
}
