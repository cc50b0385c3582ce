using System.Collections.Immutable;
using k8s.Models;

namespace AiBaseline.Engine.Gathering;

/// <summary>
/// Finds what a ServiceAccount is granted: RoleBindings of its namespace and ClusterRoleBindings whose
/// subjects name it, or name a group every ServiceAccount of the namespace (or cluster) belongs to.
/// </summary>
public static class RoleGrants
{
    private const string AllServiceAccountsGroup = "system:serviceaccounts";

    /// <summary>The grants of ServiceAccount <paramref name="ns"/>/<paramref name="account"/>, in binding order.</summary>
    public static ImmutableArray<RoleGrant> Of(string ns, string account, IClusterState state)
    {
        var grants = ImmutableArray.CreateBuilder<RoleGrant>();
        foreach (var binding in state.RoleBindings(ns))
        {
            if (binding.RoleRef is { } roleRef && Binds(binding.Subjects, ns, account))
            {
                grants.Add(new RoleGrant("RoleBinding", binding.Metadata?.Name ?? "", roleRef.Kind, roleRef.Name, RulesOf(roleRef, ns, state)));
            }
        }

        foreach (var binding in state.ClusterRoleBindings())
        {
            if (binding.RoleRef is { } roleRef && Binds(binding.Subjects, ns, account))
            {
                grants.Add(new RoleGrant("ClusterRoleBinding", binding.Metadata?.Name ?? "", roleRef.Kind, roleRef.Name, RulesOf(roleRef, ns, state)));
            }
        }

        return grants.DrainToImmutable();
    }

    /// <summary>Whether the subjects include the ServiceAccount, directly or through its groups.</summary>
    public static bool Binds(IList<Rbacv1Subject>? subjects, string ns, string account)
    {
        foreach (var subject in subjects ?? [])
        {
            var matches = subject.Kind switch
            {
                // A ServiceAccount subject without namespace is invalid in the API; for a RoleBinding kubectl
                // fills the binding's namespace, so treat a missing one as the account's own.
                "ServiceAccount" => subject.Name == account && (string.IsNullOrEmpty(subject.NamespaceProperty) || subject.NamespaceProperty == ns),
                "Group" => subject.Name == AllServiceAccountsGroup || subject.Name == $"{AllServiceAccountsGroup}:{ns}",
                _ => false,
            };
            if (matches)
            {
                return true;
            }
        }

        return false;
    }

    private static ImmutableArray<V1PolicyRule> RulesOf(V1RoleRef roleRef, string ns, IClusterState state)
    {
        var rules = roleRef.Kind switch
        {
            "Role" => state.Role(ns, roleRef.Name)?.Rules,
            "ClusterRole" => state.ClusterRole(roleRef.Name)?.Rules,
            _ => null,
        };
        return rules is null ? [] : [.. rules];
    }
}
