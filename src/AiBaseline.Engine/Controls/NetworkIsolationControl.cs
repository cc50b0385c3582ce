using System.Collections.Immutable;
using AiBaseline.Api.V1Alpha1;
using k8s.Models;

namespace AiBaseline.Engine.Controls;

/// <summary>
/// NetworkIsolation: network policies isolate the serving pods, and what they allow is bounded.
/// <para>Reads: the pod template's metadata.labels; every NetworkPolicy of the namespace (podSelector with
/// matchLabels and matchExpressions, policyTypes, ingress[*].from, egress[*].to and ports); the CiliumNetworkPolicies
/// of the namespace and every CiliumClusterwideNetworkPolicy (read as <see cref="CiliumPolicies"/> says); the names of
/// policies of other kinds; profile spec.network (requireIngressPolicy, requireEgressPolicy, egressAllowList,
/// allowedIngressNamespaces).</para>
/// <para>A NetworkPolicy applies when its podSelector selects the pod labels (an empty selector selects every pod).
/// It isolates a direction when policyTypes lists it; without policyTypes, Kubernetes isolates ingress always
/// and egress only when the policy has egress rules. Passes when, for each required direction, an applying
/// policy isolates the pods and no applying rule opens that direction: ingress rules without sources, or from
/// ipBlock /0, or, when allowedIngressNamespaces is set, from namespaces not selected by
/// kubernetes.io/metadata.name on that list (the pods' own namespace is always allowed); egress rules without
/// destinations, or to ipBlock /0 (an except list does not close the internet), or to an ipBlock outside
/// egressAllowList, or to every namespace (namespaceSelector {} without a podSelector that narrows it). Egress to
/// chosen pods or namespaces stays in the cluster and is fine, and so is a rule whose every port is DNS (53/UDP or
/// 53/TCP). The reason says what is missing: NoNetworkPolicy when no policy of any kind selects the pods,
/// NoIngressPolicy or NoEgressPolicy when one direction is not isolated. Policies of kinds it does not read (Calico,
/// Antrea, AdminNetworkPolicy) are named in the message, never silently taken as isolation.</para>
/// <para>Serves EN 304 223 5.2.2-1 (secure infrastructure), 5.1.2-6 (least privilege), 5.2.1-4 (protect
/// assets) and 5.2.2-3 (segregate environments).</para>
/// </summary>
public sealed class NetworkIsolationControl : IControl
{
    /// <summary>The pods are isolated as the profile requires.</summary>
    public const string IsolatedReason = "Isolated";

    /// <summary>No policy of any kind selects the pods: ingress and egress are both open.</summary>
    public const string NoNetworkPolicyReason = "NoNetworkPolicy";

    /// <summary>An egress rule allows every pod of every namespace.</summary>
    public const string EgressToEveryNamespaceReason = "EgressToEveryNamespace";

    /// <summary>A policy refers to something the control cannot read (a CiliumCIDRGroup, cloud groups), so what it allows is unknown.</summary>
    public const string PolicyNotReadReason = "PolicyNotRead";

    /// <summary>No applying NetworkPolicy isolates the pods for ingress.</summary>
    public const string NoIngressPolicyReason = "NoIngressPolicy";

    /// <summary>No applying NetworkPolicy isolates the pods for egress.</summary>
    public const string NoEgressPolicyReason = "NoEgressPolicy";

    /// <summary>An ingress rule admits every source.</summary>
    public const string UnrestrictedIngressReason = "UnrestrictedIngress";

    /// <summary>An ingress rule admits namespaces outside spec.network.allowedIngressNamespaces.</summary>
    public const string IngressFromUnlistedNamespaceReason = "IngressFromUnlistedNamespace";

    /// <summary>An egress rule allows every destination.</summary>
    public const string UnrestrictedEgressReason = "UnrestrictedEgress";

    /// <summary>An egress rule allows an ipBlock, CIDR or DNS name outside spec.network.egressAllowList.</summary>
    public const string EgressOutsideAllowListReason = "EgressOutsideAllowList";

    private const string NamespaceNameLabel = "kubernetes.io/metadata.name";

    public string Name => "NetworkIsolation";

    public string ConditionType => ConditionTypes.NetworkIsolated;

    public ImmutableArray<string> Provisions { get; } = ["5.2.2-1", "5.1.2-6", "5.2.1-4", "5.2.2-3"];

    public ControlOutcome Evaluate(EvaluationContext context)
    {
        if (context.WorkloadGate() is { } gate)
        {
            return gate;
        }

        var rules = context.Profile.Network;
        var template = context.Snapshot.Workload!.Template;
        var labels = template.Metadata?.Labels;
        var judgement = new NetworkJudgement(rules, context.Namespace);
        foreach (var policy in context.Snapshot.NetworkPolicies)
        {
            if (!Applies(policy, context.Namespace, labels))
            {
                continue;
            }

            judgement.AnySelects = true;
            var name = policy.Metadata?.Name ?? "";
            var (ingress, egress) = TypesOf(policy.Spec);
            if (ingress && rules.RequireIngressPolicy)
            {
                judgement.IsolatesIngress(name);
                CheckIngress(name, policy.Spec?.Ingress, rules.AllowedIngressNamespaces, context.Namespace, judgement);
            }

            if (egress && rules.RequireEgressPolicy)
            {
                judgement.IsolatesEgress(name);
                CheckEgress(name, policy.Spec?.Egress, judgement);
            }
        }

        CiliumPolicies.Judge(context.Snapshot.CiliumPolicies, context.Namespace, template, judgement);
        var unread = Unread(context.Snapshot.UnreadNetworkPolicies);
        var missingIngress = rules.RequireIngressPolicy && judgement.IngressBy is null;
        var missingEgress = rules.RequireEgressPolicy && judgement.EgressBy is null;
        var pods = LabelSelectors.Describe(labels);
        if (missingIngress && missingEgress && !judgement.AnySelects)
        {
            judgement.Findings.NotMet(NoNetworkPolicyReason, $"no NetworkPolicy or Cilium policy in namespace {context.Namespace} selects the pods ({pods}), so ingress and egress are both open: add a default-deny policy whose podSelector selects them with policyTypes [Ingress, Egress]{unread}");
        }
        else
        {
            if (missingIngress)
            {
                judgement.Findings.NotMet(NoIngressPolicyReason, $"ingress: no NetworkPolicy or Cilium policy in namespace {context.Namespace} isolates the pods ({pods}): add one whose podSelector selects them with policyTypes [Ingress]{unread}");
            }

            if (missingEgress)
            {
                judgement.Findings.NotMet(NoEgressPolicyReason, $"egress: no NetworkPolicy or Cilium policy in namespace {context.Namespace} isolates the pods ({pods}): add one whose podSelector selects them with policyTypes [Egress]{unread}");
            }
        }

        return judgement.Findings.Outcome()
            ?? ControlOutcome.Met(IsolatedReason, $"ingress {Isolation(judgement.IngressBy, rules.RequireIngressPolicy)}; egress {Isolation(judgement.EgressBy, rules.RequireEgressPolicy)}{unread}");
    }

    /// <summary>Policies of kinds the control does not read, named so nobody takes their silence for a verdict.</summary>
    private static string Unread(ImmutableArray<string> policies) =>
        policies.IsDefaultOrEmpty
            ? ""
            : $" (not read: {string.Join(", ", policies.Order(StringComparer.Ordinal))}; aibaseline reads NetworkPolicy, CiliumNetworkPolicy and CiliumClusterwideNetworkPolicy only, so check what these allow by hand)";

    /// <summary>Policy types as the API server defaults them when policyTypes is absent.</summary>
    private static (bool Ingress, bool Egress) TypesOf(V1NetworkPolicySpec? spec)
    {
        if (spec is null)
        {
            return (true, false);
        }

        if (spec.PolicyTypes is not { Count: > 0 } types)
        {
            return (true, spec.Egress is { Count: > 0 });
        }

        return (types.Contains("Ingress"), types.Contains("Egress"));
    }

    private static bool Applies(V1NetworkPolicy policy, string ns, IDictionary<string, string>? labels) =>
        (policy.Metadata?.NamespaceProperty is not { } own || own == ns)
        && LabelSelectors.Matches(policy.Spec?.PodSelector, labels);

    private static void CheckIngress(string policy, IList<V1NetworkPolicyIngressRule>? ingress, List<string>? allowedNamespaces, string ns, NetworkJudgement judgement)
    {
        for (var i = 0; i < (ingress?.Count ?? 0); i++)
        {
            var where = new RuleSite(policy, "ingress", i).ToString();
            var sources = ingress![i].FromProperty;
            if (sources is not { Count: > 0 })
            {
                judgement.Findings.NotMet(UnrestrictedIngressReason, $"{where} has no from, so it admits every source: list the pods, namespaces or addresses that may call the model");
                continue;
            }

            foreach (var peer in sources)
            {
                if (peer.IpBlock is { } block)
                {
                    judgement.IngressFromCidr(where, "ipBlock", block.Cidr, block.Except);
                }
                else if (peer.NamespaceSelector is { } selector && allowedNamespaces is { Count: > 0 } && !SelectsOnly(selector, allowedNamespaces, ns))
                {
                    judgement.Findings.NotMet(IngressFromUnlistedNamespaceReason, $"{where} admits {Namespaces(selector)}, not only spec.network.allowedIngressNamespaces [{string.Join(", ", allowedNamespaces)}]: select them by {NamespaceNameLabel}");
                }
            }
        }
    }

    private static void CheckEgress(string policy, IList<V1NetworkPolicyEgressRule>? egress, NetworkJudgement judgement)
    {
        for (var i = 0; i < (egress?.Count ?? 0); i++)
        {
            var rule = egress![i];
            if (IsDnsOnly(rule.Ports))
            {
                continue;
            }

            var where = new RuleSite(policy, "egress", i).ToString();
            if (rule.To is not { Count: > 0 } destinations)
            {
                judgement.Findings.NotMet(UnrestrictedEgressReason, $"{where} has no to, so it allows every destination: list the services or networks the model needs");
                continue;
            }

            foreach (var peer in destinations)
            {
                if (peer.IpBlock is { } block)
                {
                    judgement.EgressToCidr(where, "ipBlock", block.Cidr, block.Except);
                }
                else if (peer.NamespaceSelector is { } selector && IsEmpty(selector) && (peer.PodSelector is null || IsEmpty(peer.PodSelector)))
                {
                    judgement.EgressToEveryNamespace(where, "namespaceSelector {}" + (peer.PodSelector is null ? "" : " with podSelector {}"));
                }
            }
        }
    }

    private static bool IsEmpty(V1LabelSelector selector) =>
        selector.MatchLabels is not { Count: > 0 } && selector.MatchExpressions is not { Count: > 0 };

    /// <summary>A rule whose every port is 53 over UDP or TCP only resolves names, which every pod needs.</summary>
    private static bool IsDnsOnly(IList<V1NetworkPolicyPort>? ports)
    {
        if (ports is not { Count: > 0 })
        {
            return false;
        }

        foreach (var port in ports)
        {
            var isDns = port.Port?.Value == "53"
                && (port.EndPort is null || port.EndPort == 53)
                && port.Protocol is null or "UDP" or "TCP";
            if (!isDns)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>True when the selector names its namespaces by kubernetes.io/metadata.name and each is the pods' own or listed.</summary>
    private static bool SelectsOnly(V1LabelSelector selector, List<string> allowed, string ns)
    {
        var named = false;
        if (selector.MatchLabels is { } labels && labels.TryGetValue(NamespaceNameLabel, out var name))
        {
            if (name != ns && !allowed.Contains(name))
            {
                return false;
            }

            named = true;
        }

        foreach (var requirement in selector.MatchExpressions ?? [])
        {
            if (requirement.Key == NamespaceNameLabel && requirement.OperatorProperty == "In")
            {
                foreach (var value in requirement.Values ?? [])
                {
                    if (value != ns && !allowed.Contains(value))
                    {
                        return false;
                    }
                }

                named = true;
            }
        }

        return named;
    }

    private static string Namespaces(V1LabelSelector selector) =>
        selector.MatchLabels is not { Count: > 0 } && selector.MatchExpressions is not { Count: > 0 }
            ? "every namespace (namespaceSelector {})"
            : "namespaces " + LabelSelectors.Describe(selector);

    private static string Isolation(List<string>? by, bool required)
    {
        if (!required)
        {
            return "not required";
        }

        by!.Sort(StringComparer.Ordinal);
        return "isolated by " + string.Join(", ", by);
    }

    /// <summary>Names a policy rule in messages; formatted only when there is something to report.</summary>
    private readonly record struct RuleSite(string Policy, string Direction, int Index)
    {
        public override string ToString() => $"NetworkPolicy {Policy} {Direction} rule {Index}";
    }
}
