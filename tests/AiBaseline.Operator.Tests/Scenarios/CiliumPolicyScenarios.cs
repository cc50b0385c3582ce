using System.Text.Json.Nodes;
using AiBaseline.Api.V1Alpha1;
using k8s;
using k8s.Models;

namespace AiBaseline.Operator.Tests.Scenarios;

/// <summary>
/// CiliumNetworkPolicy on a real API server: with Cilium's CRDs installed, the operator finds them by discovery,
/// watches the policies, and judges the model pods by them. Only on a real cluster: the CRDs stay installed, as every
/// CRD the tier installs does. The CRDs installed here carry Cilium's names (group, kinds, plurals, scopes, version v2)
/// with a schema that keeps every field; Cilium's own CRDs (cilium/cilium, pkg/k8s/apis/cilium.io/client/crds/v2,
/// Apache-2.0) are used unchanged where Cilium is installed, and the operator reads only the fields those define.
/// </summary>
public sealed class CiliumPolicyScenarios(RealCluster cluster) : IClassFixture<RealCluster>
{
    private const string Chat = "llama-chat";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_CiliumNetworkPolicy_isolates_the_pods_once_Cilium_CRDs_are_installed_and_its_removal_says_NoNetworkPolicy()
    {
        await using var ns = await ScenarioNamespace.CreateAsync(cluster);
        await InstallCiliumCrdsAsync(ns.Client);
        await ns.ApplyExampleAsync("llm-inference-compliant");
        foreach (var policy in (await ns.Client.NetworkingV1.ListNamespacedNetworkPolicyAsync(ns.Name, cancellationToken: Ct)).Items)
        {
            await ns.Client.NetworkingV1.DeleteNamespacedNetworkPolicyAsync(policy.Metadata.Name, ns.Name, cancellationToken: Ct);
        }

        await ns.Client.CustomObjects.CreateNamespacedCustomObjectAsync(Policy(ns.Name), "cilium.io", "v2", ns.Name, "ciliumnetworkpolicies", cancellationToken: Ct);
        await ns.StartOperatorAsync();

        await ns.ConditionBecomesAsync(Chat, ConditionTypes.NetworkIsolated, "True");
        var isolated = await ns.ConditionAsync(Chat, ConditionTypes.NetworkIsolated);
        Assert.StartsWith("ingress isolated by CiliumNetworkPolicy llama-chat; egress isolated by CiliumNetworkPolicy llama-chat", isolated!.Message, StringComparison.Ordinal);

        await ns.Client.CustomObjects.DeleteNamespacedCustomObjectAsync("cilium.io", "v2", ns.Name, "ciliumnetworkpolicies", Chat, cancellationToken: Ct);
        await ns.EventuallyAsync(
            async () => await ns.ConditionAsync(Chat, ConditionTypes.NetworkIsolated) is { Status: "False", Reason: "NoNetworkPolicy" },
            "the deletion of the CiliumNetworkPolicy leaves the pods without any policy");
    }

    /// <summary>Isolates the example's pods: ingress from the gateway namespace only, egress to cluster DNS only.</summary>
    private static JsonObject Policy(string ns) => JsonNode.Parse($$$"""
        {
          "apiVersion": "cilium.io/v2",
          "kind": "CiliumNetworkPolicy",
          "metadata": {"name": "llama-chat", "namespace": "{{{ns}}}"},
          "spec": {
            "endpointSelector": {"matchLabels": {"app.kubernetes.io/name": "llama-chat"}},
            "ingress": [{"fromEndpoints": [{"matchLabels": {"k8s:io.kubernetes.pod.namespace": "ai-gateway"}}]}],
            "egress": [{
              "toEndpoints": [{"matchLabels": {"k8s:io.kubernetes.pod.namespace": "kube-system", "k8s:k8s-app": "kube-dns"}}],
              "toPorts": [{"ports": [{"port": "53", "protocol": "ANY"}]}]
            }]
          }
        }
        """)!.AsObject();

    private static async Task InstallCiliumCrdsAsync(Kubernetes client)
    {
        foreach (var (plural, kind, scope) in new[] { ("ciliumnetworkpolicies", "CiliumNetworkPolicy", "Namespaced"), ("ciliumclusterwidenetworkpolicies", "CiliumClusterwideNetworkPolicy", "Cluster") })
        {
            var crd = new V1CustomResourceDefinition
            {
                ApiVersion = "apiextensions.k8s.io/v1",
                Kind = "CustomResourceDefinition",
                Metadata = new V1ObjectMeta { Name = $"{plural}.cilium.io" },
                Spec = new V1CustomResourceDefinitionSpec
                {
                    Group = "cilium.io",
                    Scope = scope,
                    Names = new V1CustomResourceDefinitionNames { Plural = plural, Kind = kind, ListKind = kind + "List", Singular = plural[..^3] + "y" },
                    Versions =
                    [
                        new V1CustomResourceDefinitionVersion
                        {
                            Name = "v2",
                            Served = true,
                            Storage = true,
                            Schema = new V1CustomResourceValidation
                            {
                                OpenAPIV3Schema = new V1JSONSchemaProps { Type = "object", XKubernetesPreserveUnknownFields = true },
                            },
                        },
                    ],
                },
            };
            await client.ApiextensionsV1.PatchCustomResourceDefinitionAsync(
                new V1Patch(KubernetesJson.Serialize(crd), V1Patch.PatchType.ApplyPatch), crd.Metadata.Name, fieldManager: "aibaseline-e2e", force: true, cancellationToken: Ct);
        }

        await Waiting.UntilAsync(
            async () =>
            {
                try
                {
                    await client.CustomObjects.ListClusterCustomObjectAsync("cilium.io", "v2", "ciliumnetworkpolicies", limit: 1, cancellationToken: Ct);
                    await client.CustomObjects.ListClusterCustomObjectAsync("cilium.io", "v2", "ciliumclusterwidenetworkpolicies", limit: 1, cancellationToken: Ct);
                    return true;
                }
                catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
                {
                    return false;
                }
            },
            TimeSpan.FromSeconds(60),
            "the Cilium CRDs are served");
    }
}
