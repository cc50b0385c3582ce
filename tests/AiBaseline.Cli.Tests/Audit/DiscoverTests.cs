using System.Text.Json.Nodes;

namespace AiBaseline.Cli.Tests.Audit;

/// <summary><c>aibaseline audit --discover</c> lists the model servers nobody declared, and nothing else.</summary>
public sealed class DiscoverTests
{
    private static string Deployment(string name, string image, string resources = "") =>
        $"apiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: {name}, namespace: team}}\nspec:\n  selector: {{matchLabels: {{app: {name}}}}}\n  template:\n    metadata: {{labels: {{app: {name}}}}}\n    spec:\n      containers:\n      - name: main\n        image: {image}\n{resources}";

    private const string Gpu = "        resources:\n          limits:\n            nvidia.com/gpu: 1\n";

    public static TheoryData<string, string> ModelServers => new()
    {
        // Reason: each known serving image is recognised whatever registry or mirror it comes from.
        { Deployment("chat", "vllm/vllm-openai:v0.6.3"), "Deployment team/chat" },
        { Deployment("tgi", "ghcr.io/huggingface/text-generation-inference:2.4.0"), "Deployment team/tgi" },
        { Deployment("triton", "nvcr.io/nvidia/tritonserver:24.08-py3"), "Deployment team/triton" },
        { Deployment("ollama", "registry.acme.example/mirror/ollama/ollama@sha256:1f7c6b5e1d3c2a4b5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5"), "Deployment team/ollama" },
        { Deployment("nim", "nvcr.io/nim/meta/llama-3.1-8b-instruct:1.3.3"), "Deployment team/nim" },
        { Deployment("tfs", "tensorflow/serving:2.17.0"), "Deployment team/tfs" },
        { Deployment("llamacpp", "ghcr.io/ggml-org/llama.cpp:server"), "Deployment team/llamacpp" },
        { Deployment("sglang", "lmsysorg/sglang:v0.4.0"), "Deployment team/sglang" },
        // Reason: an unknown image asking for a GPU is an AI workload too.
        { Deployment("custom", "registry.acme.example/ml/scorer:1.0", Gpu), "Deployment team/custom" },
        // Reason: the serving kinds are model servers by what they are.
        { "apiVersion: serving.kserve.io/v1beta1\nkind: InferenceService\nmetadata: {name: iris, namespace: team}\nspec:\n  predictor:\n    sklearn: {storageUri: 'gs://kfserving-examples/models/sklearn/1.0/model'}\n", "InferenceService team/iris" },
        { "apiVersion: batch/v1\nkind: Job\nmetadata: {name: finetune, namespace: team}\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n      - name: train\n        image: pytorch/pytorch:2.4.0-cuda12.1-cudnn9-runtime\n        resources:\n          limits: {nvidia.com/gpu: 8}\n", "Job team/finetune" },
        { "apiVersion: v1\nkind: Pod\nmetadata: {name: kubeai-model, namespace: team}\nspec:\n  containers:\n  - name: server\n    image: ollama/ollama:0.4.0\n", "Pod team/kubeai-model" },
    };

    [Theory]
    [MemberData(nameof(ModelServers))]
    public void An_undeclared_model_server_is_listed_and_exits_1(string manifest, string listed)
    {
        using var dir = new TempManifests();
        dir.Write("workload.yaml", manifest);

        var run = AuditHarness.Run(dir.Dir, "--discover");

        Assert.Equal(1, run.Exit);
        Assert.Contains("inventory (5.2.1-1): 1 model server without an AIModelDeployment:", run.Stdout, StringComparison.Ordinal);
        Assert.Contains($"  {listed}  (", run.Stdout, StringComparison.Ordinal);
    }

    public static TheoryData<string> OrdinaryWorkloads => new()
    {
        // Reason: false alarms cost more than misses: none of these serves a model.
        Deployment("web", "nginx:1.27"),
        Deployment("db", "postgres:16"),
        Deployment("cache", "redis:7.4"),
        Deployment("api", "python:3.12-slim"),
        Deployment("flask", "registry.acme.example/shop/orders-api:2.3.1"),
        Deployment("tfserving-docs", "registry.acme.example/docs/serving:1.0"),
        "apiVersion: batch/v1\nkind: Job\nmetadata: {name: nightly-report, namespace: team}\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n      - name: report\n        image: python:3.12-slim\n        resources:\n          limits: {cpu: 2, memory: 4Gi}\n",
        "apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: dcgm-exporter, namespace: team}\nspec:\n  selector: {matchLabels: {app: dcgm}}\n  template:\n    metadata: {labels: {app: dcgm}}\n    spec:\n      containers:\n      - name: exporter\n        image: nvcr.io/nvidia/k8s/dcgm-exporter:3.3.8-3.6.0-ubuntu22.04\n",
        "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: kafka, namespace: team}\nspec:\n  serviceName: kafka\n  selector: {matchLabels: {app: kafka}}\n  template:\n    metadata: {labels: {app: kafka}}\n    spec:\n      containers:\n      - name: kafka\n        image: bitnami/kafka:3.8\n",
    };

    [Theory]
    [MemberData(nameof(OrdinaryWorkloads))]
    public void An_ordinary_workload_is_not_listed(string manifest)
    {
        using var dir = new TempManifests();
        dir.Write("workload.yaml", manifest);

        var run = AuditHarness.Run(dir.Dir, "--discover");

        Assert.Equal(0, run.Exit);
        Assert.Contains("inventory (5.2.1-1): every model server in the input is declared by an AIModelDeployment", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Declared_model_servers_and_what_a_controller_owns_are_not_listed()
    {
        using var dir = new TempManifests();
        dir.Write("declared.yaml", Deployment("chat", "vllm/vllm-openai:v0.6.3"));
        dir.Write("aimd.yaml", "apiVersion: aibaseline.io/v1alpha1\nkind: AIModelDeployment\nmetadata: {name: chat, namespace: team}\nspec:\n  stage: Deployment\n  workloadRef: {kind: Deployment, name: chat}\n");
        dir.Write("owned.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: iris-predictor\n  namespace: team\n  ownerReferences:\n  - {apiVersion: serving.kserve.io/v1beta1, kind: InferenceService, name: iris, uid: 1f7c, controller: true}\nspec:\n  selector: {matchLabels: {app: iris}}\n  template:\n    metadata: {labels: {app: iris}}\n    spec:\n      containers:\n      - {name: kserve-container, image: kserve/sklearnserver:v0.14.0}\n");

        var run = AuditHarness.Run(dir.Dir, "--discover", "-o", "json");

        Assert.Empty(JsonNode.Parse(run.Stdout)!["undeclared"]!.AsArray());
    }

    [Fact]
    public void The_examples_declare_every_model_server_they_run()
    {
        var run = AuditHarness.Run(AuditHarness.Examples(), "--discover", "-o", "json");

        Assert.Empty(JsonNode.Parse(run.Stdout)!["undeclared"]!.AsArray());
    }

    [Fact]
    public void The_JSON_report_names_kind_namespace_name_reason_and_line()
    {
        using var dir = new TempManifests();
        var file = dir.Write("chat.yaml", "# the chat server\n" + Deployment("chat", "vllm/vllm-openai:v0.6.3"));

        var run = AuditHarness.Run(dir.Dir, "--discover", "-o", "json");

        var item = JsonNode.Parse(run.Stdout)!["undeclared"]!.AsArray().Single()!;
        Assert.Equal(("Deployment", "team", "chat", file, 2), ((string?)item["kind"], (string?)item["namespace"], (string?)item["name"], (string?)item["file"], (int?)item["line"]));
        Assert.Equal("container main runs vLLM (vllm/vllm-openai:v0.6.3)", (string?)item["why"]);
    }

    [Fact]
    public void Without_discover_no_AIModelDeployment_is_still_bad_input()
    {
        using var dir = new TempManifests();
        dir.Write("chat.yaml", Deployment("chat", "vllm/vllm-openai:v0.6.3"));

        Assert.Equal(2, AuditHarness.Run(dir.Dir).Exit);
    }
}
