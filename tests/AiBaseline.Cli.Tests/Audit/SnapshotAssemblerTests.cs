using AiBaseline.Audit;
using AiBaseline.Engine.Gathering;

namespace AiBaseline.Cli.Tests.Audit;

/// <summary>The snapshot the audit gathers from manifests: the same lookups the operator answers from its caches.</summary>
public sealed class SnapshotAssemblerTests
{
    private const string Deployment = """
        apiVersion: aibaseline.io/v1alpha1
        kind: AIModelDeployment
        metadata: {name: chat, namespace: serving}
        spec:
          stage: Deployment
          workloadRef: {kind: Deployment, name: chat}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: chat, namespace: serving}
        spec:
          replicas: 3
          selector: {matchLabels: {app: chat}}
          template:
            metadata: {labels: {app: chat}}
            spec:
              serviceAccountName: chat
              containers:
              - name: server
                image: registry.example/chat@sha256:0000000000000000000000000000000000000000000000000000000000000000
                envFrom: [{configMapRef: {name: server-env}}]
                env: [{name: MODE, valueFrom: {configMapKeyRef: {name: modes, key: mode}}}]
              volumes:
              - {name: prompts, configMap: {name: prompts}}
        ---
        apiVersion: v1
        kind: ServiceAccount
        metadata: {name: chat, namespace: serving}
        """;

    private static ManifestSet Load(string extra)
    {
        using var temp = new TempManifests();
        temp.Write("all.yaml", Deployment + "\n---\n" + extra);
        return AuditRun.Load([temp.Dir], "default", TextReader.Null, []);
    }

    private static string Grants(string rbac)
    {
        var set = Load(rbac);
        var snapshot = SnapshotAssembler.Assemble(set.Deployments[0].Object, set.Index);
        return string.Join(";", snapshot.RoleGrants.Select(g => $"{g.BindingKind}/{g.BindingName}->{g.RoleKind}/{g.RoleName}:{g.Rules.Length}"));
    }

    [Theory]
    // Reason: a RoleBinding naming the pods' ServiceAccount grants the Role's rules.
    [InlineData("kind: RoleBinding\nmetadata: {name: b, namespace: serving}\nsubjects: [{kind: ServiceAccount, name: chat, namespace: serving}]\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: r}\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: r, namespace: serving}\nrules: [{apiGroups: [''], resources: [pods], verbs: [get]}]", "RoleBinding/b->Role/r:1")]
    // Reason: every ServiceAccount of the namespace is in group system:serviceaccounts:<ns>.
    [InlineData("kind: RoleBinding\nmetadata: {name: all-in-ns, namespace: serving}\nsubjects: [{kind: Group, name: 'system:serviceaccounts:serving'}]\nroleRef: {kind: ClusterRole, name: view}", "RoleBinding/all-in-ns->ClusterRole/view:0")]
    // Reason: every ServiceAccount of the cluster is in group system:serviceaccounts.
    [InlineData("kind: ClusterRoleBinding\nmetadata: {name: all}\nsubjects: [{kind: Group, name: 'system:serviceaccounts'}]\nroleRef: {kind: ClusterRole, name: admin}\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: admin}\nrules: [{apiGroups: ['*'], resources: ['*'], verbs: ['*']}]", "ClusterRoleBinding/all->ClusterRole/admin:1")]
    // Reason: the same account name in another namespace is another account.
    [InlineData("kind: ClusterRoleBinding\nmetadata: {name: other}\nsubjects: [{kind: ServiceAccount, name: chat, namespace: batch}]\nroleRef: {kind: ClusterRole, name: edit}", "")]
    // Reason: another namespace's group does not include the pods' account.
    [InlineData("kind: RoleBinding\nmetadata: {name: wrong-group, namespace: serving}\nsubjects: [{kind: Group, name: 'system:serviceaccounts:batch'}]\nroleRef: {kind: ClusterRole, name: edit}", "")]
    public void Role_grants_are_the_bindings_whose_subjects_include_the_pods_service_account(string rbac, string expected)
    {
        Assert.Equal(expected, Grants("apiVersion: rbac.authorization.k8s.io/v1\n" + rbac));
    }

    [Fact]
    public void Config_maps_are_those_the_pod_template_uses()
    {
        var set = Load("""
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: server-env, namespace: serving}
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: prompts, namespace: serving}
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: unrelated, namespace: serving}
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: modes, namespace: elsewhere}
            """);

        var snapshot = SnapshotAssembler.Assemble(set.Deployments[0].Object, set.Index);

        Assert.Equal(["prompts", "server-env"], snapshot.ConfigMaps.Select(c => c.Metadata.Name));
        Assert.Equal(3, snapshot.Workload!.Replicas);
        Assert.Equal("chat", snapshot.ServiceAccount!.Metadata.Name);
    }
}
