using AiBaseline.Deploy.Tests.Infrastructure;

namespace AiBaseline.Deploy.Tests;

/// <summary>The operator's RBAC is least privilege: read what it judges, write only its own status, finalizers, events and Lease.</summary>
public sealed class RbacTests
{
    private static readonly string[] ReadVerbs = ["get", "list", "watch"];

    /// <summary>Kinds that run code; the operator judges them and must never be able to change them.</summary>
    private static readonly string[] Workloads =
        ["pods", "deployments", "statefulsets", "daemonsets", "replicasets", "replicationcontrollers", "jobs", "cronjobs"];

    /// <summary>Verbs that hand out more rights than the role holds.</summary>
    private static readonly string[] EscalationVerbs = ["escalate", "bind", "impersonate"];

    public static TheoryData<string> RenderNames() => ["kustomize", "helm-default", "helm-ci"];

    private static IReadOnlyList<KubeDocument> Render(string name) => name switch
    {
        "kustomize" => Renders.Kustomize(),
        "helm-default" => Renders.Helm(Renders.DefaultValues),
        "helm-ci" => Renders.Helm(Renders.CiValues),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "unknown render"),
    };

    private static List<Grant> AllGrants(string render) => RbacGrants.Roles(Render(render)).SelectMany(RbacGrants.Expand).ToList();

    [Theory]
    [MemberData(nameof(RenderNames))]
    public void No_rule_uses_a_wildcard(string render)
    {
        foreach (var role in RbacGrants.Roles(Render(render)))
        {
            foreach (var rule in RbacGrants.Rules(role))
            {
                string[] fields = [.. rule.ApiGroups ?? [], .. rule.Resources ?? [], .. rule.Verbs ?? [], .. rule.ResourceNames ?? [], .. rule.NonResourceURLs ?? []];
                Assert.False(fields.Any(f => f.Contains('*', StringComparison.Ordinal)), $"{render}: {role.Identity} has a wildcard rule: {string.Join(", ", fields)}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(RenderNames))]
    public void Secrets_and_workloads_are_never_written(string render)
    {
        // The one exception: the operator creates its own verification Jobs of pvc:// models and deletes them when
        // superseded; it never updates or patches a Job, so it cannot change anyone else's.
        var writes = AllGrants(render)
            .Where(g => g.ApiGroup is "" or "apps" or "batch")
            .Where(g => g.Resource.Split('/')[0] is var kind && (kind == "secrets" || Workloads.Contains(kind)))
            .Where(g => !ReadVerbs.Contains(g.Verb))
            .Where(g => !(g.ApiGroup == "batch" && g.Resource == "jobs" && g.Verb is "create" or "delete"))
            .ToList();
        Assert.True(writes.Count == 0, $"{render}: {string.Join("; ", writes)}");
    }

    [Theory]
    [MemberData(nameof(RenderNames))]
    public void Verification_Jobs_can_be_created_and_deleted_where_models_are_watched(string render)
    {
        var jobs = AllGrants(render).Where(g => g.ApiGroup == "batch" && g.Resource == "jobs").Select(g => g.Verb).ToHashSet(StringComparer.Ordinal);
        Assert.Superset(new HashSet<string>(["create", "delete", "get", "list", "watch"], StringComparer.Ordinal), jobs);
        Assert.DoesNotContain("update", jobs);
        Assert.DoesNotContain("patch", jobs);
    }

    [Theory]
    [MemberData(nameof(RenderNames))]
    public void No_role_can_escalate_bind_or_impersonate(string render) =>
        Assert.DoesNotContain(AllGrants(render), g => EscalationVerbs.Contains(g.Verb));

    [Theory]
    [InlineData("kustomize", new[] { "list", "watch" }, "metadata only: no get without registry.readPullSecrets")]
    [InlineData("helm-default", new[] { "list", "watch" }, "metadata only: no get without registry.readPullSecrets")]
    [InlineData("helm-ci", new[] { "get", "list", "watch" }, "registry.readPullSecrets=true adds get for imagePullSecrets")]
    public void Secret_verbs_follow_the_pull_secret_setting(string render, string[] expected, string reason)
    {
        var verbs = AllGrants(render).Where(g => g.ApiGroup.Length == 0 && g.Resource == "secrets").Select(g => g.Verb).Distinct().Order(StringComparer.Ordinal);
        Assert.True(expected.SequenceEqual(verbs), $"{render} ({reason}): secrets verbs are {string.Join(",", verbs)}");
    }

    [Theory]
    [MemberData(nameof(RenderNames))]
    public void Leases_are_granted_only_by_a_role_in_the_operator_namespace(string render)
    {
        var leases = AllGrants(render).Where(g => g.ApiGroup == "coordination.k8s.io").ToList();
        Assert.NotEmpty(leases);
        Assert.All(leases, g => Assert.StartsWith("Role aibaseline-system/", g.Role, StringComparison.Ordinal));
        Assert.Equal(["create", "get", "update"], leases.Select(g => g.Verb).Distinct().Order(StringComparer.Ordinal));
        // get and update are limited to the operator's own Lease; create cannot be limited by name.
        Assert.All(leases.Where(g => g.Verb != "create"), g => Assert.True(g.Named, g.ToString()));
    }

    [Theory]
    [MemberData(nameof(RenderNames))]
    public void Operator_holds_what_it_reconciles_with(string render)
    {
        var grants = AllGrants(render).Select(g => $"{g.Verb} {g.Resource}.{g.ApiGroup}").ToHashSet();
        string[] needed =
        [
            "watch aimodeldeployments.aibaseline.io", "patch aimodeldeployments.aibaseline.io",
            "patch aimodeldeployments/status.aibaseline.io", "update aimodeldeployments/finalizers.aibaseline.io",
            "watch baselineprofiles.aibaseline.io", "patch baselineprofiles/status.aibaseline.io", "watch baselineexceptions.aibaseline.io", "patch baselineexceptions/status.aibaseline.io",
            "watch deployments.apps", "watch statefulsets.apps", "watch daemonsets.apps", "watch jobs.batch", "watch cronjobs.batch", "watch pods.",
            "watch leaderworkersets.leaderworkerset.x-k8s.io", "watch inferenceservices.serving.kserve.io", "watch rayservices.ray.io",
            "watch rayclusters.ray.io", "watch services.serving.knative.dev", "watch customresourcedefinitions.apiextensions.k8s.io",
            "watch networkpolicies.networking.k8s.io", "watch ciliumnetworkpolicies.cilium.io", "watch ciliumclusterwidenetworkpolicies.cilium.io", "watch services.", "watch serviceaccounts.", "watch persistentvolumeclaims.",
            "watch configmaps.", "watch secrets.", "watch roles.rbac.authorization.k8s.io", "watch rolebindings.rbac.authorization.k8s.io",
            "watch clusterroles.rbac.authorization.k8s.io", "watch clusterrolebindings.rbac.authorization.k8s.io",
            "create events.events.k8s.io", "patch events.events.k8s.io",
        ];
        Assert.All(needed, grant => Assert.True(grants.Contains(grant), $"{render}: the operator cannot {grant}"));
    }

    [Fact]
    public void Chart_and_kustomize_grant_the_operator_the_same_permissions()
    {
        var kustomize = Renders.Kustomize().Single("ClusterRole", "aibaseline-manager");
        var helm = Renders.Helm(Renders.DefaultValues).Single("ClusterRole", "aibaseline-manager");
        Assert.Equal(RbacGrants.Permissions(kustomize), RbacGrants.Permissions(helm));
    }

    [Fact]
    public void Namespace_scoped_install_keeps_namespaced_kinds_out_of_the_cluster_role()
    {
        var documents = Renders.Helm(Renders.CiValues);
        var clusterResources = RbacGrants.Expand(documents.Single("ClusterRole", "aibaseline-manager")).Select(g => g.Resource).Distinct().Order(StringComparer.Ordinal);
        Assert.Equal(["baselineprofiles", "baselineprofiles/status", "ciliumclusterwidenetworkpolicies", "clusterrolebindings", "clusterroles", "customresourcedefinitions", "retirementrecords"], clusterResources);
        Assert.Contains(documents, d => d.Identity == "Role team-a/aibaseline-manager");
        Assert.Contains(documents, d => d.Identity == "RoleBinding team-a/aibaseline-manager");
    }

    [Theory]
    [InlineData("kustomize")]
    [InlineData("helm-default")]
    public void Only_the_unaggregated_waiver_approver_role_may_write_BaselineExceptions(string render)
    {
        var documents = Render(render);
        var writers = RbacGrants.Roles(documents)
            .Where(role => RbacGrants.Expand(role).Any(g => g.ApiGroup == "aibaseline.io" && g.Resource == "baselineexceptions" && !ReadVerbs.Contains(g.Verb)))
            .ToList();

        var approver = Assert.Single(writers);
        Assert.Equal("ClusterRole aibaseline-waiver-approver", approver.Identity);
        var labels = Yaml.Node(approver.Root, "metadata", "labels")?.ToString() ?? "";
        Assert.DoesNotContain("aggregate-to", labels, StringComparison.Ordinal);
        Assert.Equal(
            ["create", "delete", "get", "list", "patch", "update", "watch"],
            RbacGrants.Expand(approver).Where(g => g.Resource == "baselineexceptions").Select(g => g.Verb).Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(RenderNames))]
    public void The_operator_may_only_create_and_read_RetirementRecords_and_nobody_may_change_them(string render)
    {
        var grants = AllGrants(render).Where(g => g.ApiGroup == "aibaseline.io" && g.Resource.Split('/')[0] == "retirementrecords").ToList();
        var writers = grants.Where(g => !ReadVerbs.Contains(g.Verb)).ToList();

        // Records are immutable evidence: the operator creates them, nobody updates, patches or deletes one.
        Assert.True(writers.All(g => g.Verb == "create" && g.Role == "ClusterRole aibaseline-manager"), $"{render}: {string.Join("; ", writers)}");
        Assert.Equal(["create", "get", "list", "watch"], grants.Where(g => g.Role == "ClusterRole aibaseline-manager").Select(g => g.Verb).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("deploy/rbac/role.yaml")]
    [InlineData("deploy/rbac/leader_election_role.yaml")]
    [InlineData("deploy/rbac/user_roles.yaml")]
    [InlineData("charts/aibaseline/templates/_rbac.tpl")]
    [InlineData("charts/aibaseline/templates/leader-election-rbac.yaml")]
    [InlineData("charts/aibaseline/templates/user-roles.yaml")]
    public void Every_rule_has_a_comment_saying_why(string file)
    {
        var lines = Repo.Read(file).Split('\n');
        var rules = 0;
        for (var i = 0; i < lines.Length; i++)
        {
            if (!lines[i].StartsWith("- apiGroups:", StringComparison.Ordinal))
            {
                continue;
            }

            rules++;
            // In the chart a template directive may sit between the comment and the rule.
            var previous = i - 1;
            while (previous >= 0 && lines[previous].TrimStart().StartsWith("{{", StringComparison.Ordinal))
            {
                previous--;
            }

            Assert.True(previous >= 0 && lines[previous].TrimStart().StartsWith('#'), $"{file}:{i + 1}: rule without a comment above it");
        }

        Assert.True(rules > 0, $"{file}: no rules found");
    }
}
