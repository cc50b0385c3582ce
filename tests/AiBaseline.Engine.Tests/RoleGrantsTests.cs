using AiBaseline.Engine.Gathering;
using k8s.Models;

namespace AiBaseline.Engine.Tests;

/// <summary>Which bindings reach a ServiceAccount, and what an aggregated ClusterRole grants.</summary>
public sealed class RoleGrantsTests
{
    [Theory]
    [InlineData("ServiceAccount", "scorer", "ml", "", "the account itself")]
    [InlineData("Group", "system:authenticated", null, "system:authenticated", "every authenticated user includes the ServiceAccount")]
    [InlineData("Group", "system:unauthenticated", null, "system:unauthenticated", "what anyone may do without a token, a pod may do too")]
    [InlineData("Group", "system:serviceaccounts", null, "system:serviceaccounts", "every ServiceAccount")]
    [InlineData("Group", "system:serviceaccounts:ml", null, "system:serviceaccounts:ml", "every ServiceAccount of its namespace")]
    [InlineData("Group", "system:serviceaccounts:other", null, null, "another namespace's ServiceAccounts")]
    [InlineData("ServiceAccount", "scorer", "other", null, "a namesake in another namespace")]
    [InlineData("User", "scorer", null, null, "a user of the same name is not the ServiceAccount")]
    public void Bindings_reach_the_account_directly_or_through_its_groups(string kind, string name, string? ns, string? through, string why)
    {
        var state = new Rbac
        {
            ClusterRoleBindingList = [new V1ClusterRoleBinding { Metadata = new() { Name = "b" }, RoleRef = new V1RoleRef { Kind = "ClusterRole", Name = "r", ApiGroup = "rbac.authorization.k8s.io" }, Subjects = [new Rbacv1Subject { Kind = kind, Name = name, NamespaceProperty = ns }] }],
        };

        var grants = RoleGrants.Of("ml", "scorer", state);

        Assert.True(through is null ? grants.IsEmpty : grants.Length == 1 && (grants[0].Group ?? "") == through, why);
    }

    [Fact]
    public void An_aggregated_ClusterRole_grants_the_rules_of_the_roles_it_selects()
    {
        var exec = new V1PolicyRule { ApiGroups = [""], Resources = ["pods/exec"], Verbs = ["create"] };
        var view = new V1PolicyRule { ApiGroups = [""], Resources = ["pods"], Verbs = ["get"] };
        var state = new Rbac
        {
            ClusterRoleList =
            [
                new V1ClusterRole
                {
                    Metadata = new() { Name = "model-ops" },
                    AggregationRule = new V1AggregationRule { ClusterRoleSelectors = [new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["acme.io/aggregate-to-model-ops"] = "true" } }] },
                },
                new V1ClusterRole { Metadata = new() { Name = "debug-extras", Labels = new Dictionary<string, string> { ["acme.io/aggregate-to-model-ops"] = "true" } }, Rules = [exec] },
                new V1ClusterRole { Metadata = new() { Name = "unrelated", Labels = new Dictionary<string, string> { ["acme.io/aggregate-to-view"] = "true" } }, Rules = [view] },
            ],
            RoleBindingList = [new V1RoleBinding { Metadata = new() { Name = "ops", NamespaceProperty = "ml" }, RoleRef = new V1RoleRef { Kind = "ClusterRole", Name = "model-ops" }, Subjects = [new Rbacv1Subject { Kind = "ServiceAccount", Name = "scorer", NamespaceProperty = "ml" }] }],
        };

        var grant = Assert.Single(RoleGrants.Of("ml", "scorer", state));

        Assert.Equal(["debug-extras"], grant.AggregatedFrom);
        Assert.Equal([exec], grant.Rules);
    }

    private sealed class Rbac : IRbacState
    {
        public List<V1RoleBinding> RoleBindingList { get; init; } = [];

        public List<V1ClusterRoleBinding> ClusterRoleBindingList { get; init; } = [];

        public List<V1ClusterRole> ClusterRoleList { get; init; } = [];

        public IReadOnlyList<V1RoleBinding> RoleBindings(string ns) => RoleBindingList;

        public IReadOnlyList<V1ClusterRoleBinding> ClusterRoleBindings() => ClusterRoleBindingList;

        public V1Role? Role(string ns, string name) => null;

        public V1ClusterRole? ClusterRole(string name) => ClusterRoleList.FirstOrDefault(r => r.Metadata.Name == name);

        public IReadOnlyList<V1ClusterRole> ClusterRoles() => ClusterRoleList;
    }
}
