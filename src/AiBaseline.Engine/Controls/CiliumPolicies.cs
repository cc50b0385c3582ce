using System.Collections.Immutable;
using AiBaseline.Engine.Gathering;
using k8s.Models;

namespace AiBaseline.Engine.Controls;

/// <summary>
/// Cilium's semantics for NetworkIsolation (CiliumNetworkPolicy and CiliumClusterwideNetworkPolicy, cilium.io/v2).
/// <para>A rule applies to the pods when its endpointSelector selects their labels, read as Cilium reads them: keys
/// may carry the source prefix <c>k8s:</c> or <c>any:</c>, and <c>io.kubernetes.pod.namespace</c> and
/// <c>io.cilium.k8s.policy.serviceaccount</c> are the pods' namespace and ServiceAccount. A CiliumNetworkPolicy selects
/// only pods of its own namespace; a clusterwide one selects across namespaces; a rule with a nodeSelector is a host
/// policy and never applies to pods.</para>
/// <para>Default deny is by presence: a rule with ingress or ingressDeny rules isolates ingress, one with egress or
/// egressDeny isolates egress, unless its enableDefaultDeny turns that direction off. Unlike a NetworkPolicy, a rule
/// with no peer and no ports (<c>ingress: [{}]</c>) allows nothing; a rule with ports and no peer allows every peer on
/// those ports.</para>
/// <para>What an allow rule opens is judged as for NetworkPolicies: the entities <c>world</c>, <c>world-ipv4</c>,
/// <c>world-ipv6</c> and <c>all</c>, and a /0 CIDR, are everywhere; <c>cluster</c>, or endpoints of every namespace,
/// is every namespace; toCIDR and toCIDRSet must lie in egressAllowList, toFQDNs names must be on it, and a
/// matchPattern of * is every name. Rules whose every port is 53 are name resolution. Peers aibaseline cannot resolve
/// (cidrGroupRef, toGroups) make the result Unknown. Deny rules only narrow what is allowed and open nothing.</para>
/// </summary>
internal static class CiliumPolicies
{
    private const string NamespaceKey = "io.kubernetes.pod.namespace";
    private const string ServiceAccountKey = "io.cilium.k8s.policy.serviceaccount";

    private static readonly string[] Everywhere = ["world", "world-ipv4", "world-ipv6", "all"];

    /// <summary>Adds what the Cilium policies selecting the pods isolate and open to <paramref name="judgement"/>.</summary>
    public static void Judge(ImmutableArray<CiliumNetworkPolicy> policies, string ns, V1PodTemplateSpec template, NetworkJudgement judgement)
    {
        if (policies.IsDefaultOrEmpty)
        {
            return;
        }

        var identity = new Dictionary<string, string>(template.Metadata?.Labels ?? new Dictionary<string, string>(), StringComparer.Ordinal)
        {
            [NamespaceKey] = ns,
            [ServiceAccountKey] = SnapshotAssembler.ServiceAccountName(template.Spec),
        };
        foreach (var policy in policies)
        {
            if (!policy.IsClusterwide && policy.Metadata?.NamespaceProperty is { } own && own != ns)
            {
                continue;
            }

            var index = 0;
            foreach (var rule in policy.Rules())
            {
                var site = $"{policy.Kind} {policy.Metadata?.Name}{(policy.Spec is not null && index == 0 ? "" : $" specs[{(policy.Spec is null ? index : index - 1)}]")}";
                index++;
                if (rule.NodeSelector is not null || rule.EndpointSelector is not { } selector || !LabelSelectors.Matches(Normalised(selector), identity))
                {
                    continue;
                }

                judgement.AnySelects = true;
                Judge(policy, rule, site, ns, judgement);
            }
        }
    }

    private static void Judge(CiliumNetworkPolicy policy, CiliumRule rule, string site, string ns, NetworkJudgement judgement)
    {
        var rules = judgement.Rules;
        if (rules.RequireIngressPolicy && (rule.Ingress is { Count: > 0 } || rule.IngressDeny is { Count: > 0 }))
        {
            if (rule.EnableDefaultDeny?.Ingress != false)
            {
                judgement.IsolatesIngress(site);
            }

            for (var i = 0; i < (rule.Ingress?.Count ?? 0); i++)
            {
                CheckIngress(policy, rule.Ingress![i], $"{site} ingress rule {i}", ns, judgement);
            }
        }

        if (rules.RequireEgressPolicy && (rule.Egress is { Count: > 0 } || rule.EgressDeny is { Count: > 0 }))
        {
            if (rule.EnableDefaultDeny?.Egress != false)
            {
                judgement.IsolatesEgress(site);
            }

            for (var i = 0; i < (rule.Egress?.Count ?? 0); i++)
            {
                CheckEgress(policy, rule.Egress![i], $"{site} egress rule {i}", judgement);
            }
        }
    }

    private static void CheckIngress(CiliumNetworkPolicy policy, CiliumPeerRule rule, string where, string ns, NetworkJudgement judgement)
    {
        var hasPeer = rule.FromEndpoints is { Count: > 0 } || rule.FromEntities is { Count: > 0 } || rule.FromCIDR is { Count: > 0 }
            || rule.FromCIDRSet is { Count: > 0 } || rule.FromNodes is { Count: > 0 };
        if (!hasPeer)
        {
            if (rule.ToPorts is { Count: > 0 })
            {
                judgement.Findings.NotMet(NetworkIsolationControl.UnrestrictedIngressReason, $"{where} has ports but no from…, so it admits every source on them: list the endpoints, entities or CIDRs that may call the model");
            }

            return;
        }

        foreach (var entity in rule.FromEntities ?? [])
        {
            if (Everywhere.Contains(entity))
            {
                judgement.Findings.NotMet(NetworkIsolationControl.UnrestrictedIngressReason, $"{where} admits fromEntities {entity}, every source outside the cluster: name the source networks instead");
            }
            else if (entity == "cluster" && judgement.Rules.AllowedIngressNamespaces is { Count: > 0 } allowed)
            {
                judgement.Findings.NotMet(NetworkIsolationControl.IngressFromUnlistedNamespaceReason, $"{where} admits fromEntities cluster, every namespace, not only spec.network.allowedIngressNamespaces [{string.Join(", ", allowed)}]: use fromEndpoints with {NamespaceKey}");
            }
        }

        foreach (var cidr in rule.FromCIDR ?? [])
        {
            judgement.IngressFromCidr(where, "fromCIDR", cidr, null);
        }

        foreach (var set in rule.FromCIDRSet ?? [])
        {
            if (set.CidrGroupRef is { } group)
            {
                NotRead(where, $"fromCIDRSet cidrGroupRef {group}", judgement);
            }
            else
            {
                judgement.IngressFromCidr(where, "fromCIDRSet", set.Cidr, set.Except);
            }
        }

        if (judgement.Rules.AllowedIngressNamespaces is { Count: > 0 } listed)
        {
            foreach (var peer in rule.FromEndpoints ?? [])
            {
                var namespaces = NamespacesOf(policy, peer);
                if (namespaces is null || namespaces.Any(n => n != ns && !listed.Contains(n)))
                {
                    judgement.Findings.NotMet(NetworkIsolationControl.IngressFromUnlistedNamespaceReason, $"{where} admits fromEndpoints {LabelSelectors.Describe(peer)} in {(namespaces is null ? "every namespace" : "namespaces " + string.Join(",", namespaces))}, not only spec.network.allowedIngressNamespaces [{string.Join(", ", listed)}]: select them by {NamespaceKey}");
                }
            }
        }
    }

    private static void CheckEgress(CiliumNetworkPolicy policy, CiliumPeerRule rule, string where, NetworkJudgement judgement)
    {
        if (IsDnsOnly(rule.ToPorts))
        {
            return;
        }

        var hasPeer = rule.ToEndpoints is { Count: > 0 } || rule.ToEntities is { Count: > 0 } || rule.ToCIDR is { Count: > 0 } || rule.ToCIDRSet is { Count: > 0 }
            || rule.ToFQDNs is { Count: > 0 } || rule.ToServices is { Count: > 0 } || rule.ToGroups is { Count: > 0 } || rule.ToNodes is { Count: > 0 };
        if (!hasPeer)
        {
            if (rule.ToPorts is { Count: > 0 })
            {
                judgement.Findings.NotMet(NetworkIsolationControl.UnrestrictedEgressReason, $"{where} has ports but no to…, so it allows every destination on them: list the endpoints, CIDRs or names the model needs");
            }

            return;
        }

        foreach (var entity in rule.ToEntities ?? [])
        {
            if (Everywhere.Contains(entity))
            {
                judgement.Findings.NotMet(NetworkIsolationControl.UnrestrictedEgressReason, $"{where} allows toEntities {entity}, every address outside the cluster: allow only the CIDRs or names the model needs (toCIDRSet, toFQDNs)");
            }
            else if (entity == "cluster")
            {
                judgement.EgressToEveryNamespace(where, "toEntities cluster");
            }
        }

        foreach (var cidr in rule.ToCIDR ?? [])
        {
            judgement.EgressToCidr(where, "toCIDR", cidr, null);
        }

        foreach (var set in rule.ToCIDRSet ?? [])
        {
            if (set.CidrGroupRef is { } group)
            {
                NotRead(where, $"toCIDRSet cidrGroupRef {group}", judgement);
            }
            else
            {
                judgement.EgressToCidr(where, "toCIDRSet", set.Cidr, set.Except);
            }
        }

        foreach (var fqdn in rule.ToFQDNs ?? [])
        {
            if (fqdn.MatchName is { Length: > 0 } name)
            {
                judgement.EgressToName(where, "toFQDNs matchName", name);
            }

            if (fqdn.MatchPattern is { Length: > 0 } pattern)
            {
                judgement.EgressToName(where, "toFQDNs matchPattern", pattern);
            }
        }

        if (rule.ToGroups is { Count: > 0 })
        {
            NotRead(where, "toGroups", judgement);
        }

        foreach (var peer in rule.ToEndpoints ?? [])
        {
            if (NamespacesOf(policy, peer) is null && SelectsEveryPod(peer))
            {
                judgement.EgressToEveryNamespace(where, $"toEndpoints {LabelSelectors.Describe(peer)}");
            }
        }
    }

    private static void NotRead(string where, string what, NetworkJudgement judgement) =>
        judgement.Findings.Unknown(NetworkIsolationControl.PolicyNotReadReason, $"{where} allows {what}, which aibaseline cannot resolve, so what it opens is unknown: list the CIDRs in toCIDRSet or fromCIDRSet");

    /// <summary>
    /// The namespaces an endpoint selector of a rule reaches: those it names by io.kubernetes.pod.namespace (matchLabels
    /// or In), the policy's own when it names none and the policy is namespaced, or null for every namespace.
    /// </summary>
    private static List<string>? NamespacesOf(CiliumNetworkPolicy policy, V1LabelSelector peer)
    {
        var selector = Normalised(peer);
        if (selector.MatchLabels is { } labels && labels.TryGetValue(NamespaceKey, out var named))
        {
            return [named];
        }

        var constrained = false;
        foreach (var requirement in selector.MatchExpressions ?? [])
        {
            if (requirement.Key == NamespaceKey)
            {
                if (requirement.OperatorProperty == "In")
                {
                    return [.. requirement.Values ?? []];
                }

                constrained = true;
            }
        }

        return constrained || policy.IsClusterwide ? null : [policy.Metadata?.NamespaceProperty ?? ""];
    }

    /// <summary>True when the selector constrains nothing but, at most, the namespace.</summary>
    private static bool SelectsEveryPod(V1LabelSelector peer)
    {
        var selector = Normalised(peer);
        return (selector.MatchLabels ?? new Dictionary<string, string>()).Keys.All(k => k == NamespaceKey)
            && (selector.MatchExpressions ?? []).All(r => r.Key == NamespaceKey);
    }

    /// <summary>The selector with Cilium's source prefixes (k8s:, any:) taken off its keys.</summary>
    private static V1LabelSelector Normalised(V1LabelSelector selector) => new()
    {
        MatchLabels = selector.MatchLabels?.ToDictionary(p => Key(p.Key), p => p.Value, StringComparer.Ordinal),
        MatchExpressions = selector.MatchExpressions?.Select(r => new V1LabelSelectorRequirement { Key = Key(r.Key), OperatorProperty = r.OperatorProperty, Values = r.Values }).ToList(),
    };

    private static string Key(string key) =>
        key.StartsWith("k8s:", StringComparison.Ordinal) ? key[4..]
        : key.StartsWith("any:", StringComparison.Ordinal) ? key[4..]
        : key;

    /// <summary>A rule whose every port is 53 (TCP, UDP or ANY) only resolves names.</summary>
    private static bool IsDnsOnly(List<CiliumPortRule>? toPorts)
    {
        var any = false;
        foreach (var portRule in toPorts ?? [])
        {
            foreach (var port in portRule.Ports ?? [])
            {
                if (port.Port != "53" || (port.EndPort is { } end && end != 53) || port.Protocol is not (null or "UDP" or "TCP" or "ANY"))
                {
                    return false;
                }

                any = true;
            }
        }

        return any;
    }
}
