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
