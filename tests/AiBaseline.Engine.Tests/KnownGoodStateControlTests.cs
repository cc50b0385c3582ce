using System.Text.Json.Nodes;
using AiBaseline.Api.V1Alpha1;
using AiBaseline.Engine.Controls;
using AiBaseline.Engine.Gathering;
using AiBaseline.Engine.Workloads;
using Microsoft.Extensions.Time.Testing;
using static AiBaseline.Engine.Tests.Builders;
using static AiBaseline.Engine.Tests.PodTemplateBuilders;

namespace AiBaseline.Engine.Tests;

public sealed class KnownGoodStateControlTests
{
    private static readonly KnownGoodStateControl Control = new();

    [Theory]
    [InlineData("pinned", ControlResult.Met, KnownGoodStateControl.RestorableReason, "images and models are pinned by digest; Deployment scorer keeps its last 10 revisions (revisionHistoryLimit unset)", "the API default keeps 10 revisions")]
    [InlineData("history 3", ControlResult.Met, KnownGoodStateControl.RestorableReason, "keeps its last 3 revisions (revisionHistoryLimit)", "an explicit limit above zero")]
    [InlineData("history 1", ControlResult.Met, KnownGoodStateControl.RestorableReason, "keeps its last 1 revision (revisionHistoryLimit)", "one earlier revision is enough to return to")]
    [InlineData("history 0", ControlResult.NotMet, KnownGoodStateControl.NoRevisionHistoryReason, "Deployment scorer keeps no earlier revision (spec.revisionHistoryLimit: 0) and no GitOps tool tracks it", "zero keeps nothing to roll back to")]
    [InlineData("history 0 argo", ControlResult.Met, KnownGoodStateControl.RestorableReason, "Deployment scorer is applied from Git by Argo CD Application scorer (annotation argocd.argoproj.io/tracking-id)", "Git holds the earlier states")]
    [InlineData("history 0 flux", ControlResult.Met, KnownGoodStateControl.RestorableReason, "applied from Git by Flux Kustomization flux-system/apps", "Flux's kustomize-controller labels")]
    [InlineData("history 0 helm label", ControlResult.NotMet, KnownGoodStateControl.NoRevisionHistoryReason, "keeps no earlier revision", "app.kubernetes.io/instance is Helm's label, not a GitOps mark")]
    [InlineData("tag", ControlResult.NotMet, KnownGoodStateControl.ImageNotPinnedReason, "container server: image registry.example.com/ml/scorer:1.4 is not pinned by digest", "a tag can move, so the earlier state is not the same image")]
    [InlineData("init tag", ControlResult.NotMet, KnownGoodStateControl.ImageNotPinnedReason, "init container fetch: image busybox:1.36 is not pinned by digest", "init containers count too")]
    [InlineData("model no digest", ControlResult.NotMet, KnownGoodStateControl.ModelNotPinnedReason, "model weights: s3://models/scorer has no digest", "which weights were served is not recorded")]
    [InlineData("model oci pinned", ControlResult.Met, KnownGoodStateControl.RestorableReason, "images and models are pinned by digest", "an oci source pinned by @digest needs no separate digest")]
    [InlineData("model bad digest", ControlResult.NotMet, KnownGoodStateControl.ModelNotPinnedReason, "model weights", "a malformed digest pins nothing")]
    [InlineData("tag and history 0", ControlResult.NotMet, KnownGoodStateControl.NoRevisionHistoryReason, "image registry.example.com/ml/scorer:1.4 is not pinned", "both findings are named; no history leads")]
    public void Judges_whether_a_known_good_state_can_be_restored(string row, ControlResult result, string reason, string fragment, string why)
    {
        var snapshot = Snapshot();
        var workload = snapshot.Workload!;
        var labels = new Dictionary<string, string>();
        var annotations = new Dictionary<string, string>();
        switch (row)
        {
            case "history 3": workload = workload with { RevisionHistoryLimit = 3 }; break;
            case "history 1": workload = workload with { RevisionHistoryLimit = 1 }; break;
            case "history 0": workload = workload with { RevisionHistoryLimit = 0 }; break;
            case "history 0 argo": annotations[GitOps.ArgoCdTrackingAnnotation] = "scorer:apps/Deployment:ml/scorer"; goto case "history 0";
            case "history 0 flux":
                labels["kustomize.toolkit.fluxcd.io/name"] = "apps";
                labels["kustomize.toolkit.fluxcd.io/namespace"] = "flux-system";
                goto case "history 0";
            case "history 0 helm label": labels["app.kubernetes.io/instance"] = "scorer"; goto case "history 0";
            case "tag": Server(snapshot).Image = "registry.example.com/ml/scorer:1.4"; break;
            case "tag and history 0": Server(snapshot).Image = "registry.example.com/ml/scorer:1.4"; goto case "history 0";
            case "init tag": Pod(snapshot).InitContainers = [Container("fetch", "busybox:1.36")]; break;
            case "model no digest": snapshot.Deployment.Spec.Models = [new ModelArtifact { Name = "weights", Source = "s3://models/scorer" }]; break;
            case "model oci pinned": snapshot.Deployment.Spec.Models = [new ModelArtifact { Name = "weights", Source = "oci://registry.example.com/models/scorer@" + Digest }]; break;
            case "model bad digest": snapshot.Deployment.Spec.Models = [new ModelArtifact { Name = "weights", Source = "s3://models/scorer", Digest = "sha256:abc" }]; break;
        }

        workload = workload with { GitOpsTracker = GitOps.TrackerOf(labels, annotations) ?? workload.GitOpsTracker };
        var outcome = Evaluate(Control, snapshot with { Workload = workload });

        Assert.True((result, reason) == (outcome.Result, outcome.Reason), $"{why}: got {outcome.Result} {outcome.Reason}: {outcome.Message}");
        Assert.Contains(fragment, outcome.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(WorkloadKind.Service, ControlResult.Met, "Knative Service ml/scorer keeps its earlier Revisions", "Knative keeps Revisions to route back to")]
    [InlineData(WorkloadKind.InferenceService, ControlResult.Met, "InferenceService scorer keeps its previous rolled-out revision", "KServe keeps the previous revision")]
    [InlineData(WorkloadKind.LeaderWorkerSet, ControlResult.NotMet, "LeaderWorkerSet scorer keeps no earlier revision of its own and no GitOps tool tracks it", "no rollback without Git")]
    [InlineData(WorkloadKind.Job, ControlResult.NotMet, "Job scorer keeps no earlier revision of its own", "a Job keeps no earlier spec")]
    [InlineData(WorkloadKind.Pod, ControlResult.NotMet, "Pod scorer keeps no earlier revision of its own", "a bare Pod keeps no earlier spec")]
    public void Kinds_without_revisions_of_their_own_need_gitops(WorkloadKind kind, ControlResult result, string fragment, string why)
    {
        var snapshot = Snapshot();
        var outcome = Evaluate(Control, snapshot with { Workload = snapshot.Workload! with { Kind = kind } });

        Assert.True(result == outcome.Result, $"{why}: got {outcome.Result} {outcome.Reason}: {outcome.Message}");
        Assert.Contains(fragment, outcome.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_leader_worker_set_applied_by_flux_helm_is_restorable()
    {
        var snapshot = Snapshot();
        var workload = snapshot.Workload! with { Kind = WorkloadKind.LeaderWorkerSet, GitOpsTracker = GitOps.TrackerOf(new Dictionary<string, string> { ["helm.toolkit.fluxcd.io/name"] = "vllm", ["helm.toolkit.fluxcd.io/namespace"] = "ml" }, null) };

        var outcome = Evaluate(Control, snapshot with { Workload = workload });

        Assert.Equal(ControlResult.Met, outcome.Result);
        Assert.Contains("applied from Git by Flux HelmRelease ml/vllm", outcome.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_reader_takes_revision_history_and_gitops_marks_from_the_object()
    {
        var deployment = JsonNode.Parse("""
            {"metadata": {"name": "scorer", "annotations": {"argocd.argoproj.io/tracking-id": "ml-apps:apps/Deployment:ml/scorer"}},
             "spec": {"revisionHistoryLimit": 0, "template": {"spec": {"containers": [{"name": "server", "image": "x"}]}}}}
            """)!.AsObject();
        var job = JsonNode.Parse("""{"metadata": {"name": "fetch"}, "spec": {"template": {"spec": {"containers": []}}}}""")!.AsObject();

        var read = WorkloadReader.Read(WorkloadKind.Deployment, deployment);
        var readJob = WorkloadReader.Read(WorkloadKind.Job, job);

        Assert.Equal(0, read.RevisionHistoryLimit);
        Assert.Equal("Argo CD Application ml-apps (annotation argocd.argoproj.io/tracking-id)", read.GitOpsTracker);
        Assert.Null(readJob.RevisionHistoryLimit);
        Assert.Null(readJob.GitOpsTracker);
    }

    [Fact]
    public void Engine_decides_5_2_1_3_1_from_the_cluster_instead_of_awaiting_attestation()
    {
        var snapshot = Snapshot();
        var met = BaselineEngine.Evaluate(snapshot, Profile(), new FakeTimeProvider(Now));
        var notMet = BaselineEngine.Evaluate(snapshot with { Workload = snapshot.Workload! with { RevisionHistoryLimit = 0 } }, Profile(), new FakeTimeProvider(Now));

        Assert.Equal(ProvisionResult.Met, met.Provision("5.2.1-3.1")?.Result);
        Assert.Equal(ProvisionResult.NotMet, notMet.Provision("5.2.1-3.1")?.Result);
        var condition = Assert.Single(notMet.Conditions!, c => c.Type == ConditionTypes.KnownGoodStateRestorable);
        Assert.Equal(("False", KnownGoodStateControl.NoRevisionHistoryReason), (condition.Status, condition.Reason));
    }
}
