using AiBaseline.Api.V1Alpha1;
using AiBaseline.Engine.Controls;
using k8s;
using static AiBaseline.Engine.Tests.Builders;
using static AiBaseline.Engine.Tests.ControlHarness;
using static AiBaseline.Engine.Tests.NetworkPolicyBuilders;

namespace AiBaseline.Engine.Tests;

/// <summary>NetworkIsolation on CiliumNetworkPolicy and CiliumClusterwideNetworkPolicy, with Cilium's own semantics.</summary>
public sealed class CiliumPolicyTests
{
    private static readonly NetworkIsolationControl Control = new();

    private const string Pods = "endpointSelector: {matchLabels: {app: scorer}}";
    private const string GatewayIngress = "ingress: [{fromEndpoints: [{matchLabels: {k8s:io.kubernetes.pod.namespace: gateway}}]}]";
    private const string DnsEgress = "{toEndpoints: [{matchLabels: {k8s:io.kubernetes.pod.namespace: kube-system, k8s:k8s-app: kube-dns}}], toPorts: [{ports: [{port: '53', protocol: ANY}]}]}";

    private static string Cnp(string name, string spec, string ns = Builders.Namespace) =>
        $"apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {{name: {name}, namespace: {ns}}}\nspec: {{{spec}}}";

    private static string Ccnp(string name, string spec) =>
        $"apiVersion: cilium.io/v2\nkind: CiliumClusterwideNetworkPolicy\nmetadata: {{name: {name}}}\nspec: {{{spec}}}";

    private static string Egress(params string[] rules) => $"egress: [{DnsEgress}, {string.Join(", ", rules)}]";

    public static TheoryData<string, string[], BaselineProfile, ControlResult, string, string> Cases => new()
    {
        { "ingress from the gateway namespace and DNS egress isolate both ways", [Cnp("scorer", $"{Pods}, {GatewayIngress}, {Egress()}")], Profile(), ControlResult.Met, NetworkIsolationControl.IsolatedReason, "ingress isolated by CiliumNetworkPolicy scorer; egress isolated by CiliumNetworkPolicy scorer" },
        { "ingress rules alone leave egress open: default deny is by presence", [Cnp("scorer", $"{Pods}, {GatewayIngress}")], Profile(), ControlResult.NotMet, NetworkIsolationControl.NoEgressPolicyReason, "egress: no NetworkPolicy or Cilium policy in namespace ml isolates the pods" },
        { "ingress: [{}] and egress: [{}] deny everything", [Cnp("deny-all", "endpointSelector: {}, ingress: [{}], egress: [{}]")], Profile(), ControlResult.Met, NetworkIsolationControl.IsolatedReason, "ingress isolated by CiliumNetworkPolicy deny-all" },
        { "egressDeny alone puts the pods in default deny for egress", [Cnp("scorer", $"{Pods}, {GatewayIngress}, egressDeny: [{{toEntities: [world]}}]")], Profile(), ControlResult.Met, NetworkIsolationControl.IsolatedReason, "" },
        { "enableDefaultDeny egress: false does not isolate egress", [Cnp("scorer", $"{Pods}, {GatewayIngress}, {Egress()}, enableDefaultDeny: {{egress: false}}")], Profile(), ControlResult.NotMet, NetworkIsolationControl.NoEgressPolicyReason, "" },
        { "toEntities world is every address outside the cluster", [Cnp("scorer", $"{Pods}, {GatewayIngress}, {Egress("{toEntities: [world]}")}")], Profile(), ControlResult.NotMet, NetworkIsolationControl.UnrestrictedEgressReason, "CiliumNetworkPolicy scorer egress rule 1 allows toEntities world, every address outside the cluster" },
        { "toEntities all is everywhere", [Cnp("scorer", $"{Pods}, {GatewayIngress}, {Egress("{toEntities: [all]}")}")], Profile(), ControlResult.NotMet, NetworkIsolationControl.UnrestrictedEgressReason, "toEntities all" },
        { "toEntities cluster is every pod of every namespace", [Cnp("scorer", $"{Pods}, {GatewayIngress}, {Egress("{toEntities: [cluster]}")}")], Profile(), ControlResult.NotMet, NetworkIsolationControl.EgressToEveryNamespaceReason, "allows toEntities cluster, every pod of every namespace" },
        { "toEntities kube-apiserver is one destination", [Cnp("scorer", $"{Pods}, {GatewayIngress}, {Egress("{toEntities: [kube-apiserver]}")}")], Profile(), ControlResult.Met, NetworkIsolationControl.IsolatedReason, "" },
        { "toCIDR 0.0.0.0/0 is every address", [Cnp("scorer", $"{Pods}, {GatewayIngress}, {Egress("{toCIDR: [0.0.0.0/0]}")}")], Profile(), ControlResult.NotMet, NetworkIsolationControl.UnrestrictedEgressReason, "allows toCIDR 0.0.0.0/0, every address" },
        { "toCIDRSet /0 with except is still everywhere", [Cnp("scorer", $"{Pods}, {GatewayIngress}, {Egress("{toCIDRSet: [{cidr: 0.0.0.0/0, except: [10.0.0.0/8]}]}")}")], Profile(), ControlResult.NotMet, NetworkIsolationControl.UnrestrictedEgressReason, "(even with except [10.0.0.0/8])" },
        { "toCIDRSet inside the allow list is fine", [Cnp("scorer", $"{Pods}, {GatewayIngress}, {Egress("{toCIDRSet: [{cidr: 203.0.113.0/24}]}")}")], Allowing("203.0.113.0/24"), ControlResult.Met, NetworkIsolationControl.IsolatedReason, "" },
        { "toCIDR outside the allow list is named", [Cnp("scorer", $"{Pods}, {GatewayIngress}, {Egress("{toCIDR: [198.51.100.0/24]}")}")], Allowing("203.0.113.0/24"), ControlResult.NotMet, NetworkIsolationControl.EgressOutsideAllowListReason, "allows toCIDR 198.51.100.0/24, outside spec.network.egressAllowList [203.0.113.0/24]" },
        { "toFQDNs a name on the allow list is fine", [Cnp("scorer", $"{Pods}, {GatewayIngress}, {Egress("{toFQDNs: [{matchName: huggingface.co}], toPorts: [{ports: [{port: '443'}]}]}")}")], Allowing("huggingface.co"), ControlResult.Met, NetworkIsolationControl.IsolatedReason, "" },
        { "toFQDNs a name under an allowed *.domain is fine", [Cnp("scorer", $"{Pods}, {GatewayIngress}, {Egress("{toFQDNs: [{matchName: cdn-lfs.huggingface.co}]}")}")], Allowing("*.huggingface.co"), ControlResult.Met, NetworkIsolationControl.IsolatedReason, "" },
        { "toFQDNs a name not on the allow list is named", [Cnp("scorer", $"{Pods}, {GatewayIngress}, {Egress("{toFQDNs: [{matchName: api.openai.com}]}")}")], Allowing("huggingface.co"), ControlResult.NotMet, NetworkIsolationControl.EgressOutsideAllowListReason, "allows toFQDNs matchName api.openai.com, not on spec.network.egressAllowList [huggingface.co]" },
        { "toFQDNs matchPattern * is every name", [Cnp("scorer", $"{Pods}, {GatewayIngress}, {Egress("{toFQDNs: [{matchPattern: '*'}]}")}")], Allowing("huggingface.co"), ControlResult.NotMet, NetworkIsolationControl.UnrestrictedEgressReason, "every DNS name" },
        { "an egress rule with ports and no destination allows every destination", [Cnp("scorer", $"{Pods}, {GatewayIngress}, {Egress("{toPorts: [{ports: [{port: '443'}]}]}")}")], Profile(), ControlResult.NotMet, NetworkIsolationControl.UnrestrictedEgressReason, "has ports but no to…" },
        { "toEndpoints {} of a namespaced policy stays in its namespace", [Cnp("scorer", $"{Pods}, {GatewayIngress}, {Egress("{toEndpoints: [{}]}")}")], Profile(), ControlResult.Met, NetworkIsolationControl.IsolatedReason, "" },
        { "toEndpoints {} of a clusterwide policy is every namespace", [Ccnp("wide", $"{Pods}, {GatewayIngress}, {Egress("{toEndpoints: [{}]}")}")], Profile(), ControlResult.NotMet, NetworkIsolationControl.EgressToEveryNamespaceReason, "CiliumClusterwideNetworkPolicy wide egress rule 1 allows toEndpoints {}" },
        { "toEndpoints of any namespace (Exists) is every namespace", [Cnp("scorer", $"{Pods}, {GatewayIngress}, {Egress("{toEndpoints: [{matchExpressions: [{key: k8s:io.kubernetes.pod.namespace, operator: Exists}]}]}")}")], Profile(), ControlResult.NotMet, NetworkIsolationControl.EgressToEveryNamespaceReason, "" },
        { "a toCIDRSet cidrGroupRef cannot be resolved", [Cnp("scorer", $"{Pods}, {GatewayIngress}, {Egress("{toCIDRSet: [{cidrGroupRef: partners}]}")}")], Profile(), ControlResult.Unknown, NetworkIsolationControl.PolicyNotReadReason, "toCIDRSet cidrGroupRef partners" },
        { "fromEntities world admits every outside source", [Cnp("scorer", $"{Pods}, ingress: [{{fromEntities: [world]}}], {Egress()}")], Profile(), ControlResult.NotMet, NetworkIsolationControl.UnrestrictedIngressReason, "admits fromEntities world" },
        { "fromCIDR 0.0.0.0/0 admits every address", [Cnp("scorer", $"{Pods}, ingress: [{{fromCIDR: [0.0.0.0/0]}}], {Egress()}")], Profile(), ControlResult.NotMet, NetworkIsolationControl.UnrestrictedIngressReason, "admits fromCIDR 0.0.0.0/0" },
        { "an ingress rule with ports and no source admits every source", [Cnp("scorer", $"{Pods}, ingress: [{{toPorts: [{{ports: [{{port: '8000'}}]}}]}}], {Egress()}")], Profile(), ControlResult.NotMet, NetworkIsolationControl.UnrestrictedIngressReason, "has ports but no from…" },
        { "fromEndpoints in an unlisted namespace is named", [Cnp("scorer", $"{Pods}, ingress: [{{fromEndpoints: [{{matchLabels: {{k8s:io.kubernetes.pod.namespace: batch}}}}]}}], {Egress()}")], AdmittingFrom("gateway"), ControlResult.NotMet, NetworkIsolationControl.IngressFromUnlistedNamespaceReason, "in namespaces batch" },
        { "fromEndpoints from the listed namespace is fine", [Cnp("scorer", $"{Pods}, {GatewayIngress}, {Egress()}")], AdmittingFrom("gateway"), ControlResult.Met, NetworkIsolationControl.IsolatedReason, "" },
        { "fromEntities cluster is every namespace", [Cnp("scorer", $"{Pods}, ingress: [{{fromEntities: [cluster]}}], {Egress()}")], AdmittingFrom("gateway"), ControlResult.NotMet, NetworkIsolationControl.IngressFromUnlistedNamespaceReason, "admits fromEntities cluster, every namespace" },
        { "a policy of another namespace does not select the pods", [Cnp("scorer", $"{Pods}, {GatewayIngress}, {Egress()}", ns: "other")], Profile(), ControlResult.NotMet, NetworkIsolationControl.NoNetworkPolicyReason, "" },
        { "an endpointSelector for other labels does not select the pods", [Cnp("ranker", $"endpointSelector: {{matchLabels: {{app: ranker}}}}, {GatewayIngress}, {Egress()}")], Profile(), ControlResult.NotMet, NetworkIsolationControl.NoNetworkPolicyReason, "" },
        { "a k8s: prefix on the endpointSelector key is Cilium's source", [Cnp("scorer", $"endpointSelector: {{matchLabels: {{k8s:app: scorer}}}}, {GatewayIngress}, {Egress()}")], Profile(), ControlResult.Met, NetworkIsolationControl.IsolatedReason, "" },
        { "an endpointSelector on the ServiceAccount selects the pods", [Cnp("scorer", $"endpointSelector: {{matchLabels: {{io.cilium.k8s.policy.serviceaccount: scorer}}}}, {GatewayIngress}, {Egress()}")], Profile(), ControlResult.Met, NetworkIsolationControl.IsolatedReason, "" },
        { "a clusterwide default deny selects pods of every namespace", [Ccnp("deny-all", "endpointSelector: {}, ingress: [{}], egress: [{}]")], Profile(), ControlResult.Met, NetworkIsolationControl.IsolatedReason, "CiliumClusterwideNetworkPolicy deny-all" },
        { "a clusterwide policy for another namespace does not select the pods", [Ccnp("other", "endpointSelector: {matchLabels: {k8s:io.kubernetes.pod.namespace: other}}, ingress: [{}], egress: [{}]")], Profile(), ControlResult.NotMet, NetworkIsolationControl.NoNetworkPolicyReason, "" },
        { "a host policy (nodeSelector) never selects pods", [Ccnp("hosts", "nodeSelector: {}, ingress: [{}], egress: [{}]")], Profile(), ControlResult.NotMet, NetworkIsolationControl.NoNetworkPolicyReason, "" },
        { "specs: one rule per direction; messages name the rule", [$"apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {{name: split, namespace: ml}}\nspecs:\n- {{{Pods}, {GatewayIngress}}}\n- {{{Pods}, egress: [{{toEntities: [world]}}]}}"], Profile(), ControlResult.NotMet, NetworkIsolationControl.UnrestrictedEgressReason, "CiliumNetworkPolicy split specs[1] egress rule 0 allows toEntities world" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Judges_cilium_policies(string reason, string[] policies, BaselineProfile profile, ControlResult result, string expectedReason, string fragment)
    {
        var snapshot = Snapshot() with { NetworkPolicies = [], CiliumPolicies = [.. policies.Select(p => KubernetesYaml.Deserialize<CiliumNetworkPolicy>(p))] };

        AssertRow(Control, reason, snapshot, profile, result, expectedReason, fragment);
    }

    [Fact]
    public void A_NetworkPolicy_for_ingress_and_a_Cilium_policy_for_egress_isolate_together()
    {
        var snapshot = Snapshot() with
        {
            NetworkPolicies = [Isolating()[0]],
            CiliumPolicies = [KubernetesYaml.Deserialize<CiliumNetworkPolicy>(Cnp("egress", $"{Pods}, {Egress()}"))],
        };

        var outcome = Evaluate(Control, snapshot);

        Assert.Equal((ControlResult.Met, "ingress isolated by scorer-ingress; egress isolated by CiliumNetworkPolicy egress"), (outcome.Result, outcome.Message));
    }

    private static BaselineProfile Allowing(params string[] entries) => Profile(p => p.Network.EgressAllowList = [.. entries]);

    private static BaselineProfile AdmittingFrom(params string[] namespaces) => Profile(p => p.Network.AllowedIngressNamespaces = [.. namespaces]);
}
