using System.Collections.Immutable;
using AiBaseline.Api.V1Alpha1;
using AiBaseline.Engine.Controls;
using AiBaseline.Engine.Inventory;
using k8s.Models;
using static AiBaseline.Engine.Tests.Builders;
using static AiBaseline.Engine.Tests.PodTemplateBuilders;

namespace AiBaseline.Engine.Tests;

public sealed class AssetInventoryControlTests
{
    private static readonly AssetInventoryControl Control = new();

    /// <summary>A workload of the cluster or the input, as the gatherers pass them to the inventory.</summary>
    private sealed record Row(string Namespace, WorkloadKind Kind, string Name, string Image, bool Gpu = false, bool Declared = false, bool Owned = false);

    private static readonly Dictionary<string, Row[]> Clusters = new()
    {
        ["only the model"] = [new(Namespace, WorkloadKind.Deployment, "scorer", "vllm/vllm-openai:v0.6.3", Declared: true)],
        ["declared vLLM beside it"] = [new(Namespace, WorkloadKind.Deployment, "chat", "vllm/vllm-openai:v0.6.3", Declared: true)],
        ["undeclared vLLM"] = [new(Namespace, WorkloadKind.Deployment, "chat", "vllm/vllm-openai:v0.6.3")],
        ["undeclared GPU job"] = [new(Namespace, WorkloadKind.Job, "finetune", "registry.example.com/ml/trainer:1", Gpu: true)],
        ["undeclared elsewhere"] = [new("team-b", WorkloadKind.Deployment, "chat", "vllm/vllm-openai:v0.6.3")],
        ["owned by a controller"] = [new(Namespace, WorkloadKind.Deployment, "chat-predictor", "vllm/vllm-openai:v0.6.3", Owned: true)],
        ["ordinary workloads"] =
        [
            new(Namespace, WorkloadKind.Deployment, "web", "nginx:1.27"),
            new(Namespace, WorkloadKind.StatefulSet, "db", "postgres:16"),
            new(Namespace, WorkloadKind.Deployment, "cache", "redis:7"),
            new(Namespace, WorkloadKind.Job, "migrate", "registry.example.com/app/migrate:2"),
            new(Namespace, WorkloadKind.CronJob, "backup", "registry.example.com/ops/backup:1"),
            new(Namespace, WorkloadKind.Deployment, "serving", "registry.example.com/app/serving:3"),
            new(Namespace, WorkloadKind.Deployment, "infinity", "registry.example.com/app/infinity:1"),
            new(Namespace, WorkloadKind.DaemonSet, "gpu-exporter", "nvcr.io/nvidia/k8s/dcgm-exporter:3.3", Gpu: true),
        ],
        ["four undeclared"] =
        [
            new(Namespace, WorkloadKind.Deployment, "d", "ollama/ollama:0.3"),
            new(Namespace, WorkloadKind.Deployment, "a", "vllm/vllm-openai:v0.6.3"),
            new(Namespace, WorkloadKind.StatefulSet, "c", "ghcr.io/huggingface/text-generation-inference:2.4"),
            new(Namespace, WorkloadKind.Deployment, "b", "nvcr.io/nvidia/tritonserver:24.08-py3"),
        ],
    };

    [Theory]
    [InlineData("only the model", ControlResult.Met, AssetInventoryControl.AllDeclaredReason, "every model server of the namespace is declared", "the deployment declares its own workload")]
    [InlineData("declared vLLM beside it", ControlResult.Met, AssetInventoryControl.AllDeclaredReason, "every model server of the namespace is declared", "another AIModelDeployment declares the other model server")]
    [InlineData("undeclared vLLM", ControlResult.NotMet, AssetInventoryControl.UndeclaredModelServerReason, "Deployment chat (container main runs vLLM (vllm/vllm-openai:v0.6.3)) in namespace ml has no AIModelDeployment: create one", "a model server of the namespace nobody declares")]
    [InlineData("undeclared GPU job", ControlResult.NotMet, AssetInventoryControl.UndeclaredModelServerReason, "Job finetune (container main requests nvidia.com/gpu)", "an accelerator request marks a model workload")]
    [InlineData("undeclared elsewhere", ControlResult.Met, AssetInventoryControl.AllDeclaredReason, "of the namespace is declared", "another namespace's model servers are its own deployments' concern")]
    [InlineData("owned by a controller", ControlResult.Met, AssetInventoryControl.AllDeclaredReason, "is declared", "a Deployment another object controls counts through its owner")]
    [InlineData("ordinary workloads", ControlResult.Met, AssetInventoryControl.AllDeclaredReason, "is declared", "web servers, databases, batch jobs, a repository named like a model server and a GPU node agent are not model servers")]
    [InlineData("four undeclared", ControlResult.NotMet, AssetInventoryControl.UndeclaredModelServerReason, "Deployment a (container main runs vLLM (vllm/vllm-openai:v0.6.3)); Deployment b (container main runs Triton Inference Server (nvcr.io/nvidia/tritonserver:24.08-py3)); Deployment d (container main runs Ollama (ollama/ollama:0.3)) and 1 more in namespace ml have no AIModelDeployment", "the first three by kind and name, then how many more")]
    public void Judges_whether_every_model_server_of_the_namespace_is_declared(string cluster, ControlResult result, string reason, string fragment, string why)
    {
        var outcome = Evaluate(Control, Snapshot().WithUndeclaredModelServers(UndeclaredIn(Clusters[cluster])));

        Assert.True((result, reason) == (outcome.Result, outcome.Reason), $"{why}: got {outcome.Result} {outcome.Reason}: {outcome.Message}");
        Assert.Contains(fragment, outcome.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_retired_model_is_not_judged_on_its_namespace()
    {
        var outcome = Evaluate(Control, Snapshot(Deployment(LifecycleStage.Retirement)).WithUndeclaredModelServers(UndeclaredIn(Clusters["undeclared vLLM"])));

        Assert.Equal(ControlResult.NotApplicable, outcome.Result);
    }

    [Fact]
    public void Every_template_of_a_multi_template_workload_sees_the_namespace()
    {
        var snapshot = Snapshot();
        snapshot = snapshot with { PerTemplate = [new("leader", snapshot), new("worker", snapshot)] };

        var outcome = Controls.TemplateOutcomes.Evaluate(Control, snapshot.WithUndeclaredModelServers(UndeclaredIn(Clusters["undeclared vLLM"])), Profile().Spec, Now);

        Assert.Equal(ControlResult.NotMet, outcome.Result);
        Assert.StartsWith("Deployment chat", outcome.Message, StringComparison.Ordinal);
    }

    /// <summary>The undeclared model servers among the rows, of every namespace: the control keeps those of its own.</summary>
    private static ImmutableArray<UndeclaredWorkload> UndeclaredIn(IEnumerable<Row> rows) =>
        [.. WorkloadInventory.Undeclared(
                rows.Select(r => (r, r.Namespace, State(r), r.Owned)),
                (kind, n, name) => rows.Any(r => r.Declared && r.Kind == kind && r.Namespace == n && r.Name == name))
            .Select(u => u.Workload)];

    private static WorkloadState State(Row row)
    {
        var container = Container("main", row.Image);
        if (row.Gpu)
        {
            container.Resources = new V1ResourceRequirements { Limits = new Dictionary<string, ResourceQuantity> { ["nvidia.com/gpu"] = new("1") } };
        }

        return Workload(container) with { Kind = row.Kind, Name = row.Name };
    }
}
