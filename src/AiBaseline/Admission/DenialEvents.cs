using AiBaseline.Api.V1Alpha1;
using AiBaseline.Controller.Writers;
using k8s.Models;

namespace AiBaseline.Admission;

/// <summary>
/// A Warning event AdmissionDenied on the AIModelDeployment for each denial, so the model team sees in
/// <c>kubectl describe aimd</c> what was refused and why, even when a controller (not a person) made the request. Written
/// off the request path; the recorder folds repeats (a ReplicaSet retrying its Pods) into one event with a count.
/// </summary>
internal sealed class DenialEvents(EventRecorder events, ILogger<DenialEvents> logger) : IDenialRecorder
{
    /// <summary>The reason of the event.</summary>
    public const string Reason = "AdmissionDenied";

    public void Denied(AdmissionSubject subject, AdmissionVerdict verdict)
    {
        var deployment = subject.Deployment.Metadata;
        var regarding = new V1ObjectReference
        {
            ApiVersion = ApiGroup.GroupVersion,
            Kind = ApiGroup.AIModelDeploymentKind,
            Name = deployment?.Name,
            NamespaceProperty = subject.Namespace,
            Uid = deployment?.Uid,
        };
        _ = RecordAsync(regarding, verdict.Message ?? "");
    }

    private async Task RecordAsync(V1ObjectReference regarding, string note)
    {
        try
        {
            await events.RecordAsync(regarding, EventType.Warning, Reason, "Admission", note, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            logger.LogWarning("Could not record the admission denial on AIModelDeployment {Namespace}/{Name}: {Reason}", regarding.NamespaceProperty, regarding.Name, e.Message);
        }
    }
}
