using System.Globalization;
using AiBaseline.Api.V1Alpha1;
using k8s.Models;

namespace AiBaseline.Operator;

/// <summary>A pass the operator has scheduled for itself, because something could not be checked yet.</summary>
/// <param name="After">When to evaluate the deployment again.</param>
/// <param name="Reason">The Reconciling reason, a <see cref="ReconcilingReasons"/> constant.</param>
/// <param name="Message">What is awaited and when the next attempt is, without timestamps.</param>
internal sealed record ScheduledRetry(TimeSpan After, string Reason, string Message)
{
    /// <summary>A retry interval as people read it: "30s", "2m", "1m30s".</summary>
    public static string Describe(TimeSpan interval)
    {
        var seconds = (long)Math.Ceiling(interval.TotalSeconds);
        var (minutes, rest) = Math.DivRem(seconds, 60);
        return minutes == 0 ? Format($"{rest}s") : rest == 0 ? Format($"{minutes}m") : Format($"{minutes}m{rest}s");
    }

    private static string Format(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

/// <summary>
/// Adds <c>Reconciling=True</c> to a pass's status while the verdict waits on a retry the operator has scheduled, and
/// leaves it out otherwise (kstatus prefers an abnormal-true condition absent). Only an open verdict (Ready Unknown) is
/// reconciling: when Ready is True or False, or the deployment is Stalled, the retry cannot change the verdict, so it
/// is not announced and Ready is never True while Reconciling is. The condition rides along with the pass's one status
/// write; its message names no time, so passes during a long outage leave the stored status unchanged.
/// </summary>
internal static class ReconcilingCondition
{
    public static AIModelDeploymentStatus Apply(AIModelDeploymentStatus status, ScheduledRetry? retry, AIModelDeployment deployment, DateTimeOffset now)
    {
        var conditions = status.Conditions ?? [];
        conditions.RemoveAll(c => c.Type == ConditionTypes.Reconciling);
        var ready = conditions.FindIndex(c => c.Type == ConditionTypes.Ready);
        if (retry is null || ready < 0 || conditions[ready].Status != "Unknown")
        {
            return status;
        }

        // Reconciling is only ever True while present, so an earlier one means it has not flipped since.
        var since = deployment.Status?.Conditions?.FirstOrDefault(c => c.Type == ConditionTypes.Reconciling && c.Status == "True")?.LastTransitionTime
            ?? new DateTime(now.UtcTicks - (now.UtcTicks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);
        conditions.Insert(ready + 1, new V1Condition
        {
            Type = ConditionTypes.Reconciling,
            Status = "True",
            Reason = retry.Reason,
            Message = retry.Message,
            ObservedGeneration = deployment.Metadata.Generation,
            LastTransitionTime = since,
        });
        status.Conditions = conditions;
        return status;
    }
}
