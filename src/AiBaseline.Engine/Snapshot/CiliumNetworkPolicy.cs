using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace AiBaseline.Engine;

/// <summary>
/// A Cilium policy (<c>cilium.io/v2</c> CiliumNetworkPolicy, namespaced, or CiliumClusterwideNetworkPolicy), with the
/// fields NetworkIsolation reads. Unread fields are dropped when it is decoded; the schema is Cilium's
/// (<c>crds/vendor/cilium/</c>).
/// </summary>
public sealed class CiliumNetworkPolicy : IKubernetesObject<V1ObjectMeta>
{
    /// <summary>The API group and version both kinds are served at.</summary>
    public const string GroupVersion = "cilium.io/v2";

    /// <summary>The namespaced kind: its selectors are confined to its namespace.</summary>
    public const string NamespacedKind = "CiliumNetworkPolicy";

    /// <summary>The cluster-scoped kind: its selectors span every namespace.</summary>
    public const string ClusterwideKind = "CiliumClusterwideNetworkPolicy";

    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = GroupVersion;

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = NamespacedKind;

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    /// <summary>One rule.</summary>
    [JsonPropertyName("spec")]
    public CiliumRule? Spec { get; set; }

    /// <summary>More rules; a policy may carry spec, specs or both.</summary>
    [JsonPropertyName("specs")]
    public List<CiliumRule>? Specs { get; set; }

    /// <summary>True for CiliumClusterwideNetworkPolicy.</summary>
    [JsonIgnore]
    public bool IsClusterwide => Kind == ClusterwideKind;

    /// <summary>spec, then specs, in that order.</summary>
    public IEnumerable<CiliumRule> Rules() => Spec is null ? Specs ?? [] : [Spec, .. Specs ?? []];
}

/// <summary>One Cilium rule: which endpoints it selects and what it allows or denies each way.</summary>
public sealed class CiliumRule
{
    /// <summary>The pods the rule applies to; absent when the rule is a host policy (nodeSelector).</summary>
    [JsonPropertyName("endpointSelector")]
    public V1LabelSelector? EndpointSelector { get; set; }

    /// <summary>Nodes, for host policies: such a rule never applies to pods.</summary>
    [JsonPropertyName("nodeSelector")]
    public V1LabelSelector? NodeSelector { get; set; }

    [JsonPropertyName("ingress")]
    public List<CiliumPeerRule>? Ingress { get; set; }

    [JsonPropertyName("ingressDeny")]
    public List<CiliumPeerRule>? IngressDeny { get; set; }

    [JsonPropertyName("egress")]
    public List<CiliumPeerRule>? Egress { get; set; }

    [JsonPropertyName("egressDeny")]
    public List<CiliumPeerRule>? EgressDeny { get; set; }

    /// <summary>Whether the rule puts its endpoints in default deny each way; both default to true.</summary>
    [JsonPropertyName("enableDefaultDeny")]
    public CiliumDefaultDeny? EnableDefaultDeny { get; set; }
}

/// <summary>Cilium's <c>enableDefaultDeny</c>.</summary>
public sealed class CiliumDefaultDeny
{
    [JsonPropertyName("ingress")]
    public bool? Ingress { get; set; }

    [JsonPropertyName("egress")]
    public bool? Egress { get; set; }
}

/// <summary>One ingress or egress rule: the peers (from… for ingress, to… for egress) and the ports.</summary>
public sealed class CiliumPeerRule
{
    [JsonPropertyName("fromEndpoints")]
    public List<V1LabelSelector>? FromEndpoints { get; set; }

    [JsonPropertyName("toEndpoints")]
    public List<V1LabelSelector>? ToEndpoints { get; set; }

    [JsonPropertyName("fromEntities")]
    public List<string>? FromEntities { get; set; }

    [JsonPropertyName("toEntities")]
    public List<string>? ToEntities { get; set; }

    [JsonPropertyName("fromCIDR")]
    public List<string>? FromCIDR { get; set; }

    [JsonPropertyName("toCIDR")]
    public List<string>? ToCIDR { get; set; }

    [JsonPropertyName("fromCIDRSet")]
    public List<CiliumCidrRule>? FromCIDRSet { get; set; }

    [JsonPropertyName("toCIDRSet")]
    public List<CiliumCidrRule>? ToCIDRSet { get; set; }

    [JsonPropertyName("toFQDNs")]
    public List<CiliumFqdnSelector>? ToFQDNs { get; set; }

    /// <summary>Kubernetes Services: in the cluster. Only whether it is present is read.</summary>
    [JsonPropertyName("toServices")]
    public List<object>? ToServices { get; set; }

    /// <summary>Cloud provider groups (AWS security groups): not understood, only whether it is present is read.</summary>
    [JsonPropertyName("toGroups")]
    public List<object>? ToGroups { get; set; }

    /// <summary>Nodes selected by labels (Cilium 1.16+): in the cluster. Only whether it is present is read.</summary>
    [JsonPropertyName("fromNodes")]
    public List<object>? FromNodes { get; set; }

    [JsonPropertyName("toNodes")]
    public List<object>? ToNodes { get; set; }

    [JsonPropertyName("toPorts")]
    public List<CiliumPortRule>? ToPorts { get; set; }
}

/// <summary>A CIDR with exceptions, or a reference to a CiliumCIDRGroup.</summary>
public sealed class CiliumCidrRule
{
    [JsonPropertyName("cidr")]
    public string? Cidr { get; set; }

    [JsonPropertyName("except")]
    public List<string>? Except { get; set; }

    [JsonPropertyName("cidrGroupRef")]
    public string? CidrGroupRef { get; set; }
}

/// <summary>A DNS name (<c>matchName</c>) or pattern (<c>matchPattern</c>, * for any label).</summary>
public sealed class CiliumFqdnSelector
{
    [JsonPropertyName("matchName")]
    public string? MatchName { get; set; }

    [JsonPropertyName("matchPattern")]
    public string? MatchPattern { get; set; }
}

/// <summary>The ports of a rule.</summary>
public sealed class CiliumPortRule
{
    [JsonPropertyName("ports")]
    public List<CiliumPort>? Ports { get; set; }
}

/// <summary>A port (number or name) and protocol (TCP, UDP, SCTP, ANY).</summary>
public sealed class CiliumPort
{
    [JsonPropertyName("port")]
    public string? Port { get; set; }

    [JsonPropertyName("endPort")]
    public int? EndPort { get; set; }

    [JsonPropertyName("protocol")]
    public string? Protocol { get; set; }
}
