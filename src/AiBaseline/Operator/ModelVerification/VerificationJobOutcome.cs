using AiBaseline.Engine;
using AiBaseline.Verification;
using k8s.Models;

namespace AiBaseline.Operator.ModelVerification;

/// <summary>
/// What a verification Job says about its model, read from the Job's Complete or Failed condition and its Pod's
/// termination message (the line <c>verify-model --result-file</c> wrote): the verifier's own outcome when there is
/// one; Unknown when the Job ran out of time, failed without a result, or is still running.
/// </summary>
internal static class VerificationJobOutcome
{
    /// <summary>The Job has not finished yet.</summary>
    public const string RunningReason = "VerificationRunning";

    /// <summary>The Job ran past its activeDeadlineSeconds, so the files were not checked.</summary>
    public const string DeadlineExceededReason = "VerificationDeadlineExceeded";

    /// <summary>The Job finished without a result (the container crashed, was killed, or could not start).</summary>
    public const string JobFailedReason = "VerificationJobFailed";

    /// <summary>The outcome of a finished Job; null while it runs.</summary>
    /// <param name="job">The Job, with its status.</param>
    /// <param name="pods">The Job's Pods (there is one: backoffLimit is 0).</param>
    /// <param name="source">The model's source, for the evidence.</param>
    /// <param name="now">When the result was read.</param>
    public static ArtifactVerification? Read(V1Job job, IReadOnlyList<V1Pod> pods, string source, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(job);
        var name = $"verification Job {job.Metadata.NamespaceProperty}/{job.Metadata.Name}";
        var complete = Condition(job, "Complete");
        var failed = Condition(job, "Failed");
        if (complete is null && failed is null)
        {
            return null;
        }

        var terminated = pods.SelectMany(p => p.Status?.ContainerStatuses ?? [])
            .Where(c => c.Name == VerificationJob.Container)
            .Select(c => c.State?.Terminated ?? c.LastState?.Terminated)
            .FirstOrDefault(t => t is not null);
        if (ModelResultLine.Parse(terminated?.Message, source, now) is { } result)
        {
            return result;
        }

        if (failed?.Reason == "DeadlineExceeded")
        {
            var unscheduled = pods.SelectMany(p => p.Status?.Conditions ?? []).FirstOrDefault(c => c.Type == "PodScheduled" && c.Status == "False");
            var why = unscheduled is null ? "" : $" (its Pod was never scheduled: {unscheduled.Message ?? unscheduled.Reason})";
            return Unknown(source, DeadlineExceededReason,
                $"{name} did not finish within activeDeadlineSeconds {job.Spec?.ActiveDeadlineSeconds}{why}: the files were not checked; it is run again when its Job is removed (after ttlSecondsAfterFinished) or raise --model-verification-deadline", now);
        }

        var detail = terminated is null ? failed?.Message ?? "no container finished"
            : $"container exited {terminated.ExitCode}{(string.IsNullOrEmpty(terminated.Reason) ? "" : $" ({terminated.Reason})")}";
        return Unknown(source, JobFailedReason, $"{name} finished without a result: {detail}: see `kubectl logs job/{job.Metadata.Name} -n {job.Metadata.NamespaceProperty}`", now);
    }

    /// <summary>Evidence for a Job that is still running (or waiting for another Job of the same claim).</summary>
    public static ArtifactVerification Running(string source, string message, DateTimeOffset now) => Unknown(source, RunningReason, message, now);

    private static ArtifactVerification Unknown(string source, string reason, string message, DateTimeOffset now) =>
        new(source, null, VerificationOutcome.Unavailable, reason, message, [], [], now);

    private static V1JobCondition? Condition(V1Job job, string type) =>
        job.Status?.Conditions?.FirstOrDefault(c => c.Type == type && c.Status == "True");
}
