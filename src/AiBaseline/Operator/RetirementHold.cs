using System.Collections.Concurrent;
using AiBaseline.Api.V1Alpha1;
using AiBaseline.Controller;
using AiBaseline.Controller.Api;
using AiBaseline.Controller.Writers;
using k8s.Models;

namespace AiBaseline.Operator;

/// <summary>
/// Keeps a retiring deployment's record until its disposal is proven: in stage Retirement the deployment carries
/// <see cref="ApiGroup.RetirementFinalizer"/>, and a deletion waits until the Retirement control is met, or until an
/// approved BaselineException waives it (the control, or both provisions it serves). Leaving stage Retirement drops the
/// finalizer. The old annotation <see cref="AllowDeletionAnnotation"/> releases nothing any more: whoever could edit
/// the deployment could set it, while a waiver needs the waiver-approver role. Before a retiring deployment is let go,
/// its <see cref="RetirementRecord"/> is written; if that fails, the finalizer stays and the pass is retried.
/// </summary>
internal sealed class RetirementHold(FinalizerWriter finalizers, RetirementRecords records, EventRecorder events, ILogger logger)
{
    /// <summary>The annotation that used to release a held deletion; the operator now says it is ignored.</summary>
    public const string AllowDeletionAnnotation = "aibaseline.io/allow-deletion-without-disposal";

    /// <summary>The event reason when a deployment carries <see cref="AllowDeletionAnnotation"/>.</summary>
    public const string AnnotationIgnoredReason = "AnnotationIgnored";

    /// <summary>The event reason when the record of a retiring deployment cannot be written, so its deletion stays held.</summary>
    public const string RecordFailedReason = "RetirementRecordFailed";

    /// <summary>The event reason when the record of a retiring deployment is written.</summary>
    public const string RecordedReason = "RetirementRecorded";

    private static readonly string AnnotationNote =
        $"annotation {AllowDeletionAnnotation} no longer releases a retiring deployment: remove it; to let the deployment go without proven disposal, "
        + "a waiver approver creates a BaselineException that waives the Retirement control (or provisions 5.5.1-1 and 5.5.1-2) for it";

    /// <summary>Deletions already announced, by uid, so the Warning is emitted once per held deletion.</summary>
    private readonly ConcurrentDictionary<string, bool> announced = new(StringComparer.Ordinal);

    /// <summary>Deployments already told that the annotation is ignored, by uid.</summary>
    private readonly ConcurrentDictionary<string, bool> warnedAnnotation = new(StringComparer.Ordinal);

    /// <summary>Adds, keeps or removes the finalizer as <paramref name="status"/> (just evaluated) decides.</summary>
    public async Task ApplyAsync(ObjectKey key, AIModelDeployment deployment, AIModelDeploymentStatus status, CancellationToken cancellationToken)
    {
        var metadata = deployment.Metadata;
        var uid = metadata.Uid ?? key.ToString();
        if (metadata.Annotations?.ContainsKey(AllowDeletionAnnotation) == true && warnedAnnotation.TryAdd(uid, true))
        {
            await events.RecordAsync(Regarding(metadata), EventType.Warning, AnnotationIgnoredReason, "Finalizing", AnnotationNote, cancellationToken);
        }

        var held = metadata.Finalizers?.Contains(ApiGroup.RetirementFinalizer) == true;
        var retiring = deployment.Spec.Stage == LifecycleStage.Retirement;
        if (metadata.DeletionTimestamp is null)
        {
            if (retiring && !held)
            {
                await finalizers.AddAsync(OperatorResources.AIModelDeployments, key, ApiGroup.RetirementFinalizer, cancellationToken);
            }
            else if (!retiring && held)
            {
                await finalizers.RemoveAsync(OperatorResources.AIModelDeployments, key, ApiGroup.RetirementFinalizer, cancellationToken);
            }

            return;
        }

        if (!held)
        {
            return;
        }

        var retirement = status.Conditions?.FirstOrDefault(c => c.Type == ConditionTypes.RetirementComplete);
        var waiver = WaiverReleasing(status);
        if (!retiring || retirement?.Status == "True" || waiver is not null)
        {
            if (waiver is not null)
            {
                logger.LogWarning("Releasing AIModelDeployment {Namespace}/{Name} without proven disposal: BaselineException {Waiver} waives it", key.Namespace, key.Name, waiver);
            }

            if (retiring)
            {
                await RecordAsync(key, deployment, status, waiver, cancellationToken);
            }

            await finalizers.RemoveAsync(OperatorResources.AIModelDeployments, key, ApiGroup.RetirementFinalizer, cancellationToken);
            announced.TryRemove(uid, out _);
            return;
        }

        if (announced.TryAdd(uid, true))
        {
            var note = $"deletion held by finalizer {ApiGroup.RetirementFinalizer} until disposal is proven ({retirement?.Message ?? "not evaluated yet"}); "
                + "to delete anyway a waiver approver creates a BaselineException that waives the Retirement control for this deployment";
            await events.RecordAsync(Regarding(metadata), EventType.Warning, "DeletionHeld", "Finalizing", note, cancellationToken);
        }
    }

    /// <summary>The BaselineException that waives disposal: the Retirement control, or every provision it serves.</summary>
    private static string? WaiverReleasing(AIModelDeploymentStatus status)
    {
        if (status.Controls?.FirstOrDefault(c => c.Name == "Retirement") is { Result: ControlResult.Waived, Waiver: { } byControl })
        {
            return byControl;
        }

        var provisions = RetirementRecords.DisposalProvisions.Select(status.Provision).ToList();
        return provisions.All(p => p?.Result == ProvisionResult.Waived) ? provisions[0]!.Waiver : null;
    }

    /// <summary>Writes the record, or records why it could not and throws, so the finalizer stays and the pass is retried.</summary>
    private async Task RecordAsync(ObjectKey key, AIModelDeployment deployment, AIModelDeploymentStatus status, string? waiver, CancellationToken cancellationToken)
    {
        string name;
        try
        {
            name = await records.WriteAsync(deployment, status, waiver, cancellationToken);
        }
        catch (Exception e) when (e is KubeApiException or HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            var note = $"deletion held: the RetirementRecord could not be written, so finalizer {ApiGroup.RetirementFinalizer} stays until it is: {e.Message}";
            logger.LogError("Cannot write the RetirementRecord of AIModelDeployment {Namespace}/{Name}; its deletion stays held: {Error}", key.Namespace, key.Name, e.Message);
            await events.RecordAsync(Regarding(deployment.Metadata), EventType.Warning, RecordFailedReason, "Finalizing", note, cancellationToken);
            throw;
        }

        logger.LogInformation("Wrote RetirementRecord {Record} of AIModelDeployment {Namespace}/{Name}", name, key.Namespace, key.Name);
        await events.RecordAsync(Regarding(deployment.Metadata), EventType.Normal, RecordedReason, "Finalizing", $"disposal recorded in RetirementRecord {name}", cancellationToken);
    }

    private static V1ObjectReference Regarding(V1ObjectMeta metadata) => new()
    {
        ApiVersion = ApiGroup.GroupVersion,
        Kind = ApiGroup.AIModelDeploymentKind,
        Name = metadata.Name,
        NamespaceProperty = metadata.NamespaceProperty,
        Uid = metadata.Uid,
    };
}
