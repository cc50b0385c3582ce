using System.Text.Json.Nodes;

namespace AiBaseline.Cli.Tests.Audit;

/// <summary>
/// The audit decides 5.2.1-1 (AssetInventory) from the workloads of the input: beside the compliant example in namespace
/// llm-serving, a model server nobody declares in the same namespace fails the deployment; one in another namespace, or
/// an ordinary workload, does not.
/// </summary>
public sealed class InventoryAuditTests
{
    private static string Workload(string name, string ns, string image) =>
        $"apiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: {name}, namespace: {ns}}}\nspec:\n  selector: {{matchLabels: {{app: {name}}}}}\n  template:\n    metadata: {{labels: {{app: {name}}}}}\n    spec:\n      containers:\n      - name: main\n        image: {image}\n";

    private static string Declaration(string name, string ns) =>
        $"apiVersion: aibaseline.io/v1alpha1\nkind: AIModelDeployment\nmetadata: {{name: {name}, namespace: {ns}}}\nspec:\n  stage: Development\n  workloadRef: {{kind: Deployment, name: {name}}}\n";

    [Fact]
    public void The_compliant_example_alone_has_a_complete_inventory()
    {
        var run = Run(Workload("web", "llm-serving", "nginx:1.27"), Workload("db", "llm-serving", "postgres:16"));

        Assert.Equal("Met", (string?)Control(run)["result"]);
        Assert.Null(Condition(run, "InventoryComplete"));
        Assert.Equal(0, run.Exit);
    }

    [Fact]
    public void An_undeclared_vLLM_in_the_namespace_fails_the_deployment_and_says_what_to_create()
    {
        var run = Run(Workload("rogue-chat", "llm-serving", "vllm/vllm-openai:v0.6.3"), Workload("other-chat", "team-b", "vllm/vllm-openai:v0.6.3"));

        var inventory = Condition(run, "InventoryComplete")!;
        Assert.Equal(1, run.Exit);
        Assert.Equal("NotMet", (string?)Control(run)["result"]);
        Assert.Equal(("False", "UndeclaredModelServer"), ((string?)inventory["status"], (string?)inventory["reason"]));
        Assert.StartsWith(
            "Deployment rogue-chat (container main runs vLLM (vllm/vllm-openai:v0.6.3)) in namespace llm-serving has no AIModelDeployment: create one for each, whose spec.workloadRef names its kind and name",
            (string?)inventory["message"],
            StringComparison.Ordinal);
        Assert.DoesNotContain("other-chat", (string?)inventory["message"], StringComparison.Ordinal);
    }

    [Fact]
    public void Declaring_the_model_server_completes_the_inventory()
    {
        var run = Run(Workload("rogue-chat", "llm-serving", "vllm/vllm-openai:v0.6.3"), Declaration("rogue-chat", "llm-serving"));

        Assert.Equal("Met", (string?)Control(run)["result"]);
        Assert.Null(Condition(run, "InventoryComplete"));
    }

    [Fact]
    public void Only_a_model_server_of_another_namespace_leaves_the_deployment_met()
    {
        var run = Run(Workload("other-chat", "team-b", "vllm/vllm-openai:v0.6.3"));

        Assert.Equal("Met", (string?)Control(run)["result"]);
    }

    private static AuditResult Run(params string[] extra)
    {
        using var dir = new TempManifests();
        foreach (var file in Directory.GetFiles(AuditHarness.Examples("llm-inference-compliant"), "*.yaml"))
        {
            dir.Write(Path.GetFileName(file), File.ReadAllText(file));
        }

        dir.Write("profile.yaml", File.ReadAllText(AuditHarness.Examples("profiles/default.yaml")));
        dir.Write("extra.yaml", string.Join("---\n", extra));
        return AuditHarness.Run(dir.Dir, "-o", "json");
    }

    private static JsonNode Status(AuditResult run) =>
        JsonNode.Parse(run.Stdout)!["items"]!.AsArray().Single(i => (string?)i!["metadata"]!["name"] == "llama-chat")!["status"]!;

    /// <summary>The condition, present only while the inventory is incomplete.</summary>
    private static JsonNode? Condition(AuditResult run, string type) =>
        Status(run)["conditions"]!.AsArray().SingleOrDefault(c => (string?)c!["type"] == type);

    private static JsonNode Control(AuditResult run) =>
        Status(run)["controls"]!.AsArray().Single(c => (string?)c!["name"] == "AssetInventory")!;
}
