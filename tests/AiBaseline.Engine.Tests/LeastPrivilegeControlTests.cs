using AiBaseline.Api.V1Alpha1;
using AiBaseline.Engine.Controls;
using static AiBaseline.Engine.Tests.Builders;
using static AiBaseline.Engine.Tests.ControlHarness;

namespace AiBaseline.Engine.Tests;

public sealed class LeastPrivilegeControlTests
{
    private static readonly string[] Core = [""];
    private static readonly string[] Rbac = ["rbac.authorization.k8s.io"];
    private static readonly LeastPrivilegeControl Control = new();

    public static TheoryData<string, Snapshot, BaselineProfile, ControlResult, string, string> Cases => new()
    {
        { "a ServiceAccount without bindings is least privilege", Snapshot(), Profile(), ControlResult.Met, LeastPrivilegeControl.LeastPrivilegeReason, "ServiceAccount scorer has no role bindings" },
        { "narrow namespaced rules are fine", With(Grant("RoleBinding", "scorer-config", "Role", "config-reader", Rule(Core, ["configmaps"], "get"))), Profile(), ControlResult.Met, LeastPrivilegeControl.LeastPrivilegeReason, "has 1 role binding, none privileged" },
        { "a missing ServiceAccount stops the pods from starting", Snapshot() with { ServiceAccount = null }, Profile(), ControlResult.NotMet, LeastPrivilegeControl.ServiceAccountNotFoundReason, "ServiceAccount scorer named by the pod template does not exist" },
        { "an unnamed ServiceAccount is default", WithoutAccountName() with { ServiceAccount = null }, Profile(), ControlResult.NotMet, LeastPrivilegeControl.ServiceAccountNotFoundReason, "ServiceAccount default" },
        { "cluster-admin is forbidden by default", With(Grant("ClusterRoleBinding", "scorer-admin", "ClusterRole", "cluster-admin", Rule(["*"], ["*"], "*"))), Profile(), ControlResult.NotMet, LeastPrivilegeControl.PrivilegedBindingReason, "ClusterRoleBinding scorer-admin grants ClusterRole cluster-admin, which the profile forbids" },
        { "edit through a RoleBinding is forbidden too", With(Grant("RoleBinding", "scorer-edit", "ClusterRole", "edit", Rule(Core, ["pods"], "create"))), Profile(), ControlResult.NotMet, LeastPrivilegeControl.PrivilegedBindingReason, "RoleBinding scorer-edit grants ClusterRole edit" },
        { "the profile's list replaces the default", With(Grant("RoleBinding", "scorer-edit", "ClusterRole", "edit", Rule(Core, ["configmaps"], "update"))), Profile(p => p.LeastPrivilege.ForbiddenClusterRoles = ["cluster-admin"]), ControlResult.Met, LeastPrivilegeControl.LeastPrivilegeReason, "" },
        { "a Role named like a forbidden ClusterRole is not it", With(Grant("RoleBinding", "scorer", "Role", "edit", Rule(Core, ["configmaps"], "get"))), Profile(), ControlResult.Met, LeastPrivilegeControl.LeastPrivilegeReason, "" },
        { "a wildcard verb is named with its rule index", With(Grant("RoleBinding", "scorer", "Role", "scorer", Rule(Core, ["configmaps"], "get"), Rule(Core, ["pods"], "*"))), Profile(), ControlResult.NotMet, LeastPrivilegeControl.WildcardRuleReason, "RoleBinding scorer grants Role scorer, rule 1 has \"*\" in verbs" },
        { "wildcard API groups and resources are named together", With(Grant("RoleBinding", "scorer", "Role", "scorer", Rule(["*"], ["*"], "get"))), Profile(), ControlResult.NotMet, LeastPrivilegeControl.WildcardRuleReason, "in apiGroups, resources:" },
        { "wildcards are fine when the profile allows them", With(Grant("RoleBinding", "scorer", "Role", "scorer", Rule(["*"], ["pods"], "get"))), Profile(p => p.LeastPrivilege.ForbidWildcards = false), ControlResult.Met, LeastPrivilegeControl.LeastPrivilegeReason, "" },
        { "reading Secrets cluster-wide is not met", With(Grant("ClusterRoleBinding", "scorer-secrets", "ClusterRole", "secret-reader", Rule(Core, ["secrets"], "list"))), Profile(), ControlResult.NotMet, LeastPrivilegeControl.ClusterSecretAccessReason, "lets it read Secrets in every namespace" },
        { "a cluster-wide wildcard resource reads Secrets even when wildcards are allowed", With(Grant("ClusterRoleBinding", "scorer-all", "ClusterRole", "reader", Rule(Core, ["*"], "watch"))), Profile(p => p.LeastPrivilege.ForbidWildcards = false), ControlResult.NotMet, LeastPrivilegeControl.ClusterSecretAccessReason, "" },
        { "reading Secrets through a RoleBinding stays in the namespace", With(Grant("RoleBinding", "scorer-secrets", "ClusterRole", "secret-reader", Rule(Core, ["secrets"], "get"))), Profile(), ControlResult.Met, LeastPrivilegeControl.LeastPrivilegeReason, "" },
        { "writing Secrets cluster-wide without reading is not secret access", With(Grant("ClusterRoleBinding", "scorer-secrets", "ClusterRole", "secret-writer", Rule(Core, ["secrets"], "create"))), Profile(), ControlResult.Met, LeastPrivilegeControl.LeastPrivilegeReason, "" },
        { "escalate on roles lets it grant itself anything", With(Grant("RoleBinding", "scorer", "Role", "scorer", Rule(Rbac, ["roles"], "escalate"))), Profile(), ControlResult.NotMet, LeastPrivilegeControl.PrivilegeEscalationReason, "rule 0 lets it escalate roles" },
        { "bind on clusterroles lets it bind any role", With(Grant("RoleBinding", "scorer", "Role", "scorer", Rule(Rbac, ["clusterroles"], "bind"))), Profile(), ControlResult.NotMet, LeastPrivilegeControl.PrivilegeEscalationReason, "lets it bind roles" },
        { "managing role bindings without bind or escalate is not escalation", With(Grant("RoleBinding", "scorer", "Role", "scorer", Rule(Rbac, ["rolebindings"], "get", "list"))), Profile(), ControlResult.Met, LeastPrivilegeControl.LeastPrivilegeReason, "" },
        { "impersonate on serviceaccounts takes their rights", With(Grant("RoleBinding", "scorer", "Role", "scorer", Rule(Core, ["serviceaccounts"], "impersonate"))), Profile(), ControlResult.NotMet, LeastPrivilegeControl.PrivilegeEscalationReason, "lets it impersonate other users or ServiceAccounts" },
        { "impersonate on users", With(Grant("ClusterRoleBinding", "scorer", "ClusterRole", "impersonator", Rule(Core, ["users", "groups"], "impersonate"))), Profile(), ControlResult.NotMet, LeastPrivilegeControl.PrivilegeEscalationReason, "" },
        { "create on pods/exec runs commands in pods", With(Grant("RoleBinding", "scorer", "Role", "debug", Rule(Core, ["pods/exec"], "create"))), Profile(), ControlResult.NotMet, LeastPrivilegeControl.PodExecReason, "lets it run commands in pods" },
        { "get on pods/exec is enough over a websocket", With(Grant("RoleBinding", "scorer", "Role", "debug", Rule(Core, ["pods/exec"], "get"))), Profile(), ControlResult.NotMet, LeastPrivilegeControl.PodExecReason, "" },
        { "pods/attach is the same power", With(Grant("RoleBinding", "scorer", "Role", "debug", Rule(Core, ["pods/attach"], "create"))), Profile(), ControlResult.NotMet, LeastPrivilegeControl.PodExecReason, "" },
        { "reading pod logs is not exec", With(Grant("RoleBinding", "scorer", "Role", "logs", Rule(Core, ["pods", "pods/log"], "get", "list"))), Profile(), ControlResult.Met, LeastPrivilegeControl.LeastPrivilegeReason, "" },
        { "create on pods runs any ServiceAccount of the namespace", With(Grant("RoleBinding", "scorer", "Role", "spawner", Rule(Core, ["pods"], "create"))), Profile(), ControlResult.NotMet, LeastPrivilegeControl.WorkloadCreationReason, "lets it create pods or workloads" },
        { "create on Deployments", With(Grant("RoleBinding", "scorer", "Role", "deployer", Rule(["apps"], ["deployments"], "create", "update"))), Profile(), ControlResult.NotMet, LeastPrivilegeControl.WorkloadCreationReason, "" },
        { "create on Jobs", With(Grant("RoleBinding", "scorer", "Role", "batch", Rule(["batch"], ["jobs"], "create"))), Profile(), ControlResult.NotMet, LeastPrivilegeControl.WorkloadCreationReason, "" },
        { "reading Deployments is fine", With(Grant("RoleBinding", "scorer", "Role", "viewer", Rule(["apps"], ["deployments"], "get", "list", "watch"))), Profile(), ControlResult.Met, LeastPrivilegeControl.LeastPrivilegeReason, "" },
        { "creating ConfigMaps is not creating workloads", With(Grant("RoleBinding", "scorer", "Role", "writer", Rule(Core, ["configmaps"], "create"))), Profile(), ControlResult.Met, LeastPrivilegeControl.LeastPrivilegeReason, "" },
        { "a wildcard verb on pods with wildcards allowed still creates pods", With(Grant("RoleBinding", "scorer", "Role", "pods", Rule(Core, ["pods"], "*"))), Profile(p => p.LeastPrivilege.ForbidWildcards = false), ControlResult.NotMet, LeastPrivilegeControl.WorkloadCreationReason, "" },
        { "a custom role bound to system:authenticated reaches every user", With(Grant("ClusterRoleBinding", "everyone-reads", "ClusterRole", "model-reader", Rule(["aibaseline.io"], ["aimodeldeployments"], "get")) with { Group = "system:authenticated" }), Profile(), ControlResult.NotMet, LeastPrivilegeControl.BroadGroupBindingReason, "ClusterRoleBinding everyone-reads grants ClusterRole model-reader through group system:authenticated to every authenticated user" },
        { "a custom role bound to system:unauthenticated reaches anyone", With(Grant("ClusterRoleBinding", "anonymous", "ClusterRole", "model-reader", Rule(["aibaseline.io"], ["aimodeldeployments"], "get")) with { Group = "system:unauthenticated" }), Profile(), ControlResult.NotMet, LeastPrivilegeControl.BroadGroupBindingReason, "to every unauthenticated user" },
        { "Kubernetes' own discovery role for system:authenticated is fine and not counted", With(Grant("ClusterRoleBinding", "system:basic-user", "ClusterRole", "system:basic-user", Rule(["authorization.k8s.io"], ["selfsubjectaccessreviews", "selfsubjectrulesreviews"], "create")) with { Group = "system:authenticated" }), Profile(), ControlResult.Met, LeastPrivilegeControl.LeastPrivilegeReason, "ServiceAccount scorer has no role bindings" },
        { "a group grant is judged like a direct one", With(Grant("RoleBinding", "all-sa", "Role", "spawner", Rule(Core, ["pods"], "create")) with { Group = "system:serviceaccounts:ml" }), Profile(), ControlResult.NotMet, LeastPrivilegeControl.WorkloadCreationReason, "through group system:serviceaccounts:ml" },
        { "an aggregated ClusterRole is judged by the rules it aggregates", With(Grant("RoleBinding", "scorer", "ClusterRole", "model-ops", Rule(Core, ["pods/exec"], "create")) with { AggregatedFrom = ["debug-extras"] }), Profile(), ControlResult.NotMet, LeastPrivilegeControl.PodExecReason, "grants ClusterRole model-ops (aggregating debug-extras), rule 0" },
        { "a binding to a missing role grants nothing but is noted", With(Grant("RoleBinding", "scorer-old", "Role", "gone")), Profile(), ControlResult.Met, LeastPrivilegeControl.LeastPrivilegeReason, "RoleBinding scorer-old names Role gone, which does not exist" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Judges_service_account_grants(string reason, Snapshot snapshot, BaselineProfile profile, ControlResult result, string expectedReason, string fragment) =>
        AssertRow(Control, reason, snapshot, profile, result, expectedReason, fragment);

    [Fact]
    public void No_workload_declared_before_deployment_is_not_applicable()
    {
        var deployment = Deployment(LifecycleStage.Development);
        deployment.Spec.WorkloadRef = null;

        var outcome = Evaluate(Control, Snapshot(deployment) with { Workload = null });

        Assert.Equal((ControlResult.NotApplicable, EvaluationContext.NoWorkloadReason), (outcome.Result, outcome.Reason));
    }

    private static Snapshot With(params RoleGrant[] grants) => Snapshot() with { RoleGrants = [.. grants] };

    private static Snapshot WithoutAccountName()
    {
        var workload = Workload();
        workload.Template.Spec.ServiceAccountName = null;
        return Snapshot(workload: workload);
    }
}
