namespace AiBaseline.Engine.Gathering;

/// <summary>
/// Recognises a workload that a GitOps tool applies from Git, by the tracking marks the tool itself puts on what it
/// applies: Argo CD's tracking annotation (annotation tracking, the default since Argo CD 3.0) or instance label when
/// configured as <c>argocd.argoproj.io/instance</c>; Flux's kustomize-controller and helm-controller labels. Such a
/// workload can be brought back to any earlier commit. The widespread <c>app.kubernetes.io/instance</c> label is not a
/// mark: Helm sets it on everything it renders.
/// </summary>
public static class GitOps
{
    /// <summary>Argo CD's annotation on every object it applies with annotation tracking.</summary>
    public const string ArgoCdTrackingAnnotation = "argocd.argoproj.io/tracking-id";

    /// <summary>The annotations this class reads, which caches that drop annotations keep.</summary>
    public static IReadOnlyList<string> Annotations { get; } = [ArgoCdTrackingAnnotation];

    /// <summary>Which tool tracks the object and by which mark, such as "Flux Kustomization apps/ml"; null when none does.</summary>
    public static string? TrackerOf(IDictionary<string, string>? labels, IDictionary<string, string>? annotations)
    {
        if (annotations?.TryGetValue(ArgoCdTrackingAnnotation, out var tracking) == true && tracking.Length > 0)
        {
            var application = tracking.Split(':', 2)[0];
            return $"Argo CD Application {application} (annotation {ArgoCdTrackingAnnotation})";
        }

        if (labels is null)
        {
            return null;
        }

        if (labels.TryGetValue("argocd.argoproj.io/instance", out var instance) && instance.Length > 0)
        {
            return $"Argo CD Application {instance} (label argocd.argoproj.io/instance)";
        }

        return Flux(labels, "kustomize.toolkit.fluxcd.io", "Kustomization") ?? Flux(labels, "helm.toolkit.fluxcd.io", "HelmRelease");
    }

    private static string? Flux(IDictionary<string, string> labels, string prefix, string kind) =>
        labels.TryGetValue(prefix + "/name", out var name) && name.Length > 0
            ? $"Flux {kind} {(labels.TryGetValue(prefix + "/namespace", out var ns) && ns.Length > 0 ? ns + "/" : "")}{name}"
            : null;
}
