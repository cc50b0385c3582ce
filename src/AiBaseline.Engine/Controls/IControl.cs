using System.Collections.Immutable;

namespace AiBaseline.Engine.Controls;

/// <summary>
/// One baseline control: a pure judgement of a snapshot against the profile. Each implementation lives in
/// its own file, says in its XML comment which fields it reads and what passes, and is registered in
/// <see cref="ControlSet.All"/>.
/// </summary>
public interface IControl
{
    /// <summary>The control's name in status, such as ImageProvenance.</summary>
    string Name { get; }

    /// <summary>The positive-polarity condition type it sets, such as ImageProvenanceVerified.</summary>
    string ConditionType { get; }

    /// <summary>The EN 304 223 provisions whose result it decides.</summary>
    ImmutableArray<string> Provisions { get; }

    /// <summary>
    /// For a workload of several pod templates: true when the pods of one template meeting the control meet it for the
    /// workload (the template that serves the model's metrics), false when every template must (the default).
    /// </summary>
    bool AnyTemplate => false;

    /// <summary>
    /// False when the control's condition is written only while it is not met: a met control still shows in
    /// status.controls and status.provisions, and the condition's ~300 bytes (with its managed fields) are kept out of
    /// every status where nothing is to be done.
    /// </summary>
    bool ConditionWhenMet => true;

    /// <summary>Judges the snapshot. Never throws for bad user input; reports it as a result.</summary>
    ControlOutcome Evaluate(EvaluationContext context);
}
