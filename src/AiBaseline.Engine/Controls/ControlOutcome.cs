using System.Collections.Immutable;
using AiBaseline.Api.V1Alpha1;

namespace AiBaseline.Engine.Controls;

/// <summary>What a control decided, with a CamelCase reason it owns and a deterministic message.</summary>
public sealed record ControlOutcome(ControlResult Result, string Reason, string Message)
{
    /// <summary>
    /// Provisions of the control that a Met outcome cannot meet, because what it found was only declared and nothing
    /// checked it (a digest nobody verifies cannot show that an asset is authentic); or, on a NotApplicable outcome, that
    /// the control leaves undecided because the profile does not require its source or the input does not hold it. They
    /// are left to evidence.
    /// </summary>
    public ImmutableArray<string> Unverified { get; init; } = [];

    /// <summary>The BaselineException behind a Waived result.</summary>
    public string? Waiver { get; init; }

    public static ControlOutcome Met(string reason, string message) => new(ControlResult.Met, reason, message);

    public static ControlOutcome NotMet(string reason, string message) => new(ControlResult.NotMet, reason, message);

    public static ControlOutcome Unknown(string reason, string message) => new(ControlResult.Unknown, reason, message);

    public static ControlOutcome NotApplicable(string reason, string message) => new(ControlResult.NotApplicable, reason, message);
}
