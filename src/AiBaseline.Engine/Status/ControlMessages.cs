using AiBaseline.Api.V1Alpha1;
using AiBaseline.Engine.Controls;

namespace AiBaseline.Engine.Status;

/// <summary>A control's result as a report shows it: reason, message and the provisions it serves.</summary>
public sealed record ControlReport(string Name, ControlResult Result, string Reason, string Message, IReadOnlyList<string> Provisions)
{
    /// <summary>The BaselineException behind a Waived result.</summary>
    public string? Waiver { get; init; }
}

/// <summary>
/// Reads a control's reason and message back from a status, which keeps each once: in the control's condition when
/// the control applies (the message followed, unless met, by the provisions it serves), in <see cref="ControlStatus"/> when not.
/// The provisions a control serves are the control's own, the same on every deployment.
/// </summary>
public static class ControlMessages
{
    private static readonly Dictionary<string, IControl> ControlsByName = ControlSet.All.ToDictionary(c => c.Name, StringComparer.Ordinal);

    public static ControlReport Of(AIModelDeploymentStatus status, ControlStatus control)
    {
        var provisions = ControlsByName.TryGetValue(control.Name, out var known) ? known.Provisions : [];
        var condition = known is null ? null : status.Conditions?.FirstOrDefault(c => c.Type == known.ConditionType);
        var message = control.Message ?? condition?.Message ?? "";
        var suffix = ConditionBuilder.ProvisionsSuffix(provisions);
        if (control.Message is null && message.EndsWith(suffix, StringComparison.Ordinal))
        {
            message = message[..^suffix.Length];
        }

        return new ControlReport(control.Name, control.Result, control.Reason ?? condition?.Reason ?? "", message, provisions) { Waiver = control.Waiver };
    }

    /// <summary>Every control of a status, as reports show them.</summary>
    public static IEnumerable<ControlReport> All(AIModelDeploymentStatus status) => (status.Controls ?? []).Select(c => Of(status, c));
}
