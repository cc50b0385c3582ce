using System.Collections.Concurrent;
using AiBaseline.Api.V1Alpha1;
using AiBaseline.Controller;
using AiBaseline.Controller.Writers;
using k8s.Models;

namespace AiBaseline.Operator;

/// <summary>
/// Keeps a retiring deployment's record until its disposal is proven: in stage Retirement the deployment carries
/// <see cref="ApiGroup.RetirementFinalizer"/>, and a deletion waits until the Retirement control is met, or until an
/// admin sets <see cref="AllowDeletionAnnotation"/> to "true". Leaving stage Retirement drops the finalizer.
/// </summary>
internal sealed class RetirementHold(FinalizerWriter finalizers, EventRecorder events, ILogger logger)
{
    /// <summary>The admin's way out: with "true" a deployment is let go even though disposal is not proven.</summary>
    public const string AllowDeletionAnnotation = "aibaseline.io/allow-deletion-without-disposal";

    /// <summary>Deletions already announced, by uid, so the Warning is emitted once per held deletion.</summary>
    private readonly ConcurrentDictionary<string, bool> announced = new(StringComparer.Ordinal);

    /// <summary>Adds, keeps or removes the finalizer as <paramref name="status"/> (just evaluated) decides.</summary>
    public async Task ApplyAsync(ObjectKey key, AIModelDeployment deployment, AIModelDeploymentStatus status, CancellationToken cancellationToken)
    {
        var metadata = deployment.Metadata;
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
        var allowed = metadata.Annotations is { } annotations && annotations.TryGetValue(AllowDeletionAnnotation, out var value)
            && string.Equals(value, "true", StringComparison.OrdinalIgnoreCase);
        if (!retiring || allowed || retirement?.Status == "True")
        {
            if (allowed && retirement?.Status != "True")
            {
                logger.LogWarning("Releasing AIModelDeployment {Namespace}/{Name} without proven disposal: annotation {Annotation} is set", key.Namespace, key.Name, AllowDeletionAnnotation);
            }

            await finalizers.RemoveAsync(OperatorResources.AIModelDeployments, key, ApiGroup.RetirementFinalizer, cancellationToken);
            announced.TryRemove(metadata.Uid ?? key.ToString(), out _);
            return;
        }

        if (announced.TryAdd(metadata.Uid ?? key.ToString(), true))
        {
            var regarding = new V1ObjectReference
            {
                ApiVersion = ApiGroup.GroupVersion,
                Kind = ApiGroup.AIModelDeploymentKind,
                Name = metadata.Name,
                NamespaceProperty = metadata.NamespaceProperty,
                Uid = metadata.Uid,
            };
            var note = $"deletion held by finalizer {ApiGroup.RetirementFinalizer} until disposal is proven ({retirement?.Message ?? "not evaluated yet"}); "
                + $"to delete anyway set annotation {AllowDeletionAnnotation}=true";
            await events.RecordAsync(regarding, EventType.Warning, "DeletionHeld", "Finalizing", note, cancellationToken);
        }
    }
}
