using System.Collections.Immutable;
using AiBaseline.Engine.Controls;
using k8s.Models;

namespace AiBaseline.Engine.Gathering;

/// <summary>
/// Finds what a ServiceAccount is granted: RoleBindings of its namespace and ClusterRoleBindings whose subjects name
/// it, or name a group it belongs to: every ServiceAccount of its namespace or of the cluster, every authenticated
/// user, or everyone unauthenticated (whose rights any pod has without a token). An aggregated ClusterRole grants the
/// rules of the ClusterRoles its aggregationRule selects, as the controller manager fills them in.
/// </summary>
public static class RoleGrants
{
    /// <summary>Every ServiceAccount of the cluster.</summary>
    public const string AllServiceAccountsGroup = "system:serviceaccounts";

    /// <summary>Every authenticated user, ServiceAccounts included.</summary>
    public const string AuthenticatedGroup = "system:authenticated";

    /// <summary>Every request without credentials.</summary>
    public const string UnauthenticatedGroup = "system:unauthenticated";

    /// <summary>The grants of ServiceAccount <paramref name="ns"/>/<paramref name="account"/>, in binding order.</summary>
    public static ImmutableArray<RoleGrant> Of(string ns, string account, IRbacState state)
    {
        var grants = ImmutableArray.CreateBuilder<RoleGrant>();
        foreach (var binding in state.RoleBindings(ns))
        {
            if (binding.RoleRef is { } roleRef && SubjectFor(binding.Subjects, ns, account) is { } subject)
            {
                grants.Add(Grant("RoleBinding", binding.Metadata?.Name ?? "", roleRef, ns, subject, state));
            }
        }

        foreach (var binding in state.ClusterRoleBindings())
        {
            if (binding.RoleRef is { } roleRef && SubjectFor(binding.Subjects, ns, account) is { } subject)
            {
                grants.Add(Grant("ClusterRoleBinding", binding.Metadata?.Name ?? "", roleRef, ns, subject, state));
            }
        }

        return grants.DrainToImmutable();
    }

    /// <summary>Whether the subjects include the ServiceAccount, directly or through its groups.</summary>
    public static bool Binds(IList<Rbacv1Subject>? subjects, string ns, string account) => SubjectFor(subjects, ns, account) is not null;

    /// <summary>Whether a group subject takes in ServiceAccounts of <paramref name="ns"/> (null: of any namespace).</summary>
    public static bool IsServiceAccountGroup(string? group, string? ns) =>
        group is AllServiceAccountsGroup or AuthenticatedGroup or UnauthenticatedGroup
        || (group is not null && group.StartsWith(AllServiceAccountsGroup + ":", StringComparison.Ordinal) && (ns is null || group == $"{AllServiceAccountsGroup}:{ns}"));

    /// <summary>The subject through which the ServiceAccount is bound: null for none, "" when named itself, else the group's name.</summary>
    private static string? SubjectFor(IList<Rbacv1Subject>? subjects, string ns, string account)
    {
        string? group = null;
        foreach (var subject in subjects ?? [])
        {
            // A ServiceAccount subject without namespace is invalid in the API; for a RoleBinding kubectl
            // fills the binding's namespace, so treat a missing one as the account's own.
            if (subject.Kind == "ServiceAccount" && subject.Name == account && (string.IsNullOrEmpty(subject.NamespaceProperty) || subject.NamespaceProperty == ns))
            {
                return "";
            }

            if (subject.Kind == "Group" && IsServiceAccountGroup(subject.Name, ns))
            {
                group ??= subject.Name;
            }
        }

        return group;
    }

    private static RoleGrant Grant(string bindingKind, string bindingName, V1RoleRef roleRef, string ns, string subject, IRbacState state)
    {
        var (rules, aggregatedFrom) = RulesOf(roleRef, ns, state);
        return new RoleGrant(bindingKind, bindingName, roleRef.Kind, roleRef.Name, rules)
        {
            Group = subject.Length == 0 ? null : subject,
            AggregatedFrom = aggregatedFrom,
        };
    }

    private static (ImmutableArray<V1PolicyRule> Rules, ImmutableArray<string> AggregatedFrom) RulesOf(V1RoleRef roleRef, string ns, IRbacState state)
    {
        if (roleRef.Kind == "Role")
        {
            return (state.Role(ns, roleRef.Name)?.Rules is { } own ? [.. own] : [], []);
        }

        if (roleRef.Kind != "ClusterRole" || state.ClusterRole(roleRef.Name) is not { } role)
        {
            return ([], []);
        }

        if (role.AggregationRule?.ClusterRoleSelectors is not { Count: > 0 } selectors)
        {
            return (role.Rules is null ? [] : [.. role.Rules], []);
        }

        // The controller manager keeps an aggregated role's rules equal to the union of the selected roles'; manifests
        // (and clusters without it) leave them empty, so the union is taken here. Rules already filled in add nothing new.
        var rules = ImmutableArray.CreateBuilder<V1PolicyRule>();
        rules.AddRange(role.Rules ?? []);
        var sources = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var candidate in state.ClusterRoles())
        {
            var name = candidate.Metadata?.Name;
            if (name is null || name == roleRef.Name || candidate.AggregationRule is not null)
            {
                continue;
            }

            if (selectors.Any(selector => LabelSelectors.Matches(selector, candidate.Metadata?.Labels ?? new Dictionary<string, string>())))
            {
                rules.AddRange(candidate.Rules ?? []);
                sources.Add(name);
            }
        }

        return (rules.DrainToImmutable(), [.. sources]);
    }
}
