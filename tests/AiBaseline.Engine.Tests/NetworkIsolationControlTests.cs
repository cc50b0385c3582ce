using AiBaseline.Api.V1Alpha1;
using AiBaseline.Engine.Controls;
using k8s.Models;
using static AiBaseline.Engine.Tests.Builders;
using static AiBaseline.Engine.Tests.ControlHarness;
using static AiBaseline.Engine.Tests.NetworkPolicyBuilders;

namespace AiBaseline.Engine.Tests;

public sealed class NetworkIsolationControlTests
{
    private static readonly NetworkIsolationControl Control = new();

    public static TheoryData<string, V1NetworkPolicy[], BaselineProfile, ControlResult, string, string> Cases => new()
    {
        { "ingress from one namespace and egress to DNS and in-cluster pods is isolated", [.. Isolating()], Profile(), ControlResult.Met, NetworkIsolationControl.IsolatedReason, "ingress isolated by scorer-ingress; egress isolated by scorer-egress" },
        { "no policy at all: the reason says both directions are open", [], Profile(), ControlResult.NotMet, NetworkIsolationControl.NoNetworkPolicyReason, "no NetworkPolicy or Cilium policy in namespace ml selects the pods (app=scorer), so ingress and egress are both open" },
        { "no policy, only ingress required: the reason names ingress", [], Profile(p => p.Network.RequireEgressPolicy = false), ControlResult.NotMet, NetworkIsolationControl.NoIngressPolicyReason, "ingress: no NetworkPolicy or Cilium policy in namespace ml isolates the pods" },
        { "an ingress policy alone leaves egress open", [IngressPolicy()], Profile(), ControlResult.NotMet, NetworkIsolationControl.NoEgressPolicyReason, "policyTypes [Egress]" },
        { "egress is skipped when the profile does not require it", [IngressPolicy()], Profile(p => p.Network.RequireEgressPolicy = false), ControlResult.Met, NetworkIsolationControl.IsolatedReason, "egress not required" },
        { "ingress is skipped when the profile does not require it, even if a rule is open", [Policy("open", types: ["Ingress"], ingress: [From()]), EgressPolicy(Dns())], Profile(p => p.Network.RequireIngressPolicy = false), ControlResult.Met, NetworkIsolationControl.IsolatedReason, "ingress not required" },
        { "a policy in another namespace does not apply", [IngressPolicy(ns: "other"), EgressPolicy(Dns())], Profile(), ControlResult.NotMet, NetworkIsolationControl.NoIngressPolicyReason, "" },
        { "a podSelector for other labels does not apply", [IngressPolicy(Select(("app", "ranker"))), EgressPolicy(Dns())], Profile(), ControlResult.NotMet, NetworkIsolationControl.NoIngressPolicyReason, "" },
        { "an empty podSelector selects every pod", [IngressPolicy(new V1LabelSelector()), EgressPolicy(Dns())], Profile(), ControlResult.Met, NetworkIsolationControl.IsolatedReason, "" },
        { "matchExpressions In selects a listed value", [IngressPolicy(Expression("app", "In", "ranker", "scorer")), EgressPolicy(Dns())], Profile(), ControlResult.Met, NetworkIsolationControl.IsolatedReason, "" },
        { "matchExpressions NotIn excludes the value", [IngressPolicy(Expression("app", "NotIn", "scorer")), EgressPolicy(Dns())], Profile(), ControlResult.NotMet, NetworkIsolationControl.NoIngressPolicyReason, "" },
        { "matchExpressions NotIn selects pods without the label value", [IngressPolicy(Expression("tier", "NotIn", "batch")), EgressPolicy(Dns())], Profile(), ControlResult.Met, NetworkIsolationControl.IsolatedReason, "" },
        { "matchExpressions Exists needs the key", [IngressPolicy(Expression("app", "Exists")), EgressPolicy(Dns())], Profile(), ControlResult.Met, NetworkIsolationControl.IsolatedReason, "" },
        { "matchExpressions DoesNotExist excludes pods with the key", [IngressPolicy(Expression("app", "DoesNotExist")), EgressPolicy(Dns())], Profile(), ControlResult.NotMet, NetworkIsolationControl.NoIngressPolicyReason, "" },
        { "without policyTypes a policy isolates ingress only when it has no egress rules", [Policy("untyped", Select(("app", "scorer")), ingress: [From(Namespace("gateway"))])], Profile(), ControlResult.NotMet, NetworkIsolationControl.NoEgressPolicyReason, "" },
        { "without policyTypes egress rules make the policy isolate egress too", [Policy("untyped", Select(("app", "scorer")), ingress: [From(Namespace("gateway"))], egress: [Dns()])], Profile(), ControlResult.Met, NetworkIsolationControl.IsolatedReason, "ingress isolated by untyped; egress isolated by untyped" },
        { "ingress rules of a policy typed Egress only do not isolate ingress", [Policy("egress-only", Select(("app", "scorer")), ["Egress"], ingress: [From(Namespace("gateway"))], egress: [Dns()])], Profile(), ControlResult.NotMet, NetworkIsolationControl.NoIngressPolicyReason, "" },
        { "a policy without a spec selects every pod and denies ingress", [new V1NetworkPolicy { Metadata = new V1ObjectMeta { Name = "bare", NamespaceProperty = Builders.Namespace } }, EgressPolicy(Dns())], Profile(), ControlResult.Met, NetworkIsolationControl.IsolatedReason, "ingress isolated by bare" },
        { "an egress rule with to: [] allows everything", [IngressPolicy(), EgressPolicy(Dns(), To())], Profile(), ControlResult.NotMet, NetworkIsolationControl.UnrestrictedEgressReason, "NetworkPolicy scorer-egress egress rule 1 has no to" },
        { "an egress rule without to allows everything", [IngressPolicy(), EgressPolicy(new V1NetworkPolicyEgressRule())], Profile(), ControlResult.NotMet, NetworkIsolationControl.UnrestrictedEgressReason, "egress rule 0 has no to" },
        { "0.0.0.0/0 is everywhere, whatever it excepts", [IngressPolicy(), EgressPolicy(To(IpBlock("0.0.0.0/0", "10.0.0.0/8")))], Profile(), ControlResult.NotMet, NetworkIsolationControl.UnrestrictedEgressReason, "ipBlock 0.0.0.0/0 (even with except [10.0.0.0/8]), every address" },
        { "::/0 is everywhere over IPv6", [IngressPolicy(), EgressPolicy(To(IpBlock("::/0")))], Profile(), ControlResult.NotMet, NetworkIsolationControl.UnrestrictedEgressReason, "ipBlock ::/0, every address" },
        { "an ipBlock inside an allowed CIDR is fine", [IngressPolicy(), EgressPolicy(To(IpBlock("203.0.113.0/24")))], Allowing("203.0.0.0/16"), ControlResult.Met, NetworkIsolationControl.IsolatedReason, "" },
        { "an ipBlock wider than the allowed CIDR is outside it", [IngressPolicy(), EgressPolicy(To(IpBlock("203.0.113.0/24")))], Allowing("203.0.113.128/25"), ControlResult.NotMet, NetworkIsolationControl.EgressOutsideAllowListReason, "outside spec.network.egressAllowList [203.0.113.128/25]" },
        { "IPv6 blocks are contained like IPv4", [IngressPolicy(), EgressPolicy(To(IpBlock("2001:db8:1::/48")))], Allowing("2001:db8::/32"), ControlResult.Met, NetworkIsolationControl.IsolatedReason, "" },
        { "an IPv6 block in another prefix is outside", [IngressPolicy(), EgressPolicy(To(IpBlock("2001:db9::/48")))], Allowing("2001:db8::/32"), ControlResult.NotMet, NetworkIsolationControl.EgressOutsideAllowListReason, "2001:db9::/48" },
        { "an IPv4 allow entry never covers an IPv6 block", [IngressPolicy(), EgressPolicy(To(IpBlock("::ffff:0:0/96")))], Allowing("0.0.0.0/1", "128.0.0.0/1"), ControlResult.NotMet, NetworkIsolationControl.EgressOutsideAllowListReason, "" },
        { "with no allow list any ipBlock is outside", [IngressPolicy(), EgressPolicy(To(IpBlock("198.51.100.7/32")))], Profile(), ControlResult.NotMet, NetworkIsolationControl.EgressOutsideAllowListReason, "egressAllowList (empty)" },
        { "a malformed ipBlock is named", [IngressPolicy(), EgressPolicy(To(IpBlock("10.0.0.0/33")))], Allowing("10.0.0.0/8"), ControlResult.NotMet, NetworkIsolationControl.EgressOutsideAllowListReason, "not a valid CIDR" },
        { "egress to every namespace reaches every pod of the cluster", [IngressPolicy(), EgressPolicy(To(AllNamespaces()))], Profile(), ControlResult.NotMet, NetworkIsolationControl.EgressToEveryNamespaceReason, "NetworkPolicy scorer-egress egress rule 0 allows namespaceSelector {}, every pod of every namespace" },
        { "egress to every namespace with podSelector {} is the same", [IngressPolicy(), EgressPolicy(To(new V1NetworkPolicyPeer { NamespaceSelector = new V1LabelSelector(), PodSelector = new V1LabelSelector() }))], Profile(), ControlResult.NotMet, NetworkIsolationControl.EgressToEveryNamespaceReason, "namespaceSelector {} with podSelector {}" },
        { "egress to chosen pods in any namespace is bounded", [IngressPolicy(), EgressPolicy(To(new V1NetworkPolicyPeer { NamespaceSelector = new V1LabelSelector(), PodSelector = Select(("app", "model-store")) }))], Profile(), ControlResult.Met, NetworkIsolationControl.IsolatedReason, "" },
        { "egress to labelled namespaces is bounded", [IngressPolicy(), EgressPolicy(To(NamespacesLabelled("team", "ml")))], Profile(), ControlResult.Met, NetworkIsolationControl.IsolatedReason, "" },
        { "a DNS-only rule without to is fine", [IngressPolicy(), EgressPolicy(DnsAnywhere())], Profile(), ControlResult.Met, NetworkIsolationControl.IsolatedReason, "" },
        { "a DNS rule that also opens 443 is not DNS-only", [IngressPolicy(), EgressPolicy(DnsAnywhere(443))], Profile(), ControlResult.NotMet, NetworkIsolationControl.UnrestrictedEgressReason, "egress rule 0 has no to" },
        { "an ingress rule without from admits every source", [IngressPolicy(rule: new V1NetworkPolicyIngressRule()), EgressPolicy(Dns())], Profile(), ControlResult.NotMet, NetworkIsolationControl.UnrestrictedIngressReason, "NetworkPolicy scorer-ingress ingress rule 0 has no from" },
        { "an ingress rule with from: [] admits every source", [IngressPolicy(rule: From()), EgressPolicy(Dns())], Profile(), ControlResult.NotMet, NetworkIsolationControl.UnrestrictedIngressReason, "has no from" },
        { "ingress from 0.0.0.0/0 admits every address", [IngressPolicy(rule: From(IpBlock("0.0.0.0/0"))), EgressPolicy(Dns())], Profile(), ControlResult.NotMet, NetworkIsolationControl.UnrestrictedIngressReason, "admits ipBlock 0.0.0.0/0, every address" },
        { "ingress from a listed namespace is fine", [.. Isolating()], AdmittingFrom("gateway"), ControlResult.Met, NetworkIsolationControl.IsolatedReason, "" },
        { "ingress from an unlisted namespace is named", [IngressPolicy(rule: From(Namespace("batch"))), EgressPolicy(Dns())], AdmittingFrom("gateway"), ControlResult.NotMet, NetworkIsolationControl.IngressFromUnlistedNamespaceReason, "admits namespaces kubernetes.io/metadata.name=batch" },
        { "ingress from every namespace is not only the listed ones", [IngressPolicy(rule: From(AllNamespaces())), EgressPolicy(Dns())], AdmittingFrom("gateway"), ControlResult.NotMet, NetworkIsolationControl.IngressFromUnlistedNamespaceReason, "every namespace (namespaceSelector {})" },
        { "namespaces chosen by other labels cannot be told apart", [IngressPolicy(rule: From(NamespacesLabelled("team", "web"))), EgressPolicy(Dns())], AdmittingFrom("gateway"), ControlResult.NotMet, NetworkIsolationControl.IngressFromUnlistedNamespaceReason, "team=web" },
        { "a name In list of listed namespaces and the pods' own is fine", [IngressPolicy(rule: From(new V1NetworkPolicyPeer { NamespaceSelector = Expression("kubernetes.io/metadata.name", "In", "gateway", "ml") })), EgressPolicy(Dns())], AdmittingFrom("gateway"), ControlResult.Met, NetworkIsolationControl.IsolatedReason, "" },
        { "pods of the own namespace may always call", [IngressPolicy(rule: From(Pods(("app", "web")))), EgressPolicy(Dns())], AdmittingFrom("gateway"), ControlResult.Met, NetworkIsolationControl.IsolatedReason, "" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Judges_network_policies(string reason, V1NetworkPolicy[] policies, BaselineProfile profile, ControlResult result, string expectedReason, string fragment)
    {
        AssertRow(Control, reason, Snapshot() with { NetworkPolicies = [.. policies] }, profile, result, expectedReason, fragment);
    }

    [Theory]
    [InlineData(true, "NetworkIsolated is not met, and the message names the policy it could not read")]
    [InlineData(false, "a met verdict names it too, so nobody takes its silence for a verdict")]
    public void Policies_of_kinds_it_does_not_read_are_named(bool isolated, string why)
    {
        var snapshot = Snapshot() with
        {
            NetworkPolicies = isolated ? Isolating() : [],
            UnreadNetworkPolicies = ["projectcalico.org/v3 NetworkPolicy ml/default-deny"],
        };

        var outcome = Evaluate(Control, snapshot);

        Assert.True(outcome.Result == (isolated ? ControlResult.Met : ControlResult.NotMet), why);
        Assert.Contains("not read: projectcalico.org/v3 NetworkPolicy ml/default-deny; aibaseline reads NetworkPolicy, CiliumNetworkPolicy and CiliumClusterwideNetworkPolicy only", outcome.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void No_workload_to_judge_defers_to_the_workload_gate()
    {
        var outcome = Evaluate(Control, Snapshot(Deployment(LifecycleStage.Retirement)));

        Assert.Equal((ControlResult.NotApplicable, "Retired"), (outcome.Result, outcome.Reason));
    }

    private static V1NetworkPolicy IngressPolicy(V1LabelSelector? selector = null, V1NetworkPolicyIngressRule? rule = null, string ns = Builders.Namespace) =>
        Policy("scorer-ingress", selector ?? Select(("app", "scorer")), ["Ingress"], ingress: [rule ?? From(Namespace("gateway"))], ns: ns);

    private static V1NetworkPolicy EgressPolicy(params V1NetworkPolicyEgressRule[] rules) =>
        Policy("scorer-egress", Select(("app", "scorer")), ["Egress"], egress: rules);

    private static V1NetworkPolicyEgressRule DnsAnywhere(int? extraPort = null)
    {
        var rule = new V1NetworkPolicyEgressRule { Ports = [new V1NetworkPolicyPort { Port = 53, Protocol = "UDP" }, new V1NetworkPolicyPort { Port = 53 }] };
        if (extraPort is { } port)
        {
            rule.Ports.Add(new V1NetworkPolicyPort { Port = port, Protocol = "TCP" });
        }

        return rule;
    }

    private static BaselineProfile Allowing(params string[] cidrs) => Profile(p => p.Network.EgressAllowList = [.. cidrs]);

    private static BaselineProfile AdmittingFrom(params string[] namespaces) => Profile(p => p.Network.AllowedIngressNamespaces = [.. namespaces]);
}
