using System.Collections.Immutable;
using AiBaseline.Api.V1Alpha1;
using AiBaseline.Engine.Controls;
using AiBaseline.Engine.Status;
using AiBaseline.Engine.Waivers;
using k8s.Models;

namespace AiBaseline.Engine;

/// <summary>
/// The evaluation engine: a pure function from a snapshot and a profile to the deployment's whole status.
/// The operator and <c>aibaseline audit</c> call the same function. It does no IO and reads time only
/// from the injected clock.
/// </summary>
public static class BaselineEngine
{
    /// <summary>Reason of every control when the profile named in spec.profile does not exist.</summary>
    public const string ProfileNotFoundReason = "ProfileNotFound";

    /// <summary>Evaluates every control and rolls the results up into the status to write.</summary>
    /// <param name="snapshot">The deployment and the related state gathered for it.</param>
    /// <param name="profile">The profile named in spec.profile; null when it does not exist.</param>
    /// <param name="clock">The time source; conditions keep their previous transition times when unchanged.</param>
    public static AIModelDeploymentStatus Evaluate(Snapshot snapshot, BaselineProfile? profile, TimeProvider clock)
    {
        var now = clock.GetUtcNow();
        var deployment = snapshot.Deployment;
        var profileName = ProfileName(deployment);
        var stage = ObservedStage.Of(snapshot);
        var waivers = profile is null ? [] : WaiverApplication.Judge(snapshot.Waivers, profile.Spec, now);
        var outcomes = WaiverApplication.ToControls(EvaluateControls(snapshot, profile, profileName, now), waivers);
        var provisions = WaiverApplication.ToProvisions(ProvisionRollup.Roll(deployment, stage.Judged, profile?.Spec ?? new BaselineProfileSpec(), outcomes, now), outcomes, waivers);
        var summary = ProvisionRollup.Summarise(provisions);
        var verdict = Conformity.Judge(provisions);
        summary.Verdict = verdict.Verdict;
        var stall = StallOf(snapshot, profile, profileName);

        return new AIModelDeploymentStatus
        {
            ObservedGeneration = deployment.Metadata.Generation,
            Stage = stage.Judged,
            Summary = summary,
            Compliance = $"{summary.Met}/{summary.Met + summary.NotMet + summary.Unknown}",
            Controls = [.. outcomes.Select(o => o.Outcome.Result == ControlResult.NotApplicable
                ? new ControlStatus { Name = o.Control.Name, Result = o.Outcome.Result, Reason = o.Outcome.Reason, Message = o.Outcome.Message }

                // An applicable control's reason and message are in its condition (ConditionBuilder): stored once.
                : new ControlStatus { Name = o.Control.Name, Result = o.Outcome.Result, Waiver = o.Outcome.Waiver })],
            Images = ImageStatusBuilder.Build(snapshot),
            Models = ModelStatusBuilder.Build(snapshot, profile?.Spec?.Models),
            Provisions = ProvisionRollup.Group(provisions),
            Conditions = WithStandardConditions([.. ConditionBuilder.Build(deployment, outcomes, provisions, summary, stall, now), .. WaiverApplication.Conditions(deployment, waivers, now)], deployment, verdict, stage, now),
        };
    }

    /// <summary>After Ready: the standard's verdict, and whether the declared stage is the one the cluster shows.</summary>
    private static List<V1Condition> WithStandardConditions(List<V1Condition> conditions, AIModelDeployment deployment, (ConformityVerdict Verdict, string Status, string Message) verdict, ObservedStage stage, DateTimeOffset now)
    {
        var previous = deployment.Status?.Conditions ?? [];
        var generation = deployment.Metadata.Generation;
        var added = new List<V1Condition> { ConditionBuilder.Stamp(previous, ConditionTypes.Conformant, verdict.Status, verdict.Verdict.ToString(), verdict.Message, generation, now) };
        if (stage.Mismatch is { } mismatch)
        {
            added.Add(ConditionBuilder.Stamp(previous, ConditionTypes.StageConsistent, "False", ObservedStage.StageMismatchReason, mismatch, generation, now));
        }

        conditions.InsertRange(1, added);
        return conditions;
    }

    /// <summary>The profile a deployment names, or "default".</summary>
    public static string ProfileName(AIModelDeployment deployment) =>
        string.IsNullOrEmpty(deployment.Spec.Profile) ? ApiGroup.DefaultProfileName : deployment.Spec.Profile;

    private static ImmutableArray<EvaluatedControl> EvaluateControls(Snapshot snapshot, BaselineProfile? profile, string profileName, DateTimeOffset now)
    {
        if (profile is null)
        {
            var missing = ControlOutcome.Unknown(ProfileNotFoundReason, $"BaselineProfile {profileName} named in spec.profile was not found");
            return [.. ControlSet.All.Select(c => new EvaluatedControl(c, missing))];
        }

        return [.. ControlSet.All.Select(c => new EvaluatedControl(c, TemplateOutcomes.Evaluate(c, snapshot, profile.Spec, now)))];
    }

    private static Stall? StallOf(Snapshot snapshot, BaselineProfile? profile, string profileName)
    {
        if (profile is null)
        {
            return new Stall(ReadyReasons.ProfileNotFound, $"BaselineProfile {profileName} named in spec.profile was not found: create it or name another profile");
        }

        var spec = snapshot.Deployment.Spec;
        if (spec.WorkloadRef is { } reference && snapshot.Workload is null && spec.Stage != LifecycleStage.Retirement)
        {
            var ns = snapshot.Deployment.Metadata.NamespaceProperty ?? "default";
            return new Stall(ReadyReasons.WorkloadNotFound, $"{reference.Kind} {ns}/{reference.Name} named in spec.workloadRef was not found: create it or fix the reference");
        }

        return null;
    }
}

/// <summary>A control with its outcome for one evaluation.</summary>
public sealed record EvaluatedControl(IControl Control, ControlOutcome Outcome);

/// <summary>Why a deployment cannot progress until a person acts.</summary>
public sealed record Stall(string Reason, string Message);
