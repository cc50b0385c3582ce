using System.Collections.Immutable;
using AiBaseline.Api.V1Alpha1;

namespace AiBaseline.Engine.Controls;

/// <summary>
/// KnownGoodState: the serving system can be brought back to a known good state. Everything it runs is named by
/// content, so an earlier state means exactly the same bytes, and an earlier state is kept to return to.
/// <para>Reads: the workload's pod template images (init, regular and ephemeral containers); spec.models[].source and
/// digest; the workload's kind, spec.revisionHistoryLimit, and the GitOps tracking marks on its metadata
/// (<see cref="Gathering.GitOps"/>).</para>
/// <para>Passes when every image is pinned by a well-formed digest, every model has a well-formed digest (spec.models[].digest,
/// or an oci:// source pinned by @digest), and an earlier state is kept: a GitOps tool (Argo CD, Flux) applies the
/// workload from Git; or Kubernetes keeps its revisions: a Deployment, StatefulSet or DaemonSet whose
/// revisionHistoryLimit is unset (10) or above zero, a Knative Service (Revisions) or a KServe InferenceService (the
/// previous rolled-out revision). A LeaderWorkerSet, RayService, RayCluster, Job, CronJob or bare Pod keeps no earlier
/// spec of its own, so it needs GitOps.</para>
/// <para>Serves EN 304 223 5.2.1-3.1 (the system can be brought back to a known good state). Backups of volumes and a
/// restore test are not seen here.</para>
/// </summary>
public sealed class KnownGoodStateControl : IControl
{
    /// <summary>Images and models are pinned and an earlier state is kept.</summary>
    public const string RestorableReason = "Restorable";

    /// <summary>An image is referenced by tag only, so an earlier state may not mean the same bytes.</summary>
    public const string ImageNotPinnedReason = "ImageNotPinned";

    /// <summary>A model declares no digest, so which weights were served is not recorded.</summary>
    public const string ModelNotPinnedReason = "ModelNotPinned";

    /// <summary>Neither Kubernetes nor a GitOps tool keeps an earlier state of the workload.</summary>
    public const string NoRevisionHistoryReason = "NoRevisionHistory";

    public string Name => "KnownGoodState";

    public string ConditionType => ConditionTypes.KnownGoodStateRestorable;

    public ImmutableArray<string> Provisions { get; } = ["5.2.1-3.1"];

    public ControlOutcome Evaluate(EvaluationContext context)
    {
        if (context.WorkloadGate() is { } gate)
        {
            return gate;
        }

        var workload = context.Snapshot.Workload!;
        var findings = new FindingSet();
        var pod = workload.Template.Spec;
        foreach (var (kind, name, image) in Images(pod))
        {
            if (string.IsNullOrWhiteSpace(image))
            {
                continue; // ImageProvenance reports a container without an image
            }

            var reference = ImageReference.Parse(image);
            if (reference.Digest is not { } digest || !Digests.IsWellFormed(digest))
            {
                findings.NotMet(ImageNotPinnedReason, $"{kind} {name}: image {image} is not pinned by digest, so an earlier state may not run the same image: reference it as {reference.Repository}@sha256:<64 hex digits>", rank: 1);
            }
        }

        foreach (var model in context.Deployment.Spec.Models ?? [])
        {
            if (!Pinned(model))
            {
                findings.NotMet(ModelNotPinnedReason, $"model {model.Name}: {model.Source} has no digest, so which weights were served is not recorded: set spec.models[].digest (sha256:<64 hex digits>)", rank: 2);
            }
        }

        var history = History(workload, context.Namespace);
        if (history.Kept is null)
        {
            findings.NotMet(NoRevisionHistoryReason, history.Why, rank: 0);
        }

        return findings.Outcome() ?? ControlOutcome.Met(RestorableReason, $"images and models are pinned by digest; {history.Kept}");
    }

    /// <summary>Where an earlier state of the workload is kept (null when nowhere), or why it is not.</summary>
    private static (string? Kept, string Why) History(WorkloadState workload, string ns)
    {
        var what = $"{workload.Kind} {workload.Name}";
        if (workload.GitOpsTracker is { } tracker)
        {
            return ($"{what} is applied from Git by {tracker}", "");
        }

        const string Advice = "apply it through a GitOps tool (Argo CD, Flux) so an earlier commit can be restored";
        return workload.Kind switch
        {
            WorkloadKind.Deployment or WorkloadKind.StatefulSet or WorkloadKind.DaemonSet => workload.RevisionHistoryLimit switch
            {
                null => ($"{what} keeps its last 10 revisions (revisionHistoryLimit unset)", ""),
                > 0 and var n => ($"{what} keeps its last {n} revision{(n == 1 ? "" : "s")} (revisionHistoryLimit)", ""),
                _ => (null, $"{what} keeps no earlier revision (spec.revisionHistoryLimit: {workload.RevisionHistoryLimit}) and no GitOps tool tracks it: raise revisionHistoryLimit above zero or {Advice}"),
            },
            WorkloadKind.Service => ($"Knative Service {ns}/{workload.Name} keeps its earlier Revisions", ""),
            WorkloadKind.InferenceService => ($"{what} keeps its previous rolled-out revision", ""),
            _ => (null, $"{what} keeps no earlier revision of its own and no GitOps tool tracks it: {Advice}"),
        };
    }

    private static bool Pinned(ModelArtifact model)
    {
        if (model.Digest is { Length: > 0 } declared)
        {
            return Digests.IsWellFormed(declared);
        }

        var at = model.Source.LastIndexOf('@');
        return model.Source.StartsWith("oci://", StringComparison.Ordinal) && at > 0 && Digests.IsWellFormed(model.Source.AsSpan(at + 1));
    }

    private static IEnumerable<(string Kind, string Name, string? Image)> Images(k8s.Models.V1PodSpec? pod) =>
        (pod?.InitContainers ?? []).Select(c => ("init container", c.Name, (string?)c.Image))
            .Concat((pod?.Containers ?? []).Select(c => ("container", c.Name, (string?)c.Image)))
            .Concat((pod?.EphemeralContainers ?? []).Select(c => ("ephemeral container", c.Name, (string?)c.Image)));
}
