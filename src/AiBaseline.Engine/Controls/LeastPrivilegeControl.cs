using System.Collections.Immutable;
using AiBaseline.Api.V1Alpha1;
using AiBaseline.Engine.Gathering;
using k8s.Models;

namespace AiBaseline.Engine.Controls;

/// <summary>
/// LeastPrivilege: the serving pods' ServiceAccount exists and holds no broad Kubernetes API rights.
/// <para>Reads: the pod template's spec.serviceAccountName (default "default"); the snapshot's ServiceAccount
/// and the role grants of the RoleBindings and ClusterRoleBindings that name it or a group it is in
/// (system:serviceaccounts, system:serviceaccounts:&lt;namespace&gt;, system:authenticated, system:unauthenticated),
/// aggregated ClusterRoles read as the union of the roles they select; profile spec.leastPrivilege
/// (forbiddenClusterRoles, forbidWildcards).</para>
/// <para>Passes when the ServiceAccount exists; no binding grants a ClusterRole on forbiddenClusterRoles
/// (cluster-admin, admin and edit when unset); no rule has "*" in apiGroups, resources or verbs when
/// forbidWildcards is true; no ClusterRoleBinding lets it get, list or watch Secrets across the cluster; no rule lets
/// it escalate or bind roles or impersonate users, groups or ServiceAccounts (each a way to more rights); no rule
/// lets it exec or attach into pods (pods/exec, pods/attach with create or get); no rule lets it create pods or
/// workloads (Deployments, StatefulSets, DaemonSets, ReplicaSets, ReplicationControllers, Jobs, CronJobs), which run
/// as any ServiceAccount of the namespace; and no binding of system:authenticated or system:unauthenticated grants a
/// role other than Kubernetes' own system: roles, since that grants it to every user. A binding to a role that does
/// not exist grants nothing: it is noted in the message and still met.</para>
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

    /// <summary>A rule lets the ServiceAccount escalate or bind roles, or impersonate another identity.</summary>
    public const string PrivilegeEscalationReason = "PrivilegeEscalation";

    /// <summary>A rule lets the ServiceAccount run commands in pods (pods/exec, pods/attach).</summary>
    public const string PodExecReason = "PodExec";

    /// <summary>A rule lets the ServiceAccount create pods or workloads.</summary>
    public const string WorkloadCreationReason = "WorkloadCreation";

    /// <summary>A binding grants a role to every authenticated or unauthenticated user.</summary>
    public const string BroadGroupBindingReason = "BroadGroupBinding";

    private const string DefaultServiceAccount = "default";

    private static readonly string[] WorkloadResources = ["pods", "deployments", "statefulsets", "daemonsets", "replicasets", "replicationcontrollers", "jobs", "cronjobs"];

    private static readonly string[] WorkloadGroups = ["", "apps", "batch"];

    private static readonly string[] IdentityResources = ["users", "groups", "serviceaccounts", "uids", "userextras"];

    private static readonly string[] RoleResources = ["roles", "clusterroles"];

    private static readonly string[] DefaultForbiddenClusterRoles = ["cluster-admin", "admin", "edit"];

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
        var who = $"ServiceAccount {account}";
        if (context.Snapshot.ServiceAccount is null)
        {
            return ControlOutcome.NotMet(ServiceAccountNotFoundReason, $"{who} named by the pod template does not exist, so the pods cannot start: create it or fix spec.template.spec.serviceAccountName");
        }

        var policy = context.Profile.LeastPrivilege;
        IList<string> forbidden = policy.ForbiddenClusterRoles ?? (IList<string>)DefaultForbiddenClusterRoles;
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

            if (grant.Group is RoleGrants.AuthenticatedGroup or RoleGrants.UnauthenticatedGroup && !grant.RoleName.StartsWith("system:", StringComparison.Ordinal))
            {
                findings.NotMet(BroadGroupBindingReason, $"{Describe(who, grant)} to every {(grant.Group == RoleGrants.AuthenticatedGroup ? "authenticated" : "unauthenticated")} user (group {grant.Group}): bind the role to the ServiceAccounts that need it");
            }

            if (grant.Rules.IsDefaultOrEmpty)
            {
                if (grant.Group is null)
                {
                    (missingRoles ??= []).Add($"{grant.BindingKind} {grant.BindingName} names {grant.RoleKind} {grant.RoleName}, which does not exist or grants nothing");
                }

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

        // Bindings through groups reach every ServiceAccount (Kubernetes binds its own discovery roles that way): they are
        // judged above but counted apart, so the summary speaks of what was bound to this account.
        var count = context.Snapshot.RoleGrants.Count(g => g.Group is null);
        var summary = count == 0 ? $"{who} has no role bindings" : $"{who} has {count} role binding{(count == 1 ? "" : "s")}, none privileged";
        if (missingRoles is not null)
        {
            missingRoles.Sort(StringComparer.Ordinal);
            summary += "; " + string.Join("; ", missingRoles);
        }

        return ControlOutcome.Met(LeastPrivilegeReason, summary);
    }

    private static string Describe(string who, RoleGrant grant) =>
        $"{who}: {grant.BindingKind} {grant.BindingName} grants {grant.RoleKind} {grant.RoleName}"
        + (grant.AggregatedFrom.IsDefaultOrEmpty ? "" : $" (aggregating {string.Join(", ", grant.AggregatedFrom)})")
        + (grant.Group is null ? "" : $" through group {grant.Group}");

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

        if (Allows(rule, ["rbac.authorization.k8s.io"], RoleResources, "escalate", "bind") is { } roleVerb)
        {
            findings.NotMet(PrivilegeEscalationReason, $"{Describe(who, grant)}, rule {index} lets it {roleVerb} roles, and so give itself any right: remove the verb");
        }

        if (Allows(rule, null, IdentityResources, "impersonate") is not null)
        {
            findings.NotMet(PrivilegeEscalationReason, $"{Describe(who, grant)}, rule {index} lets it impersonate other users or ServiceAccounts, and act with their rights: remove the verb");
        }

        if (Allows(rule, [""], ["pods/exec", "pods/attach"], "create", "get") is not null)
        {
            findings.NotMet(PodExecReason, $"{Describe(who, grant)}, rule {index} lets it run commands in pods (pods/exec or pods/attach), reading whatever they hold: remove the rule");
        }

        if (Allows(rule, WorkloadGroups, WorkloadResources, "create") is not null)
        {
            findings.NotMet(WorkloadCreationReason, $"{Describe(who, grant)}, rule {index} lets it create pods or workloads, which may run as any ServiceAccount of the namespace: remove create, or move the job to a controller of its own");
        }
    }

    /// <summary>The first of <paramref name="verbs"/> the rule allows on any of the resources (in any of the groups; null for any group), or null.</summary>
    private static string? Allows(V1PolicyRule rule, string[]? groups, string[] resources, params string[] verbs)
    {
        if (groups is not null && !(rule.ApiGroups ?? []).Any(g => g == "*" || groups.Contains(g)))
        {
            return null;
        }

        if (!(rule.Resources ?? []).Any(r => r == "*" || resources.Contains(r)))
        {
            return null;
        }

        foreach (var verb in verbs)
        {
            if ((rule.Verbs ?? []).Any(v => v == "*" || v == verb))
            {
                return verb;
            }
        }

        return null;
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
