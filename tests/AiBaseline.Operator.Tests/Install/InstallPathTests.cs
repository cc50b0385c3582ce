using System.Net;
using System.Text.Json;
using AiBaseline.Api.V1Alpha1;
using AiBaseline.KubeEmulator.Tests;
using AiBaseline.Operator.Tests.Scenarios;
using k8s;
using k8s.Models;

namespace AiBaseline.Operator.Tests.Install;

/// <summary>
/// What a platform team does first, on a real API server: install with Helm (default and CI values) or with
/// <c>kubectl apply --server-side -k deploy/</c>, see every object admitted under PodSecurity <c>restricted</c> without a
/// warning, run the operator under the ServiceAccount and RBAC the install created, and uninstall, leaving only what
/// docs/install.md says stays.
/// </summary>
public sealed class InstallPathTests(PrivateControlPlane cluster) : IClassFixture<PrivateControlPlane>
{
    private const string Chart = "charts/aibaseline";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Helm_install_with_default_values_is_admitted_under_restricted_and_the_operator_works_under_its_own_RBAC()
    {
        Assert.SkipWhen(cluster.SkipReason is not null, cluster.SkipReason ?? "");
        const string release = "aibaseline-helm";
        using var client = cluster.Plane.AdminClient();
        await CreateRestrictedNamespaceAsync(client, release);
        using var cleanup = Uninstalling(release, "models");

        var install = cluster.Helm("install", "aibaseline", Chart, "--namespace", release);
        install.Succeeded();
        AssertNoWarnings("helm install", install);
        await AssertCrdsEstablishedAsync(client);
        await AssertPodsAdmittedAsync(client, release, expected: 2);
        Assert.NotNull(await ReadProfileAsync(client, "default"));
        Assert.Equal("no", CanI(release, "get", "secrets", "models"));
        // Retirement records: the operator creates and reads them; it can neither change nor delete one.
        Assert.Equal(["yes", "yes", "no", "no", "no"], new[] { "create", "list", "update", "patch", "delete" }.Select(verb => CanI(release, verb, "retirementrecords.aibaseline.io", "models")));

        // The operator, as the chart's pod runs it, on the three examples.
        await ApplyExamplesAsync(client, "models", "llm-inference-compliant", "llm-inference-noncompliant", "retired-model");
        await using (var running = await InstalledOperator.StartAsync(cluster.Plane, release, "aibaseline", "--leader-elect"))
        {
            await UntilAsync(async () => await ReadyAsync(client, "models", "llama-chat") == "True", "llama-chat is Ready", running);
            await UntilAsync(async () => await ReadyAsync(client, "models", "support-bot") == "False", "support-bot is not Ready", running);
            // The event follows the status write that it announces.
            await UntilAsync(
                async () => (await client.EventsV1.ListNamespacedEventAsync("models", cancellationToken: Ct)).Items
                    .Any(e => e.Regarding.Name == "support-bot" && e.Type == "Warning" && e.ReportingController == "aibaseline.io/operator"),
                "a Warning event about support-bot from the operator",
                running);
            var lease = await client.CoordinationV1.ReadNamespacedLeaseAsync("aibaseline-leader", release, cancellationToken: Ct);
            Assert.Equal("aibaseline-test-0", lease.Spec.HolderIdentity);
            Assert.Equal(HttpStatusCode.OK, (await running.ProbeAsync("readyz")).Status);

            // The retirement finalizer holds a deletion until the leftovers are gone, then lets it go.
            await UntilAsync(async () => (await ReadDeploymentAsync(client, "models", "legacy-summarizer"))?.Metadata.Finalizers?.Contains(ApiGroup.RetirementFinalizer) == true, "the retirement finalizer is added", running);
            await client.CustomObjects.DeleteNamespacedCustomObjectAsync(ApiGroup.Group, ApiGroup.Version, "models", ApiGroup.AIModelDeploymentPlural, "legacy-summarizer", cancellationToken: Ct);
            await UntilAsync(async () => (await client.EventsV1.ListNamespacedEventAsync("models", cancellationToken: Ct)).Items.Any(e => e.Reason == "DeletionHeld"), "the deletion is held", running);
            await client.CoreV1.DeleteNamespacedSecretAsync("summarizer-api-key", "models", cancellationToken: Ct);
            await client.CoreV1.DeleteNamespacedPersistentVolumeClaimAsync("summarizer-weights", "models", cancellationToken: Ct);
            await client.AppsV1.DeleteNamespacedDeploymentAsync("legacy-summarizer", "models", cancellationToken: Ct);
            await UntilAsync(async () => await ReadDeploymentAsync(client, "models", "legacy-summarizer") is null, "the retired deployment is released once disposal is proven", running);

            Assert.True(running.Refusals() is { Count: 0 }, "refused: " + string.Join("\n", running.Refusals()));
            Assert.Equal(0, await running.StopAsync());
        }

        // A clean stop releases the Lease, as client-go does, so another replica takes over at once.
        var released = await client.CoordinationV1.ReadNamespacedLeaseAsync("aibaseline-leader", release, cancellationToken: Ct);
        Assert.True(string.IsNullOrEmpty(released.Spec.HolderIdentity), $"the Lease is still held by {released.Spec.HolderIdentity}");

        // Uninstall: the release's objects go; the CRDs, and so every AIModelDeployment, stay (docs/install.md).
        cluster.Helm("uninstall", "aibaseline", "--namespace", release, "--wait").Succeeded();
        await AssertCrdsEstablishedAsync(client);
        Assert.Empty(ReleaseLeftovers(release));
        Assert.Null(await ReadProfileAsync(client, "default"));
        Assert.NotNull(await ReadDeploymentAsync(client, "models", "llama-chat"));
    }

    [Fact]
    public async Task Helm_install_with_the_CI_values_is_admitted_and_the_operator_reads_pull_secrets_in_its_one_namespace_without_a_refusal()
    {
        Assert.SkipWhen(cluster.SkipReason is not null, cluster.SkipReason ?? "");
        const string release = "aibaseline-helm-ci";
        using var client = cluster.Plane.AdminClient();
        await CreateRestrictedNamespaceAsync(client, release);

        // The CI values watch two namespaces, which must exist before the install creates a Role in each.
        await CreateNamespaceAsync(client, "team-a");
        await CreateNamespaceAsync(client, "team-b");
        using var cleanup = Uninstalling(release, "team-a", "team-b");

        // The CI values switch on a ServiceMonitor and a PrometheusRule: the Prometheus Operator's own CRDs judge them.
        InstallMonitoringCrds();

        var install = cluster.Helm("install", "aibaseline", Chart, "--namespace", release, "-f", $"{Chart}/ci/ci-values.yaml");
        install.Succeeded();
        AssertNoWarnings("helm install -f ci/ci-values.yaml", install);
        await AssertCrdsEstablishedAsync(client);
        await AssertPodsAdmittedAsync(client, release, expected: 3);
        using (var kubectl = cluster.Kubectl())
        {
            kubectl.Run("get", "servicemonitor/aibaseline", "prometheusrule/aibaseline", "-n", release).Succeeded();
        }

        Assert.Equal("yes", CanI(release, "get", "secrets", "team-a"));
        Assert.Equal("no", CanI(release, "list", "secrets", "default"));

        await ApplyExamplesAsync(client, "team-a", "llm-inference-compliant", "llm-inference-noncompliant");
        await using (var running = await InstalledOperator.StartAsync(cluster.Plane, release, "aibaseline", "--leader-elect", "--namespace", "team-a,team-b", "--read-pull-secrets"))
        {
            await UntilAsync(async () => await ReadyAsync(client, "team-a", "llama-chat") == "True", "llama-chat is Ready", running);
            await UntilAsync(async () => await ReadyAsync(client, "team-a", "support-bot") == "False", "support-bot is not Ready", running);
            Assert.Equal(HttpStatusCode.OK, (await running.ProbeAsync("readyz")).Status);
            Assert.True(running.Refusals() is { Count: 0 }, "refused: " + string.Join("\n", running.Refusals()));
            Assert.Equal(0, await running.StopAsync());
        }

        cluster.Helm("uninstall", "aibaseline", "--namespace", release, "--wait").Succeeded();
        Assert.Empty(ReleaseLeftovers(release));
    }

    [Fact]
    public async Task Kustomize_apply_is_admitted_under_restricted_and_delete_removes_everything_it_created()
    {
        Assert.SkipWhen(cluster.SkipReason is not null, cluster.SkipReason ?? "");
        using var client = cluster.Plane.AdminClient();
        using var kubectl = cluster.Kubectl();
        using var cleanup = new Cleanup(() => kubectl.Run("delete", "-k", Path.Combine(PrivateControlPlane.RepositoryRoot, "deploy"), "--ignore-not-found", "--wait=false"));

        var apply = kubectl.Run("apply", "--server-side", "-k", Path.Combine(PrivateControlPlane.RepositoryRoot, "deploy"));
        apply.Succeeded();
        Assert.DoesNotContain("Warning", apply.Stderr, StringComparison.Ordinal);
        await AssertCrdsEstablishedAsync(client);
        var ns = await client.CoreV1.ReadNamespaceAsync("aibaseline-system", cancellationToken: Ct);
        Assert.Equal("restricted", ns.Metadata.Labels["pod-security.kubernetes.io/enforce"]);
        await AssertPodsAdmittedAsync(client, "aibaseline-system", expected: 2);
        Assert.NotNull(await ReadProfileAsync(client, "default"));
        await AssertOnlyApproversMayWaiveAsync(kubectl);

        // As docs/install.md says; without --ignore-not-found kubectl exits 1, because the CRDs take the profile with them.
        kubectl.Run("delete", "-k", Path.Combine(PrivateControlPlane.RepositoryRoot, "deploy"), "--ignore-not-found", "--wait", "--timeout=90s").Succeeded();
        var crds = await client.ApiextensionsV1.ListCustomResourceDefinitionAsync(cancellationToken: Ct);
        Assert.DoesNotContain(crds.Items, c => c.Spec.Group == ApiGroup.Group);
        Assert.DoesNotContain((await client.CoreV1.ListNamespaceAsync(cancellationToken: Ct)).Items, n => n.Metadata.Name == "aibaseline-system");
        Assert.DoesNotContain((await client.RbacAuthorizationV1.ListClusterRoleAsync(cancellationToken: Ct)).Items, r => r.Metadata.Name.StartsWith("aibaseline-", StringComparison.Ordinal));
        Assert.DoesNotContain((await client.RbacAuthorizationV1.ListClusterRoleBindingAsync(cancellationToken: Ct)).Items, r => r.Metadata.Name.StartsWith("aibaseline-", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_missing_RBAC_rule_is_named_in_the_log_and_in_readyz_and_granting_it_heals_without_a_restart()
    {
        Assert.SkipWhen(cluster.SkipReason is not null, cluster.SkipReason ?? "");
        const string ns = "rbac-gap";
        using var client = cluster.Plane.AdminClient();
        using (var kubectl = cluster.Kubectl())
        {
            kubectl.Run("apply", "--server-side", "-f", Path.Combine(PrivateControlPlane.RepositoryRoot, "crds")).Succeeded();
        }

        await AssertCrdsEstablishedAsync(client);
        await CreateNamespaceAsync(client, ns);
        await client.CoreV1.CreateNamespacedServiceAccountAsync(new V1ServiceAccount { Metadata = new V1ObjectMeta { Name = "operator" } }, ns, cancellationToken: Ct);

        // The chart's own ClusterRole, less the rule for NetworkPolicies.
        var rendered = cluster.Helm("template", "aibaseline", Chart, "--namespace", ns).Succeeded();
        var chartRole = KubernetesYaml.LoadAllFromString(rendered, ApiGroup.KindTypes()).OfType<V1ClusterRole>().Single(r => r.Metadata.Name == "aibaseline-manager");
        var role = new V1ClusterRole
        {
            Metadata = new V1ObjectMeta { Name = "rbac-gap-operator" },
            Rules = [.. chartRole.Rules.Where(r => !r.Resources.Contains("networkpolicies"))],
        };
        Assert.True(role.Rules.Count < chartRole.Rules.Count, "the chart grants NetworkPolicies in a rule of their own");
        await client.RbacAuthorizationV1.CreateClusterRoleAsync(role, cancellationToken: Ct);
        await client.RbacAuthorizationV1.CreateClusterRoleBindingAsync(
            new V1ClusterRoleBinding
            {
                Metadata = new V1ObjectMeta { Name = "rbac-gap-operator" },
                RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "ClusterRole", Name = role.Metadata.Name },
                Subjects = [new Rbacv1Subject { Kind = "ServiceAccount", Name = "operator", NamespaceProperty = ns }],
            },
            cancellationToken: Ct);

        await using var running = await InstalledOperator.StartAsync(cluster.Plane, ns, "operator");
        // The probe may see the refusal a moment before the operator's log line has been read from its output: wait for both.
        await UntilAsync(
            async () => await running.ProbeAsync("readyz") is { Status: HttpStatusCode.ServiceUnavailable } probe && probe.Body.Contains("networkpolicies", StringComparison.Ordinal) && probe.Body.Contains("forbidden", StringComparison.Ordinal)
                && running.Output.Any(l => l.Contains("networkpolicies", StringComparison.Ordinal) && l.Contains("forbidden", StringComparison.Ordinal)),
            "/readyz fails naming the NetworkPolicy informer and the refusal, and the log says so",
            running);
        var line = running.Output.FirstOrDefault(l => l.Contains("networkpolicies", StringComparison.Ordinal) && l.Contains("forbidden", StringComparison.Ordinal));
        Assert.True(line is not null && line.Contains("grant", StringComparison.Ordinal), $"a log line names the refused resource and what to grant:\n{string.Join('\n', running.Output)}");
        Assert.DoesNotContain(running.Output, l => l.TrimStart().StartsWith("at ", StringComparison.Ordinal));

        role.Rules.Add(chartRole.Rules.Single(r => r.Resources.Contains("networkpolicies")));
        await client.RbacAuthorizationV1.ReplaceClusterRoleAsync(role, role.Metadata.Name, cancellationToken: Ct);
        await UntilAsync(async () => (await running.ProbeAsync("readyz")).Status == HttpStatusCode.OK, "/readyz is OK once the rule is granted", running);
        Assert.Equal(0, await running.StopAsync());
        await DeleteNamespacesAsync(client, ns);
    }

    /// <summary>
    /// Uninstalls the release (whatever state a failed step left it in) and deletes its namespaces when the test ends,
    /// so a failure here does not make the next install test fail on this one's leftovers.
    /// </summary>
    private Cleanup Uninstalling(string release, params string[] namespaces) => new(() =>
    {
        cluster.Helm("uninstall", "aibaseline", "--namespace", release, "--ignore-not-found", "--wait");
        using var kubectl = cluster.Kubectl();
        kubectl.Run(["delete", "namespace", release, .. namespaces, "--ignore-not-found", "--wait=false"]);
    });

    private sealed class Cleanup(Action action) : IDisposable
    {
        public void Dispose() => action();
    }

    private static async Task CreateRestrictedNamespaceAsync(Kubernetes client, string name)
    {
        var labels = new Dictionary<string, string>
        {
            ["pod-security.kubernetes.io/enforce"] = "restricted",
            ["pod-security.kubernetes.io/warn"] = "restricted",
            ["pod-security.kubernetes.io/audit"] = "restricted",
        };
        await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = name, Labels = labels } }, cancellationToken: Ct);
    }

    private static Task<V1Namespace> CreateNamespaceAsync(Kubernetes client, string name) =>
        client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = name } }, cancellationToken: Ct);

    private static async Task DeleteNamespacesAsync(Kubernetes client, params string[] names)
    {
        foreach (var name in names)
        {
            await client.CoreV1.DeleteNamespaceAsync(name, cancellationToken: Ct);
        }
    }

    /// <summary>The API server's warnings (PodSecurity's "would violate" among them) reach the user on stderr.</summary>
    private static void AssertNoWarnings(string what, KubeEmulator.Tests.KubectlResult result)
    {
        Assert.False(result.Stderr.Contains("Warning", StringComparison.OrdinalIgnoreCase) || result.Stderr.Contains("violate", StringComparison.Ordinal), $"{what} warned:\n{result.Stderr}");
    }

    private static async Task AssertCrdsEstablishedAsync(Kubernetes client)
    {
        foreach (var plural in new[] { ApiGroup.AIModelDeploymentPlural, ApiGroup.BaselineProfilePlural })
        {
            await Waiting.UntilAsync(
                async () => (await client.ApiextensionsV1.ReadCustomResourceDefinitionAsync($"{plural}.{ApiGroup.Group}", cancellationToken: Ct)).Status?.Conditions?.Any(c => c.Type == "Established" && c.Status == "True") == true,
                Patience,
                $"the CRD {plural}.{ApiGroup.Group} is Established");
        }
    }

    /// <summary>The ReplicaSet made every pod: PodSecurity admitted them (there is no kubelet, so they stay Pending).</summary>
    private static async Task AssertPodsAdmittedAsync(Kubernetes client, string ns, int expected)
    {
        await Waiting.UntilAsync(
            async () => (await client.CoreV1.ListNamespacedPodAsync(ns, labelSelector: "app.kubernetes.io/name=aibaseline", cancellationToken: Ct)).Items.Count == expected,
            Patience,
            $"{expected} operator pods admitted in {ns}");
        var refused = (await client.CoreV1.ListNamespacedEventAsync(ns, cancellationToken: Ct)).Items.Where(e => e.Reason == "FailedCreate").Select(e => e.Message);
        Assert.Empty(refused);
    }

    /// <summary>
    /// A model team bound to the built-in edit role declares AIModelDeployments and reads waivers but cannot create one;
    /// only someone bound to aibaseline-waiver-approver can, and nobody but the operator writes a waiver's status.
    /// </summary>
    private static async Task AssertOnlyApproversMayWaiveAsync(Kubectl kubectl)
    {
        const string ns = "waiver-rbac";
        kubectl.Run("create", "namespace", ns).Succeeded();
        kubectl.Run("create", "serviceaccount", "model-team", "-n", ns).Succeeded();
        kubectl.Run("create", "serviceaccount", "risk-owner", "-n", ns).Succeeded();
        kubectl.Run("create", "rolebinding", "model-team-edit", "--clusterrole=edit", $"--serviceaccount={ns}:model-team", "-n", ns).Succeeded();
        kubectl.Run("create", "rolebinding", "risk-owner-approver", "--clusterrole=aibaseline-waiver-approver", $"--serviceaccount={ns}:risk-owner", "-n", ns).Succeeded();
        string CanI(string account, string verb, string resource, string subresource = "") =>
            kubectl.Run("auth", "can-i", verb, resource, "-n", ns, "--as", $"system:serviceaccount:{ns}:{account}", $"--subresource={subresource}").Stdout.Trim();

        // The aggregation controller adds the editor role to edit shortly after the install.
        await Waiting.UntilAsync(() => Task.FromResult(CanI("model-team", "create", "aimodeldeployments.aibaseline.io") == "yes"), Patience, "edit may create AIModelDeployments");
        Assert.Equal("yes", CanI("model-team", "get", "baselineexceptions.aibaseline.io"));
        Assert.Equal("no", CanI("model-team", "create", "baselineexceptions.aibaseline.io"));
        Assert.Equal("no", CanI("model-team", "patch", "baselineexceptions.aibaseline.io"));
        Assert.Equal("no", CanI("model-team", "delete", "baselineexceptions.aibaseline.io"));
        Assert.Equal("no", CanI("model-team", "create", "retirementrecords.aibaseline.io"));
        Assert.Equal("no", CanI("risk-owner", "delete", "retirementrecords.aibaseline.io"));
        Assert.Equal("yes", CanI("risk-owner", "create", "baselineexceptions.aibaseline.io"));
        Assert.Equal("yes", CanI("risk-owner", "delete", "baselineexceptions.aibaseline.io"));
        Assert.Equal("no", CanI("risk-owner", "patch", "baselineexceptions.aibaseline.io", "status"));
        kubectl.Run("delete", "namespace", ns, "--wait=false").Succeeded();
    }

    /// <summary><c>kubectl auth can-i</c> as the release's ServiceAccount.</summary>
    private string CanI(string release, string verb, string resource, string ns)
    {
        using var kubectl = cluster.Kubectl();
        return kubectl.Run("auth", "can-i", verb, resource, "-n", ns, "--as", $"system:serviceaccount:{release}:aibaseline").Stdout.Trim();
    }

    /// <summary>Objects labelled as the release's that remain anywhere in the cluster.</summary>
    private List<string> ReleaseLeftovers(string release)
    {
        using var kubectl = cluster.Kubectl();
        var kinds = "deployments,services,serviceaccounts,roles,rolebindings,clusterroles,clusterrolebindings,baselineprofiles,configmaps,secrets";
        var output = kubectl.Run("get", kinds, "-A", "-l", "app.kubernetes.io/instance=aibaseline", "-o", "name").Succeeded();
        var inRelease = kubectl.Run("get", "deployments,services,serviceaccounts,roles,rolebindings,secrets", "-n", release, "-o", "name").Succeeded();
        return [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries), .. inRelease.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(n => n != "serviceaccount/default")];
    }

    /// <summary>The Prometheus Operator's CRDs, as a cluster that runs it has them; applying them again changes nothing.</summary>
    private void InstallMonitoringCrds()
    {
        using var kubectl = cluster.Kubectl();
        kubectl.Run("apply", "--server-side", "-f", Path.Combine(AppContext.BaseDirectory, "ThirdParty", "prometheus-operator")).Succeeded();
        kubectl.Run("wait", "--for=condition=Established", "crd/servicemonitors.monitoring.coreos.com", "crd/prometheusrules.monitoring.coreos.com", "--timeout=60s").Succeeded();
    }

    private async Task ApplyExamplesAsync(Kubernetes client, string ns, params string[] folders)
    {
        // The compliant example scrapes and alerts on its model with a ServiceMonitor and a PrometheusRule.
        InstallMonitoringCrds();
        if ((await client.CoreV1.ListNamespaceAsync(fieldSelector: $"metadata.name={ns}", cancellationToken: Ct)).Items.Count == 0)
        {
            await CreateNamespaceAsync(client, ns);
        }

        // The examples' own profile, as a user who follows the README applies it.
        foreach (var obj in folders.Prepend("profiles").SelectMany(f => Manifests.Example(f, ns, $"examples-{ns}")))
        {
            await Manifests.CreateAsync(client, obj, Ct);
        }
    }

    private static async Task<object?> ReadProfileAsync(Kubernetes client, string name)
    {
        try
        {
            return await client.CustomObjects.GetClusterCustomObjectAsync(ApiGroup.Group, ApiGroup.Version, ApiGroup.BaselineProfilePlural, name, cancellationToken: Ct);
        }
        catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    private static async Task<AIModelDeployment?> ReadDeploymentAsync(Kubernetes client, string ns, string name)
    {
        try
        {
            var json = (JsonElement)await client.CustomObjects.GetNamespacedCustomObjectAsync(ApiGroup.Group, ApiGroup.Version, ns, ApiGroup.AIModelDeploymentPlural, name, cancellationToken: Ct);
            return KubernetesJson.Deserialize<AIModelDeployment>(json.GetRawText());
        }
        catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    private static async Task<string?> ReadyAsync(Kubernetes client, string ns, string name) =>
        (await ReadDeploymentAsync(client, ns, name))?.Status?.Conditions?.SingleOrDefault(c => c.Type == ConditionTypes.Ready)?.Status;

    /// <summary>Waits, and on failure shows what the operator said.</summary>
    private static async Task UntilAsync(Func<Task<bool>> condition, string what, InstalledOperator running)
    {
        try
        {
            await Waiting.UntilAsync(condition, Patience, what);
        }
        catch (Xunit.Sdk.XunitException e)
        {
            throw new Xunit.Sdk.XunitException($"{e.Message}\noperator output:\n{string.Join('\n', running.Output.TakeLast(40))}");
        }
    }
}
