using System.Collections.Immutable;
using AiBaseline.Api.V1Alpha1;
using k8s.Models;

namespace AiBaseline.Engine.Controls;

/// <summary>
/// LeastPrivilege: the serving pods' ServiceAccount exists and holds no broad Kubernetes API rights.
/// <para>Reads: the pod template's spec.serviceAccountName (default "default"); the snapshot's ServiceAccount
/// and the role grants of its RoleBindings and ClusterRoleBindings; profile spec.leastPrivilege
/// (forbiddenClusterRoles, forbidWildcards).</para>
/// <para>Passes when the ServiceAccount exists; no binding grants a ClusterRole on forbiddenClusterRoles
/// (cluster-admin, admin and edit when unset); no rule has "*" in apiGroups, resources or verbs when
/// forbidWildcards is true; and no ClusterRoleBinding lets it get, list or watch Secrets across the cluster.
/// A binding to a role that does not exist grants nothing: it is noted in the message and still met.</para>
/// <para>Serves EN 304 223 5.1.2-6 (least privilege) and 5.2.2-1 (secure infrastructure).</para>
/// </summary>
public sealed class LeastPrivilegeControl : IControl
{
    /// <summary>The ServiceAccount exists and its grants are narrow.</summary>
    public const string LeastPrivilegeReason = "LeastPrivilege";

    /// <summary>The ServiceAccount the pods run as does not exist, so they cannot start.</summary>
    public const string ServiceAccountNotFoundReason = "ServiceAccountNotFound";

    /// <summary>A binding grants a ClusterRole on spec.leastPrivilege.forbiddenClusterRoles.</summary>
    public const string PrivilegedBindingReason = "PrivilegedBinding";

    /// <summary>A granted rule has "*" in apiGroups, resources or verbs.</summary>
    public const string WildcardRuleReason = "WildcardRule";

    /// <summary>A ClusterRoleBinding lets the ServiceAccount read Secrets in every namespace.</summary>
    public const string ClusterSecretAccessReason = "ClusterSecretAccess";

    private const string DefaultServiceAccount = "default";

    private static readonly ImmutableArray<string> DefaultForbiddenClusterRoles = ["cluster-admin", "admin", "edit"];

    public string Name => "LeastPrivilege";

    public string ConditionType => ConditionTypes.LeastPrivilege;

    public ImmutableArray<string> Provisions { get; } = ["5.1.2-6", "5.2.2-1"];

    public ControlOutcome Evaluate(EvaluationContext context)
    {
        if (context.WorkloadGate() is { } gate)
        {
            return gate;
        }

        var pod = context.Snapshot.Workload!.Template.Spec;
        var account = string.IsNullOrEmpty(pod?.ServiceAccountName) ? DefaultServiceAccount : pod.ServiceAccountName;
        var who = $"ServiceAccount {context.Namespace}/{account}";
        if (context.Snapshot.ServiceAccount is null)
        {
            return ControlOutcome.NotMet(ServiceAccountNotFoundReason, $"{who} named by the pod template does not exist, so the pods cannot start: create it or fix spec.template.spec.serviceAccountName");
        }

        var policy = context.Profile.LeastPrivilege;
        IReadOnlyList<string> forbidden = policy.ForbiddenClusterRoles ?? (IReadOnlyList<string>)DefaultForbiddenClusterRoles;
        var findings = new FindingSet();
        List<string>? missingRoles = null;
        foreach (var grant in context.Snapshot.RoleGrants)
        {
            if (grant.RoleKind == "ClusterRole" && forbidden.Contains(grant.RoleName))
            {
                var binding = Describe(who, grant);
                // The binding itself is the fix; its rules would only repeat the finding.
                findings.NotMet(PrivilegedBindingReason, $"{binding}, which the profile forbids: bind a role with only the rights the model needs");
                continue;
            }

            if (grant.Rules.IsDefaultOrEmpty)
            {
                (missingRoles ??= []).Add($"{grant.BindingKind} {grant.BindingName} names {grant.RoleKind} {grant.RoleName}, which does not exist");
                continue;
            }

            for (var i = 0; i < grant.Rules.Length; i++)
            {
                CheckRule(grant, grant.Rules[i], i, who, policy.ForbidWildcards, findings);
            }
        }

        if (findings.Outcome() is { } problem)
        {
            return problem;
        }

        var count = context.Snapshot.RoleGrants.Length;
        var summary = count == 0 ? $"{who} has no role bindings" : $"{who} has {count} role binding{(count == 1 ? "" : "s")}, none privileged";
        if (missingRoles is not null)
        {
            missingRoles.Sort(StringComparer.Ordinal);
            summary += "; " + string.Join("; ", missingRoles);
        }

        return ControlOutcome.Met(LeastPrivilegeReason, summary);
    }

    private static string Describe(string who, RoleGrant grant) =>
        $"{who}: {grant.BindingKind} {grant.BindingName} grants {grant.RoleKind} {grant.RoleName}";

    private static void CheckRule(RoleGrant grant, V1PolicyRule rule, int index, string who, bool forbidWildcards, FindingSet findings)
    {
        if (forbidWildcards)
        {
            var fields = Wildcards(rule);
            if (fields is not null)
            {
                findings.NotMet(WildcardRuleReason, $"{Describe(who, grant)}, rule {index} has \"*\" in {fields}: list the API groups, resources and verbs the model needs");
            }
        }

        if (grant.BindingKind == "ClusterRoleBinding" && ReadsSecrets(rule))
        {
            findings.NotMet(ClusterSecretAccessReason, $"{Describe(who, grant)}, rule {index} lets it read Secrets in every namespace: grant Secret access with a RoleBinding in the model's namespace, limited by resourceNames");
        }
    }

    private static string? Wildcards(V1PolicyRule rule)
    {
        var groups = HasWildcard(rule.ApiGroups);
        var resources = HasWildcard(rule.Resources);
        var verbs = HasWildcard(rule.Verbs);
        return (groups, resources, verbs) switch
        {
            (false, false, false) => null,
            _ => string.Join(", ", new[] { groups ? "apiGroups" : null, resources ? "resources" : null, verbs ? "verbs" : null }.Where(f => f is not null)),
        };
    }

    /// <summary>True when the rule allows get, list or watch on core Secrets, directly or by wildcard.</summary>
    private static bool ReadsSecrets(V1PolicyRule rule) =>
        AnyOf(rule.ApiGroups, "", null)
        && AnyOf(rule.Resources, "secrets", null)
        && (AnyOf(rule.Verbs, "get", "list") || AnyOf(rule.Verbs, "watch", null));

    private static bool HasWildcard(IList<string>? values) => AnyOf(values, "*", null);

    /// <summary>True when <paramref name="values"/> holds "*", <paramref name="a"/> or <paramref name="b"/>.</summary>
    private static bool AnyOf(IList<string>? values, string a, string? b)
    {
        foreach (var value in values ?? [])
        {
            if (value == "*" || value == a || (b is not null && value == b))
            {
                return true;
            }
        }

        return false;
    }
}
