using System.Collections.Immutable;
using k8s.Models;

namespace AiBaseline.Engine.Tests;

/// <summary>Builders for NetworkPolicies: by default, the pair a careful team writes for the model pods (app=scorer).</summary>
internal static class NetworkPolicyBuilders
{
    /// <summary>Ingress from the gateway namespace only; egress to DNS and the in-cluster model store.</summary>
    public static ImmutableArray<V1NetworkPolicy> Isolating() =>
    [
        Policy("scorer-ingress", Select(("app", "scorer")), ["Ingress"], ingress: [From(Namespace("gateway"))]),
        Policy("scorer-egress", Select(("app", "scorer")), ["Egress"], egress: [Dns(), To(Pods(("app", "model-store")))]),
    ];

    public static V1NetworkPolicy Policy(
        string name,
        V1LabelSelector? podSelector = null,
        string[]? types = null,
        V1NetworkPolicyIngressRule[]? ingress = null,
        V1NetworkPolicyEgressRule[]? egress = null,
        string ns = Builders.Namespace) => new()
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
            Spec = new V1NetworkPolicySpec
            {
                PodSelector = podSelector ?? new V1LabelSelector(),
                PolicyTypes = types,
                Ingress = ingress,
                Egress = egress,
            },
        };

    public static V1LabelSelector Select(params (string Key, string Value)[] labels) =>
        new() { MatchLabels = labels.ToDictionary(l => l.Key, l => l.Value) };

    public static V1LabelSelector Expression(string key, string op, params string[] values) =>
        new() { MatchExpressions = [new V1LabelSelectorRequirement { Key = key, OperatorProperty = op, Values = values.Length == 0 ? null : values }] };

    /// <summary>An ingress rule; with no peers it has from: [], which admits every source.</summary>
    public static V1NetworkPolicyIngressRule From(params V1NetworkPolicyPeer[] peers) => new() { FromProperty = peers };

    /// <summary>An egress rule; with no peers it has to: [], which allows every destination.</summary>
    public static V1NetworkPolicyEgressRule To(params V1NetworkPolicyPeer[] peers) => new() { To = peers };

    /// <summary>Name resolution: port 53 over UDP and TCP to kube-system.</summary>
    public static V1NetworkPolicyEgressRule Dns() => new()
    {
        To = [Namespace("kube-system")],
        Ports = [new V1NetworkPolicyPort { Port = 53, Protocol = "UDP" }, new V1NetworkPolicyPort { Port = 53, Protocol = "TCP" }],
    };

    public static V1NetworkPolicyPeer Namespace(string name) =>
        new() { NamespaceSelector = Select(("kubernetes.io/metadata.name", name)) };

    public static V1NetworkPolicyPeer NamespacesLabelled(string key, string value) => new() { NamespaceSelector = Select((key, value)) };

    public static V1NetworkPolicyPeer AllNamespaces() => new() { NamespaceSelector = new V1LabelSelector() };

    public static V1NetworkPolicyPeer Pods(params (string Key, string Value)[] labels) => new() { PodSelector = Select(labels) };

    public static V1NetworkPolicyPeer IpBlock(string cidr, params string[] except) =>
        new() { IpBlock = new V1IPBlock { Cidr = cidr, Except = except.Length == 0 ? null : except } };
}
