using System.Text.Json;
using System.Text.Json.Nodes;
using AiBaseline.Api.V1Alpha1;
using AiBaseline.Engine.Workloads;
using k8s;
using k8s.Models;

namespace AiBaseline.Operator.Tests.Scenarios;

/// <summary>
/// The serving stacks' workloads in a cluster: the operator, started before their CustomResourceDefinitions exist,
/// starts watching each kind when its real CRD is installed, judges every pod template of the objects, and, for an
/// InferenceService, the Deployments KServe creates for it too.
/// </summary>
public abstract class ServingKindsScenarios(ClusterTarget target)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Kinds_whose_CRDs_are_installed_after_the_operator_started_are_watched_and_every_template_judged()
    {
        await using var ns = await ScenarioNamespace.CreateAsync(target);
        await ns.StartOperatorAsync();
        await InstallServingCrdsAsync(ns.Client);
        await ApplyAsync(ns, "kserve-inferenceservice");
        await ApplyAsync(ns, "multihost-vllm-lws");

        await ns.ConditionBecomesAsync("granite-chat", ConditionTypes.Ready, "True");
        await ns.ConditionBecomesAsync("llama-405b", ConditionTypes.RuntimeHardened, "False");
        var hardening = await ns.ConditionAsync("llama-405b", ConditionTypes.RuntimeHardened);
        Assert.StartsWith("worker template: container vllm-worker:", hardening!.Message, StringComparison.Ordinal);
        Assert.Equal("True", (await ns.ConditionAsync("llama-405b", ConditionTypes.NetworkIsolated))?.Status);
    }

    [Fact]
    public async Task A_Deployment_KServe_made_for_an_InferenceService_is_judged_with_it()
    {
        await using var ns = await ScenarioNamespace.CreateAsync(target);
        await InstallServingCrdsAsync(ns.Client);
        await ApplyAsync(ns, "kserve-inferenceservice");
        await ns.StartOperatorAsync();
        await ns.ConditionBecomesAsync("granite-chat", ConditionTypes.Ready, "True");

        // What KServe's raw deployment mode creates: a Deployment controlled by the InferenceService, here without the hardening.
        var isvc = (JsonElement)await ns.Client.CustomObjects.GetNamespacedCustomObjectAsync("serving.kserve.io", "v1beta1", ns.Name, "inferenceservices", "granite-chat", cancellationToken: Ct);
        var uid = isvc.GetProperty("metadata").GetProperty("uid").GetString();
        var labels = new Dictionary<string, string> { ["serving.kserve.io/inferenceservice"] = "granite-chat", ["component"] = "predictor" };
        await ns.Client.AppsV1.CreateNamespacedDeploymentAsync(
            new V1Deployment
            {
                Metadata = new V1ObjectMeta
                {
                    Name = "granite-chat-predictor",
                    OwnerReferences = [new V1OwnerReference { ApiVersion = "serving.kserve.io/v1beta1", Kind = "InferenceService", Name = "granite-chat", Uid = uid, Controller = true }],
                },
                Spec = new V1DeploymentSpec
                {
                    Replicas = 0,
                    Selector = new V1LabelSelector { MatchLabels = labels },
                    Template = new V1PodTemplateSpec
                    {
                        Metadata = new V1ObjectMeta { Labels = labels },
                        Spec = new V1PodSpec { ServiceAccountName = "granite-chat", AutomountServiceAccountToken = false, Containers = [new V1Container { Name = "kserve-container", Image = "registry.acme.example/mirror/kserve/huggingfaceserver@sha256:1e3b5d7f9a1c3e5b7d9f1a3c5e7b9d1f3a5c7e9b1d3f5a7c9e1b3d5f7a9c1e3b" }] },
                    },
                },
            },
            ns.Name,
            cancellationToken: Ct);

        await ns.ConditionFollowsAsync("granite-chat", ConditionTypes.RuntimeHardened, "False");
        var hardening = await ns.ConditionAsync("granite-chat", ConditionTypes.RuntimeHardened);
        Assert.StartsWith("Deployment granite-chat-predictor template: container kserve-container:", hardening!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_model_server_nobody_declared_is_counted_and_warned_about_until_it_is_declared()
    {
        await using var ns = await ScenarioNamespace.CreateAsync(target);
        var run = await ns.StartOperatorAsync();
        await ns.Client.AppsV1.CreateNamespacedDeploymentAsync(Server("shadow-llm", "vllm/vllm-openai:v0.6.3"), ns.Name, cancellationToken: Ct);
        await ns.Client.AppsV1.CreateNamespacedDeploymentAsync(Server("web", "nginx:1.27"), ns.Name, cancellationToken: Ct);
        await ns.Client.AppsV1.CreateNamespacedDeploymentAsync(Server("db", "postgres:16"), ns.Name, cancellationToken: Ct);

        await ns.EventuallyAsync(async () => await UndeclaredAsync(run) == 1, "aibaseline_undeclared_workloads{kind=\"Deployment\"} is 1");
        await ns.EventuallyAsync(
            async () => (await ns.EventsAsync()).Any(e => e.Type == "Warning" && e.Reason == "UndeclaredModelServer" && e.Regarding.Kind == "Deployment" && e.Regarding.Name == "shadow-llm"),
            "a Warning event on the undeclared vLLM Deployment");
        Assert.DoesNotContain(await ns.EventsAsync(), e => e.Reason == "UndeclaredModelServer" && e.Regarding.Name != "shadow-llm");

        // Declaring it takes it off the inventory's list.
        await ns.CreateAsync([new AIModelDeployment
        {
            Metadata = new V1ObjectMeta { Name = "shadow-llm", NamespaceProperty = ns.Name },
            Spec = new AIModelDeploymentSpec { Profile = ns.Profile, Stage = LifecycleStage.Deployment, WorkloadRef = new WorkloadReference { Kind = WorkloadKind.Deployment, Name = "shadow-llm" } },
        }]);
        await Waiting.UntilAsync(async () => await UndeclaredAsync(run) == 0, ClusterTarget.ChangePatience, "the declared server leaves the inventory");
    }

    private static V1Deployment Server(string name, string image)
    {
        var labels = new Dictionary<string, string> { ["app"] = name };
        return new V1Deployment
        {
            Metadata = new V1ObjectMeta { Name = name },
            Spec = new V1DeploymentSpec
            {
                Replicas = 0,
                Selector = new V1LabelSelector { MatchLabels = labels },
                Template = new V1PodTemplateSpec { Metadata = new V1ObjectMeta { Labels = labels }, Spec = new V1PodSpec { Containers = [new V1Container { Name = "main", Image = image }] } },
            },
        };
    }

    /// <summary>What <c>/metrics</c> says of undeclared Deployments.</summary>
    private static async Task<int> UndeclaredAsync(OperatorRun run)
    {
        using var scrape = new MemoryStream();
        await run.Host.Registry.CollectAndExportAsTextAsync(scrape, Ct);
        var line = System.Text.Encoding.UTF8.GetString(scrape.ToArray()).Split('\n').FirstOrDefault(l => l.StartsWith("aibaseline_undeclared_workloads{kind=\"Deployment\"}", StringComparison.Ordinal));
        return line is null ? 0 : (int)double.Parse(line.Split(' ')[^1], System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Installs the vendored CRDs of LeaderWorkerSet, KServe, KubeRay and Knative Serving, and waits until each is served.</summary>
    private async Task InstallServingCrdsAsync(Kubernetes client)
    {
        foreach (var file in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "serving-crds"), "*.yaml").Order(StringComparer.Ordinal))
        {
            // As JSON straight from the YAML: the client's typed model would drop schema extensions on the way.
            var body = Json((await File.ReadAllTextAsync(file, Ct)).Split("\n---", StringSplitOptions.RemoveEmptyEntries).Single(d => d.Contains("kind: CustomResourceDefinition", StringComparison.Ordinal)))!;
            body.Remove("status");
            await client.ApiextensionsV1.PatchCustomResourceDefinitionAsync(
                new V1Patch(body.ToJsonString(), V1Patch.PatchType.ApplyPatch), (string)body["metadata"]!["name"]!, fieldManager: ClusterTarget.FieldManager, force: true, cancellationToken: Ct);
        }

        foreach (var type in WorkloadTypes.All.Where(t => t.Crd))
        {
            await Waiting.UntilAsync(
                async () =>
                {
                    try
                    {
                        await client.CustomObjects.ListClusterCustomObjectAsync(type.Group, type.Version, type.Plural, limit: 1, cancellationToken: Ct);
                        return true;
                    }
                    catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
                    {
                        return false;
                    }
                },
                target.Patience,
                $"{type.CrdName} is served");
        }
    }

    private static JsonObject? Json(string yaml) =>
        JsonNode.Parse(JsonSerializer.Serialize(new YamlDotNet.Serialization.DeserializerBuilder().WithAttemptingUnquotedStringTypeDeserialization().Build().Deserialize<object>(yaml)))?.AsObject();

    /// <summary>Creates an example's objects here: the serving stacks' kinds as custom objects, the rest as the other scenarios do.</summary>
    private static async Task ApplyAsync(ScenarioNamespace ns, string folder)
    {
        var builtIn = new List<string>();
        foreach (var file in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "examples", folder), "*.yaml").Order(StringComparer.Ordinal))
        {
            foreach (var document in (await File.ReadAllTextAsync(file, Ct)).Split("\n---", StringSplitOptions.RemoveEmptyEntries))
            {
                var obj = Json(document);
                var apiVersion = (string?)obj?["apiVersion"] ?? "";
                var type = WorkloadTypes.Of(apiVersion.Split('/')[0], (string?)obj?["kind"] ?? "");
                if (type is { Crd: true })
                {
                    obj!["metadata"]!["namespace"] = ns.Name;
                    await ns.Client.CustomObjects.CreateNamespacedCustomObjectAsync(obj, type.Group, type.Version, ns.Name, type.Plural, cancellationToken: Ct);
                }
                else
                {
                    builtIn.Add(document);
                }
            }
        }

        var dir = Directory.CreateTempSubdirectory("aibaseline-serving-");
        try
        {
            var examples = Path.Combine(AppContext.BaseDirectory, "examples", "serving-" + dir.Name);
            Directory.CreateDirectory(examples);
            await File.WriteAllTextAsync(Path.Combine(examples, "objects.yaml"), string.Join("\n---\n", builtIn), Ct);
            await ns.ApplyExampleAsync("serving-" + dir.Name);
            Directory.Delete(examples, recursive: true);
        }
        finally
        {
            dir.Delete();
        }
    }
}

/// <summary>On the in-process API emulator: part of every CI run.</summary>
public sealed class EmulatedServingKindsScenarios(EmulatedCluster cluster) : ServingKindsScenarios(cluster), IClassFixture<EmulatedCluster>;

/// <summary>On the cluster named by <c>AIBASELINE_E2E_KUBECONFIG</c>, where the API server validates the objects against the real CRDs.</summary>
public sealed class RealServingKindsScenarios(RealCluster cluster) : ServingKindsScenarios(cluster), IClassFixture<RealCluster>;
