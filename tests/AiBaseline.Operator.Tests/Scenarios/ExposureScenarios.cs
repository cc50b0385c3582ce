using System.Text.Json.Nodes;
using AiBaseline.Api.V1Alpha1;
using k8s;
using k8s.Models;

namespace AiBaseline.Operator.Tests.Scenarios;

/// <summary>
/// Provisions the operator decides from what exposes the model and from the workload's own metadata, through its
/// informers: 5.2.2-2 (ApiRateLimit) from Ingresses and their ingress-nginx annotations, and from Gateway API routes
/// and Envoy Gateway BackendTrafficPolicies once their CRDs are installed; 5.2.1-3.1 (KnownGoodState) from
/// revisionHistoryLimit and Argo CD's tracking annotation. The CRDs installed here carry the real names (group, kind,
/// plural, version) with a schema that keeps every field; the operator reads only fields the projects' own CRDs define
/// (Gateway API, kubernetes-sigs/gateway-api, Apache-2.0; Envoy Gateway, envoyproxy/gateway, Apache-2.0).
/// </summary>
public abstract class ExposureScenarios(ClusterTarget target)
{
    private const string Chat = "llama-chat";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_Ingress_without_a_rate_limit_fails_5_2_2_2_and_an_ingress_nginx_limit_meets_it()
    {
        await using var ns = await ScenarioNamespace.CreateAsync(target);
        await ns.ApplyExampleAsync("llm-inference-compliant");
        await ns.StartOperatorAsync();
        await ns.ConditionBecomesAsync(Chat, ConditionTypes.ApiRateLimited, "True");
        Assert.Equal("InternalOnly", (await ns.ConditionAsync(Chat, ConditionTypes.ApiRateLimited))!.Reason);

        await ns.Client.NetworkingV1.CreateNamespacedIngressAsync(Ingress(ns.Name), ns.Name, cancellationToken: Ct);

        await ns.ConditionBecomesAsync(Chat, ConditionTypes.ApiRateLimited, "False");
        var exposed = await ns.ConditionAsync(Chat, ConditionTypes.ApiRateLimited);
        Assert.Equal("NoRateLimit", exposed!.Reason);
        Assert.StartsWith($"Ingress {ns.Name}/chat sends traffic to Service llama-chat from outside the cluster with no rate limit", exposed.Message, StringComparison.Ordinal);
        Assert.Equal(ProvisionResult.NotMet, (await ns.GetAsync(Chat))!.Status!.Provision("5.2.2-2")?.Result);

        var annotate = """{"metadata": {"annotations": {"nginx.ingress.kubernetes.io/limit-rps": "5"}}}""";
        await ns.Client.NetworkingV1.PatchNamespacedIngressAsync(new V1Patch(annotate, V1Patch.PatchType.MergePatch), "chat", ns.Name, cancellationToken: Ct);

        await ns.ConditionBecomesAsync(Chat, ConditionTypes.ApiRateLimited, "True");
        var limited = await ns.ConditionAsync(Chat, ConditionTypes.ApiRateLimited);
        Assert.Equal("RateLimited", limited!.Reason);
        Assert.StartsWith($"every route into the model is rate limited: Ingress {ns.Name}/chat (ingress-nginx limit-rps=5)", limited.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_deployment_without_revision_history_fails_5_2_1_3_1_until_Argo_CD_tracks_it()
    {
        await using var ns = await ScenarioNamespace.CreateAsync(target);
        await ns.ApplyExampleAsync("llm-inference-compliant");
        await ns.StartOperatorAsync();
        await ns.ConditionBecomesAsync(Chat, ConditionTypes.KnownGoodStateRestorable, "True");

        await ns.Client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch("""{"spec": {"revisionHistoryLimit": 0}}""", V1Patch.PatchType.MergePatch), Chat, ns.Name, cancellationToken: Ct);
        await ns.ConditionBecomesAsync(Chat, ConditionTypes.KnownGoodStateRestorable, "False");
        Assert.Equal("NoRevisionHistory", (await ns.ConditionAsync(Chat, ConditionTypes.KnownGoodStateRestorable))!.Reason);

        // Argo CD's tracking annotation changes metadata only, not the generation.
        var tracked = $$$$"""{"metadata": {"annotations": {"argocd.argoproj.io/tracking-id": "chat:apps/Deployment:{{{{ns.Name}}}}/llama-chat"}}}""";
        await ns.Client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch(tracked, V1Patch.PatchType.MergePatch), Chat, ns.Name, cancellationToken: Ct);
        await ns.ConditionBecomesAsync(Chat, ConditionTypes.KnownGoodStateRestorable, "True");
        Assert.Contains("applied from Git by Argo CD Application chat", (await ns.ConditionAsync(Chat, ConditionTypes.KnownGoodStateRestorable))!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_HTTPRoute_is_watched_once_Gateway_API_is_installed_and_an_Envoy_Gateway_policy_limits_it()
    {
        await using var ns = await ScenarioNamespace.CreateAsync(target);
        await ns.ApplyExampleAsync("llm-inference-compliant");
        await ns.StartOperatorAsync();
        await ns.ConditionBecomesAsync(Chat, ConditionTypes.ApiRateLimited, "True");
        await InstallCrdAsync(ns.Client, "gateway.networking.k8s.io", "v1", "httproutes", "HTTPRoute");
        await InstallCrdAsync(ns.Client, "gateway.envoyproxy.io", "v1alpha1", "backendtrafficpolicies", "BackendTrafficPolicy");

        await ns.Client.CustomObjects.CreateNamespacedCustomObjectAsync(Route(ns.Name), "gateway.networking.k8s.io", "v1", ns.Name, "httproutes", cancellationToken: Ct);
        await ns.ConditionBecomesAsync(Chat, ConditionTypes.ApiRateLimited, "False");
        Assert.StartsWith($"HTTPRoute {ns.Name}/chat sends traffic to Service llama-chat", (await ns.ConditionAsync(Chat, ConditionTypes.ApiRateLimited))!.Message, StringComparison.Ordinal);

        await ns.Client.CustomObjects.CreateNamespacedCustomObjectAsync(Policy(ns.Name), "gateway.envoyproxy.io", "v1alpha1", ns.Name, "backendtrafficpolicies", cancellationToken: Ct);
        await ns.ConditionBecomesAsync(Chat, ConditionTypes.ApiRateLimited, "True");
        Assert.Contains($"(Envoy Gateway BackendTrafficPolicy {ns.Name}/chat-limit)", (await ns.ConditionAsync(Chat, ConditionTypes.ApiRateLimited))!.Message, StringComparison.Ordinal);
    }

    private static V1Ingress Ingress(string ns) => KubernetesJson.Deserialize<V1Ingress>($$$$"""
        {
          "apiVersion": "networking.k8s.io/v1", "kind": "Ingress",
          "metadata": {"name": "chat", "namespace": "{{{{ns}}}}"},
          "spec": {"ingressClassName": "nginx", "rules": [{"host": "chat.example.com", "http": {"paths": [
            {"path": "/", "pathType": "Prefix", "backend": {"service": {"name": "llama-chat", "port": {"number": 80} } } }] } }] }
        }
        """);

    private static JsonObject Route(string ns) => JsonNode.Parse($$$"""
        {
          "apiVersion": "gateway.networking.k8s.io/v1", "kind": "HTTPRoute",
          "metadata": {"name": "chat", "namespace": "{{{ns}}}"},
          "spec": {"parentRefs": [{"name": "public", "namespace": "gateways"}], "rules": [{"backendRefs": [{"name": "llama-chat", "port": 80}]}]}
        }
        """)!.AsObject();

    private static JsonObject Policy(string ns) => JsonNode.Parse($$$"""
        {
          "apiVersion": "gateway.envoyproxy.io/v1alpha1", "kind": "BackendTrafficPolicy",
          "metadata": {"name": "chat-limit", "namespace": "{{{ns}}}"},
          "spec": {
            "targetRefs": [{"group": "gateway.networking.k8s.io", "kind": "HTTPRoute", "name": "chat"}],
            "rateLimit": {"type": "Local", "local": {"rules": [{"limit": {"requests": 10, "unit": "Second"}}]}}
          }
        }
        """)!.AsObject();

    private static async Task InstallCrdAsync(Kubernetes client, string group, string version, string plural, string kind)
    {
        var crd = new V1CustomResourceDefinition
        {
            ApiVersion = "apiextensions.k8s.io/v1",
            Kind = "CustomResourceDefinition",
            // Groups under k8s.io are protected: Gateway API's own CRDs carry the approval annotation.
            Metadata = new V1ObjectMeta
            {
                Name = $"{plural}.{group}",
                Annotations = group.EndsWith(".k8s.io", StringComparison.Ordinal) ? new Dictionary<string, string> { ["api-approved.kubernetes.io"] = "https://github.com/kubernetes-sigs/gateway-api/pull/2466" } : null,
            },
            Spec = new V1CustomResourceDefinitionSpec
            {
                Group = group,
                Scope = "Namespaced",
                Names = new V1CustomResourceDefinitionNames { Plural = plural, Kind = kind, ListKind = kind + "List", Singular = kind.ToLowerInvariant() },
                Versions =
                [
                    new V1CustomResourceDefinitionVersion
                    {
                        Name = version,
                        Served = true,
                        Storage = true,
                        Schema = new V1CustomResourceValidation { OpenAPIV3Schema = new V1JSONSchemaProps { Type = "object", XKubernetesPreserveUnknownFields = true } },
                    },
                ],
            },
        };
        await client.ApiextensionsV1.PatchCustomResourceDefinitionAsync(
            new V1Patch(KubernetesJson.Serialize(crd), V1Patch.PatchType.ApplyPatch), crd.Metadata.Name, fieldManager: "aibaseline-e2e", force: true, cancellationToken: Ct);
        await Waiting.UntilAsync(
            async () =>
            {
                try
                {
                    await client.CustomObjects.ListClusterCustomObjectAsync(group, version, plural, limit: 1, cancellationToken: Ct);
                    return true;
                }
                catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
                {
                    return false;
                }
            },
            TimeSpan.FromSeconds(60),
            $"the {kind} CRD is served");
    }
}

/// <summary>On the in-process API emulator: part of every CI run.</summary>
public sealed class EmulatedExposureScenarios(EmulatedCluster cluster) : ExposureScenarios(cluster), IClassFixture<EmulatedCluster>;

/// <summary>On the cluster named by <c>AIBASELINE_E2E_KUBECONFIG</c>.</summary>
public sealed class RealExposureScenarios(RealCluster cluster) : ExposureScenarios(cluster), IClassFixture<RealCluster>;
