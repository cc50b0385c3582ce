using k8s.Models;

namespace AiBaseline.Deploy.Tests.Infrastructure;

/// <summary>One permission a role grants, expanded from a rule: a verb on a resource of an API group.</summary>
internal sealed record Grant(string Role, string ApiGroup, string Resource, string Verb, bool Named)
{
    public override string ToString() => $"{Role}: {Verb} {Resource}{(ApiGroup.Length == 0 ? "" : "." + ApiGroup)}{(Named ? " (named objects)" : "")}";
}

/// <summary>Reads the Roles and ClusterRoles of a render as flat grants, so tests can reason about permissions, not YAML shapes.</summary>
internal static class RbacGrants
{
    public static IList<V1PolicyRule> Rules(KubeDocument role) => role.Kind switch
    {
        "ClusterRole" => role.As<V1ClusterRole>().Rules ?? [],
        "Role" => role.As<V1Role>().Rules ?? [],
        _ => throw new ArgumentException($"{role.Identity} is not a role", nameof(role)),
    };

    public static IEnumerable<KubeDocument> Roles(IEnumerable<KubeDocument> documents) =>
        documents.Where(d => d.Kind is "ClusterRole" or "Role");

    public static IEnumerable<Grant> Expand(KubeDocument role) =>
        from rule in Rules(role)
        from apiGroup in rule.ApiGroups ?? []
        from resource in rule.Resources ?? []
        from verb in rule.Verbs ?? []
        select new Grant(role.Identity, apiGroup, resource, verb, rule.ResourceNames is { Count: > 0 });

    /// <summary>The grants of a role without its name, for comparing the same role across install paths.</summary>
    public static IReadOnlyList<string> Permissions(KubeDocument role) =>
        Expand(role).Select(g => g with { Role = "" }).Select(g => g.ToString()).Distinct().Order(StringComparer.Ordinal).ToList();
}
