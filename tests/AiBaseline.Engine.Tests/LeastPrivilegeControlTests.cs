using AiBaseline.Api.V1Alpha1;
using AiBaseline.Engine.Controls;
using static AiBaseline.Engine.Tests.Builders;
using static AiBaseline.Engine.Tests.ControlHarness;

namespace AiBaseline.Engine.Tests;

public sealed class LeastPrivilegeControlTests
{
    private static readonly string[] Core = [""];
    private static readonly LeastPrivilegeControl Control = new();

    public static TheoryData<string, Snapshot, BaselineProfile, ControlResult, string, string> Cases => new()
    {
        { "a ServiceAccount without bindings is least privilege", Snapshot(), Profile(), ControlResult.Met, LeastPrivilegeControl.LeastPrivilegeReason, "ServiceAccount ml/scorer has no role bindings" },
        { "narrow namespaced rules are fine", With(Grant("RoleBinding", "scorer-config", "Role", "config-reader", Rule(Core, ["configmaps"], "get"))), Profile(), ControlResult.Met, LeastPrivilegeControl.LeastPrivilegeReason, "has 1 role binding, none privileged" },
        { "a missing ServiceAccount stops the pods from starting", Snapshot() with { ServiceAccount = null }, Profile(), ControlResult.NotMet, LeastPrivilegeControl.ServiceAccountNotFoundReason, "ServiceAccount ml/scorer named by the pod template does not exist" },
        { "an unnamed ServiceAccount is default", WithoutAccountName() with { ServiceAccount = null }, Profile(), ControlResult.NotMet, LeastPrivilegeControl.ServiceAccountNotFoundReason, "ServiceAccount ml/default" },
        { "cluster-admin is forbidden by default", With(Grant("ClusterRoleBinding", "scorer-admin", "ClusterRole", "cluster-admin", Rule(["*"], ["*"], "*"))), Profile(), ControlResult.NotMet, LeastPrivilegeControl.PrivilegedBindingReason, "ClusterRoleBinding scorer-admin grants ClusterRole cluster-admin, which the profile forbids" },
        { "edit through a RoleBinding is forbidden too", With(Grant("RoleBinding", "scorer-edit", "ClusterRole", "edit", Rule(Core, ["pods"], "create"))), Profile(), ControlResult.NotMet, LeastPrivilegeControl.PrivilegedBindingReason, "RoleBinding scorer-edit grants ClusterRole edit" },
        { "the profile's list replaces the default", With(Grant("RoleBinding", "scorer-edit", "ClusterRole", "edit", Rule(Core, ["pods"], "create"))), Profile(p => p.LeastPrivilege.ForbiddenClusterRoles = ["cluster-admin"]), ControlResult.Met, LeastPrivilegeControl.LeastPrivilegeReason, "" },
        { "a Role named like a forbidden ClusterRole is not it", With(Grant("RoleBinding", "scorer", "Role", "edit", Rule(Core, ["configmaps"], "get"))), Profile(), ControlResult.Met, LeastPrivilegeControl.LeastPrivilegeReason, "" },
        { "a wildcard verb is named with its rule index", With(Grant("RoleBinding", "scorer", "Role", "scorer", Rule(Core, ["configmaps"], "get"), Rule(Core, ["pods"], "*"))), Profile(), ControlResult.NotMet, LeastPrivilegeControl.WildcardRuleReason, "RoleBinding scorer grants Role scorer, rule 1 has \"*\" in verbs" },
        { "wildcard API groups and resources are named together", With(Grant("RoleBinding", "scorer", "Role", "scorer", Rule(["*"], ["*"], "get"))), Profile(), ControlResult.NotMet, LeastPrivilegeControl.WildcardRuleReason, "in apiGroups, resources:" },
        { "wildcards are fine when the profile allows them", With(Grant("RoleBinding", "scorer", "Role", "scorer", Rule(["*"], ["pods"], "get"))), Profile(p => p.LeastPrivilege.ForbidWildcards = false), ControlResult.Met, LeastPrivilegeControl.LeastPrivilegeReason, "" },
        { "reading Secrets cluster-wide is not met", With(Grant("ClusterRoleBinding", "scorer-secrets", "ClusterRole", "secret-reader", Rule(Core, ["secrets"], "list"))), Profile(), ControlResult.NotMet, LeastPrivilegeControl.ClusterSecretAccessReason, "lets it read Secrets in every namespace" },
        { "a cluster-wide wildcard resource reads Secrets even when wildcards are allowed", With(Grant("ClusterRoleBinding", "scorer-all", "ClusterRole", "reader", Rule(Core, ["*"], "watch"))), Profile(p => p.LeastPrivilege.ForbidWildcards = false), ControlResult.NotMet, LeastPrivilegeControl.ClusterSecretAccessReason, "" },
        { "reading Secrets through a RoleBinding stays in the namespace", With(Grant("RoleBinding", "scorer-secrets", "ClusterRole", "secret-reader", Rule(Core, ["secrets"], "get"))), Profile(), ControlResult.Met, LeastPrivilegeControl.LeastPrivilegeReason, "" },
        { "writing Secrets cluster-wide without reading is not secret access", With(Grant("ClusterRoleBinding", "scorer-secrets", "ClusterRole", "secret-writer", Rule(Core, ["secrets"], "create"))), Profile(), ControlResult.Met, LeastPrivilegeControl.LeastPrivilegeReason, "" },
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
