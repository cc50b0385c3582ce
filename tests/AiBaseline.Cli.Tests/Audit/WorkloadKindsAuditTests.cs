using System.Text.Json.Nodes;

namespace AiBaseline.Cli.Tests.Audit;

/// <summary>spec.workloadRef may name every kind that carries pod templates, and the audit reads each from manifests.</summary>
public sealed class WorkloadKindsAuditTests
{
    private const string Image = "registry.example.com/ml/server@sha256:1f7c6b5e1d3c2a4b5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5";

    // A pod spec that fails RuntimeHardening (no securityContext), so the finding shows which template was judged.
    private static string Pod(string container, string indent) =>
        $"containers:\n{indent}- name: {container}\n{indent}  image: {Image}";

    public static TheoryData<string, string, string> Workloads => new()
    {
        { "DaemonSet", $"apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {{name: model}}\nspec:\n  selector: {{matchLabels: {{app: model}}}}\n  template:\n    metadata: {{labels: {{app: model}}}}\n    spec:\n      {Pod("agent", "      ")}", "container agent:" },
        { "Job", $"apiVersion: batch/v1\nkind: Job\nmetadata: {{name: model}}\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n      {Pod("download", "      ")}", "container download:" },
        { "CronJob", $"apiVersion: batch/v1\nkind: CronJob\nmetadata: {{name: model}}\nspec:\n  schedule: '0 3 * * *'\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          {Pod("refresh", "          ")}", "container refresh:" },
        { "Pod", $"apiVersion: v1\nkind: Pod\nmetadata: {{name: model}}\nspec:\n  {Pod("ollama", "  ")}", "container ollama:" },
        { "LeaderWorkerSet", $"apiVersion: leaderworkerset.x-k8s.io/v1\nkind: LeaderWorkerSet\nmetadata: {{name: model}}\nspec:\n  leaderWorkerTemplate:\n    size: 2\n    leaderTemplate:\n      spec:\n        {Pod("lead", "        ")}\n    workerTemplate:\n      spec:\n        {Pod("work", "        ")}", "leader template: container lead:" },
        { "InferenceService", $"apiVersion: serving.kserve.io/v1beta1\nkind: InferenceService\nmetadata: {{name: model}}\nspec:\n  predictor:\n    model:\n      modelFormat: {{name: huggingface}}\n      image: {Image}\n", "container kserve-container:" },
        { "RayCluster", $"apiVersion: ray.io/v1\nkind: RayCluster\nmetadata: {{name: model}}\nspec:\n  headGroupSpec:\n    rayStartParams: {{}}\n    template:\n      spec:\n        {Pod("ray-head", "        ")}\n  workerGroupSpecs:\n  - groupName: gpu\n    template:\n      spec:\n        {Pod("ray-worker", "        ")}", "worker group gpu template: container ray-worker:" },
        { "RayService", $"apiVersion: ray.io/v1\nkind: RayService\nmetadata: {{name: model}}\nspec:\n  rayClusterConfig:\n    headGroupSpec:\n      template:\n        spec:\n          {Pod("ray-head", "          ")}", "container ray-head:" },
        { "Service", $"apiVersion: serving.knative.dev/v1\nkind: Service\nmetadata: {{name: model}}\nspec:\n  template:\n    spec:\n      {Pod("user-container", "      ")}", "container user-container:" },
    };

    [Theory]
    [MemberData(nameof(Workloads))]
    public void The_workload_is_found_and_each_of_its_templates_judged(string kind, string workload, string finding)
    {
        using var dir = new TempManifests();
        dir.Write("workload.yaml", workload);
        dir.Write("aimd.yaml", Declaration(kind));

        var run = AuditHarness.Run(dir.Dir, "-o", "json");

        Assert.Equal(1, run.Exit);
        var status = JsonNode.Parse(run.Stdout)!["items"]![0]!["status"]!;
        var conditions = status["conditions"]!.AsArray();
        Assert.DoesNotContain(conditions, c => (string?)c!["reason"] == "WorkloadNotFound");
        var hardening = conditions.Single(c => (string?)c!["type"] == "RuntimeHardened")!;
        Assert.Equal("False", (string?)hardening["status"]);
        Assert.Contains(finding, (string?)hardening["message"], StringComparison.Ordinal);
    }

    [Fact]
    public void A_knative_service_is_named_Service_and_a_core_Service_is_not_a_workload()
    {
        using var dir = new TempManifests();
        dir.Write("service.yaml", "apiVersion: v1\nkind: Service\nmetadata: {name: model}\nspec:\n  ports: [{port: 80}]\n");
        dir.Write("aimd.yaml", Declaration("Service"));

        var run = AuditHarness.Run(dir.Dir);

        Assert.Contains("Service default/model named in spec.workloadRef was not found", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void A_wrong_type_in_a_worker_group_is_bad_input_with_file_line_and_field()
    {
        using var dir = new TempManifests();
        var file = dir.Write("ray.yaml", "apiVersion: ray.io/v1\nkind: RayCluster\nmetadata: {name: model}\nspec:\n  workerGroupSpecs:\n  - groupName: gpu\n    template:\n      spec:\n        containers: ray-worker\n");
        dir.Write("aimd.yaml", Declaration("RayCluster"));

        var run = AuditHarness.Run(dir.Dir);

        Assert.Equal(2, run.Exit);
        Assert.Contains($"{file}:9: RayCluster/model: spec.workerGroupSpecs[0].template.spec.containers:", run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", run.All, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_quantity_in_a_leader_worker_set_is_bad_input()
    {
        using var dir = new TempManifests();
        dir.Write("lws.yaml", "apiVersion: leaderworkerset.x-k8s.io/v1\nkind: LeaderWorkerSet\nmetadata: {name: model}\nspec:\n  leaderWorkerTemplate:\n    workerTemplate:\n      spec:\n        containers:\n        - name: w\n          image: x\n          resources:\n            limits:\n              nvidia.com/gpu: ${ACCELERATOR_COUNT}\n");
        dir.Write("aimd.yaml", Declaration("LeaderWorkerSet"));

        var run = AuditHarness.Run(dir.Dir);

        Assert.Equal(2, run.Exit);
        Assert.Contains("LeaderWorkerSet/model", run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", run.All, StringComparison.Ordinal);
    }

    private static string Declaration(string kind) =>
        $"apiVersion: aibaseline.io/v1alpha1\nkind: AIModelDeployment\nmetadata: {{name: model}}\nspec:\n  stage: Deployment\n  workloadRef: {{kind: {kind}, name: model}}\n";
}
