using AiBaseline.Api.V1Alpha1;

namespace AiBaseline.Engine.Controls;

/// <summary>
/// What NetworkIsolation learns while it reads the policies of both families (Kubernetes NetworkPolicy and Cilium's
/// policies): which policies select the pods, which isolate each direction, and what each allowed peer opens. The
/// rules about addresses (everywhere, the egress allow list) live here so both families judge them alike.
/// </summary>
internal sealed class NetworkJudgement(NetworkPolicyRules rules, string ns)
{
    private Cidr[]? allowedNetworks;

    public NetworkPolicyRules Rules { get; } = rules;

    public string Namespace { get; } = ns;

    public FindingSet Findings { get; } = new();

    /// <summary>Whether any policy of either family selects the pods, isolating or not.</summary>
    public bool AnySelects { get; set; }

    /// <summary>Policies isolating ingress, as messages name them; null when none does.</summary>
    public List<string>? IngressBy { get; private set; }

    /// <summary>Policies isolating egress, as messages name them; null when none does.</summary>
    public List<string>? EgressBy { get; private set; }

    public void IsolatesIngress(string policy) => (IngressBy ??= []).Add(policy);

    public void IsolatesEgress(string policy) => (EgressBy ??= []).Add(policy);

    /// <summary>Judges ingress admitted from a CIDR: only every address is a finding.</summary>
    public void IngressFromCidr(string where, string field, string? text, IList<string>? except)
    {
        if (Cidr.TryParse(text, out var cidr) && cidr.IsEverywhere)
        {
            Findings.NotMet(NetworkIsolationControl.UnrestrictedIngressReason, $"{where} admits {field} {text}{Except(except)}, every address: name the source networks instead");
        }
    }

    /// <summary>Judges egress allowed to a CIDR: it must be valid, not everywhere, and inside the allow list.</summary>
    public void EgressToCidr(string where, string field, string? text, IList<string>? except)
    {
        if (!Cidr.TryParse(text, out var cidr))
        {
            Findings.NotMet(NetworkIsolationControl.EgressOutsideAllowListReason, $"{where} allows {field} {text}, which is not a valid CIDR");
        }
        else if (cidr.IsEverywhere)
        {
            Findings.NotMet(NetworkIsolationControl.UnrestrictedEgressReason, $"{where} allows {field} {text}{Except(except)}, every address: allow only the networks the model needs");
        }
        else if (!IsAllowed(cidr))
        {
            Findings.NotMet(NetworkIsolationControl.EgressOutsideAllowListReason, $"{where} allows {field} {text}, outside spec.network.egressAllowList {AllowListText()}: narrow the rule or add the network to the profile");
        }
    }

    /// <summary>
    /// Judges egress allowed to a DNS name or pattern. A pattern of only * reaches every name; any other must be on
    /// the allow list: an entry equal to it, or an entry *.domain covering a name under domain.
    /// </summary>
    public void EgressToName(string where, string field, string name)
    {
        if (name.Trim('*', '.').Length == 0)
        {
            Findings.NotMet(NetworkIsolationControl.UnrestrictedEgressReason, $"{where} allows {field} {name}, every DNS name: list the names the model needs");
            return;
        }

        foreach (var entry in Rules.EgressAllowList ?? [])
        {
            if (string.Equals(entry, name, StringComparison.OrdinalIgnoreCase)
                || (entry.StartsWith("*.", StringComparison.Ordinal) && name.EndsWith(entry[1..], StringComparison.OrdinalIgnoreCase) && !name.StartsWith('*')))
            {
                return;
            }
        }

        Findings.NotMet(NetworkIsolationControl.EgressOutsideAllowListReason, $"{where} allows {field} {name}, not on spec.network.egressAllowList {AllowListText()}: narrow the rule or add the name to the profile");
    }

    /// <summary>Egress to every pod of every namespace reaches the whole cluster, other tenants' models included.</summary>
    public void EgressToEveryNamespace(string where, string what) =>
        Findings.NotMet(NetworkIsolationControl.EgressToEveryNamespaceReason, $"{where} allows {what}, every pod of every namespace: select the namespaces and pods the model calls");

    private static string Except(IList<string>? except) =>
        except is { Count: > 0 } ? $" (even with except [{string.Join(", ", except)}])" : "";

    private string AllowListText() =>
        Rules.EgressAllowList is { Count: > 0 } allowed ? $"[{string.Join(", ", allowed)}]" : "(empty)";

    private bool IsAllowed(Cidr cidr)
    {
        foreach (var allowed in allowedNetworks ??= ParseAllowList(Rules.EgressAllowList))
        {
            if (allowed.Contains(cidr))
            {
                return true;
            }
        }

        return false;
    }

    private static Cidr[] ParseAllowList(List<string>? written)
    {
        var parsed = new List<Cidr>(written?.Count ?? 0);
        foreach (var entry in written ?? [])
        {
            // Entries that are not CIDRs are DNS names (for Cilium's toFQDNs); malformed ones simply allow nothing.
            if (Cidr.TryParse(entry, out var cidr))
            {
                parsed.Add(cidr);
            }
        }

        return [.. parsed];
    }
}
