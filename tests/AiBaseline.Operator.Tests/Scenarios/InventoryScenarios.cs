using System.Text.Json;
using AiBaseline.Api.V1Alpha1;
using k8s;
using k8s.Models;

namespace AiBaseline.Operator.Tests.Scenarios;

/// <summary>
/// 5.2.1-1 from the cluster: a vLLM Deployment that nobody declares, created beside the compliant example, turns the
/// example's InventoryComplete False and is counted in the profile's status.inventory; declaring it with an
/// AIModelDeployment turns both back. An ordinary web server beside them is never counted.
/// </summary>
public abstract class InventoryScenarios(ClusterTarget target)
{
    private const string Chat = "llama-chat";
    private const string Rogue = "rogue-chat";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_undeclared_vLLM_fails_the_namespace_inventory_until_it_is_declared()
    {
        await using var ns = await ScenarioNamespace.CreateAsync(target);
        await ns.ApplyExampleAsync("llm-inference-compliant");
        await ns.CreateAsync([Workload(ns.Name, "web", "nginx:1.27")]);
        await ns.StartOperatorAsync();
        await ns.EventuallyAsync(async () => await InventoryResultAsync(ns) == ControlResult.Met, "AssetInventory is met");
        Assert.Null(await ns.ConditionAsync(Chat, ConditionTypes.InventoryComplete));
        await ns.EventuallyAsync(async () => await InventoryAsync(ns) is { Undeclared: 0, Declared: 1 }, "the profile counts 1 declared and 0 undeclared model servers");

        await ns.CreateAsync([Workload(ns.Name, Rogue, "vllm/vllm-openai:v0.6.3")]);

        await ns.ConditionFollowsAsync(Chat, ConditionTypes.InventoryComplete, "False");
        var condition = (await ns.ConditionAsync(Chat, ConditionTypes.InventoryComplete))!;
        Assert.Equal("UndeclaredModelServer", condition.Reason);
        Assert.StartsWith($"Deployment {Rogue} (container main runs vLLM (vllm/vllm-openai:v0.6.3)) in namespace {ns.Name} has no AIModelDeployment: create one", condition.Message, StringComparison.Ordinal);
        Assert.Equal(ProvisionResult.NotMet, (await ns.GetAsync(Chat))!.Status!.Provision("5.2.1-1")?.Result);
        await Waiting.UntilAsync(async () => await InventoryAsync(ns) is { Undeclared: 1 }, ClusterTarget.ChangePatience, "the profile counts the undeclared vLLM");
        var listed = Assert.Single((await InventoryAsync(ns))!.UndeclaredWorkloads!);
        Assert.Equal((ns.Name, "Deployment", Rogue), (listed.Namespace, listed.Kind, listed.Name));

        await ns.CreateAsync([Declaration(ns.Name, ns.Profile, Rogue)]);

        await Waiting.UntilAsync(async () => await InventoryResultAsync(ns) == ControlResult.Met, ClusterTarget.ChangePatience, "AssetInventory is met again");
        Assert.Null(await ns.ConditionAsync(Chat, ConditionTypes.InventoryComplete));
        await Waiting.UntilAsync(async () => await InventoryAsync(ns) is { Undeclared: 0, Declared: 2, UndeclaredWorkloads: null }, ClusterTarget.ChangePatience, "the profile counts 2 declared and none undeclared");
    }

    private static async Task<ControlResult?> InventoryResultAsync(ScenarioNamespace ns) =>
        (await ns.GetAsync(Chat))?.Status?.Controls?.FirstOrDefault(c => c.Name == "AssetInventory")?.Result;

    private static async Task<InventorySummary?> InventoryAsync(ScenarioNamespace ns)
    {
        var json = (JsonElement)await ns.Client.CustomObjects.GetClusterCustomObjectAsync(ApiGroup.Group, ApiGroup.Version, ApiGroup.BaselineProfilePlural, ns.Profile, cancellationToken: Ct);
        return KubernetesJson.Deserialize<BaselineProfile>(json.GetRawText()).Status?.Inventory;
    }

    private static V1Deployment Workload(string ns, string name, string image) => new()
    {
        ApiVersion = "apps/v1",
        Kind = "Deployment",
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
        Spec = new V1DeploymentSpec
        {
            Replicas = 0,
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = name } },
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = name } },
                Spec = new V1PodSpec { Containers = [new V1Container { Name = "main", Image = image }] },
            },
        },
    };

    private static AIModelDeployment Declaration(string ns, string profile, string name) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
        Spec = new AIModelDeploymentSpec
        {
            Profile = profile,
            Stage = LifecycleStage.Development,
            WorkloadRef = new WorkloadReference { Kind = WorkloadKind.Deployment, Name = name },
        },
    };
}

/// <summary>On the in-process API emulator: part of every CI run.</summary>
public sealed class EmulatedInventoryScenarios(EmulatedCluster cluster) : InventoryScenarios(cluster), IClassFixture<EmulatedCluster>;

/// <summary>On the cluster named by <c>AIBASELINE_E2E_KUBECONFIG</c>.</summary>
public sealed class RealInventoryScenarios(RealCluster cluster) : InventoryScenarios(cluster), IClassFixture<RealCluster>;
