using AiBaseline.Deploy.Tests.Infrastructure;
using k8s.Models;

namespace AiBaseline.Deploy.Tests;

/// <summary>The Helm chart lints, renders valid objects, and its values schema stops wrong values with a message naming the field.</summary>
public sealed class ChartTests
{
    [Theory]
    [InlineData(Renders.DefaultValues, "what `helm install` uses when the user sets nothing")]
    [InlineData(Renders.CiValues, "every optional object switched on, namespace-scoped install, pinned digest")]
    public void Helm_lint_strict_passes(string valuesFile, string reason)
    {
        var result = Tools.Run(Tools.Helm, "lint", "--strict", Repo.Chart, "-f", Path.Combine(Repo.Chart, valuesFile));
        Assert.True(result.ExitCode == 0, $"{reason}: {result.Command}\n{result.Stdout}\n{result.Stderr}");
        Assert.Contains("0 chart(s) failed", result.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Renders.DefaultValues)]
    [InlineData(Renders.CiValues)]
    public void Rendered_built_in_objects_read_as_their_Kubernetes_types(string valuesFile)
    {
        var documents = Renders.Helm(valuesFile);
        Assert.NotEmpty(documents);
        foreach (var document in documents)
        {
            // Strict deserialization fails on a misspelt or misplaced field, which the API server would drop or reject.
            object typed = document.Kind switch
            {
                "Deployment" => document.As<V1Deployment>(),
                "Service" => document.As<V1Service>(),
                "ServiceAccount" => document.As<V1ServiceAccount>(),
                "ClusterRole" => document.As<V1ClusterRole>(),
                "ClusterRoleBinding" => document.As<V1ClusterRoleBinding>(),
                "Role" => document.As<V1Role>(),
                "RoleBinding" => document.As<V1RoleBinding>(),
                "CustomResourceDefinition" => document.As<V1CustomResourceDefinition>(),
                _ => document.Root,
            };
            Assert.NotNull(typed);
        }
    }

    [Fact]
    public void Default_values_install_the_operator_and_the_default_profile_without_optional_monitoring()
    {
        var kinds = Renders.Helm(Renders.DefaultValues).Select(d => d.Kind).ToHashSet();
        Assert.Contains("Deployment", kinds);
        Assert.Contains("BaselineProfile", kinds);
        Assert.Equal(4, Renders.Helm(Renders.DefaultValues).Count(d => d.Kind == "CustomResourceDefinition"));
        Assert.DoesNotContain("ServiceMonitor", kinds);
        Assert.DoesNotContain("PrometheusRule", kinds);
    }

    [Fact]
    public void Ci_values_reach_the_rendered_objects()
    {
        var documents = Renders.Helm(Renders.CiValues);
        var deployment = documents.Single("Deployment", "aibaseline").As<V1Deployment>();
        var container = Assert.Single(deployment.Spec.Template.Spec.Containers);

        Assert.Equal(3, deployment.Spec.Replicas);
        Assert.Equal("registry.example.com/aibaseline/aibaseline@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", container.Image);
        Assert.Contains("--namespace=team-a", container.Args);
        Assert.Contains("--namespace=team-b", container.Args);
        Assert.Contains("--kube-api-qps=12.5", container.Args);
        Assert.Contains("--kube-api-burst=25", container.Args);
        Assert.Contains("--log-level=Debug", container.Args);
        Assert.Contains("--log-format=console", container.Args);

        var monitor = documents.Single("ServiceMonitor", "aibaseline");
        Assert.Equal("monitoring.coreos.com/v1", monitor.ApiVersion);
        Assert.Equal("15s", Yaml.Scalar(((YamlDotNet.RepresentationModel.YamlSequenceNode)Yaml.Node(monitor.Root, "spec", "endpoints")!)[0], "interval"));
        Assert.Equal("prometheus", Yaml.Scalar(documents.Single("PrometheusRule", "aibaseline").Root, "metadata", "labels", "release"));
        Assert.Equal("Enforce", Yaml.Scalar(documents.Single("BaselineProfile", "default").Root, "spec", "mode"));
    }

    [Theory]
    [InlineData("replicaCount=two", "replicaCount", "a number given as a word")]
    [InlineData("logLevel=Verbose", "logLevel", "a level the operator does not know")]
    [InlineData("replicaCont=2", "replicaCont", "a misspelt key is rejected, not ignored")]
    [InlineData("watchedNamespaces={team-a,team-a}", "watchedNamespaces", "a namespace listed twice would get two Roles of one name")]
    [InlineData("watchedNamespaces={team-a,Team_B}", "watchedNamespaces/1", "a name the API server refuses for a namespace")]
    [InlineData("kubeApi.qps=fast", "kubeApi/qps", "a client rate given as a word")]
    [InlineData("kubeApi.burst=many", "kubeApi/burst", "a burst given as a word")]
    [InlineData("kubeApi.rate=50", "rate", "a misspelt client setting is rejected, not ignored")]
    [InlineData("image.digest=latest", "image/digest", "a digest that is not sha256:<64 hex>")]
    [InlineData("defaultProfile.spec.mode=Warn", "defaultProfile/spec/mode", "a profile mode the CRD would reject later")]
    [InlineData("metrics.port=70000", "metrics/port", "a port out of range")]
    [InlineData("registry.readPullSecrets=yes", "registry/readPullSecrets", "a switch given as a word")]
    [InlineData("registry.insecureRegistries=mirror.local", "registry/insecureRegistries", "one registry instead of a list")]
    [InlineData("registry.insecureRegistries={https://mirror.local}", "registry/insecureRegistries/0", "a URL where the operator wants host[:port]")]
    [InlineData("registry.caBundle=corporate-ca", "registry/caBundle", "a ConfigMap name instead of the configMap and key object")]
    [InlineData("registry.caBundle.key=../ca.pem", "registry/caBundle/key", "a path instead of a ConfigMap key")]
    public void Schema_rejects_wrong_values_naming_the_field(string setting, string field, string reason)
    {
        var result = Renders.HelmTemplate("--set-string", setting);
        Assert.True(result.ExitCode != 0, $"{reason}: helm template accepted --set-string {setting}");
        Assert.Contains(field, result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("kubeApi.qps=0", "kubeApi/qps", "no request would ever be sent")]
    [InlineData("kubeApi.qps=-1", "kubeApi/qps", "a negative rate does not turn the limit off")]
    [InlineData("kubeApi.burst=0", "kubeApi/burst", "no request would ever be sent")]
    [InlineData("kubeApi.burst=1.5", "kubeApi/burst", "a burst counts whole requests")]
    public void Schema_rejects_client_limits_the_operator_would_refuse(string setting, string field, string reason)
    {
        var result = Renders.HelmTemplate("--set", setting);
        Assert.True(result.ExitCode != 0, $"{reason}: helm template accepted --set {setting}");
        Assert.Contains(field, result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Each_watched_namespace_gets_a_Role_and_RoleBinding_and_the_ClusterRole_keeps_cluster_scoped_kinds_only()
    {
        var documents = Renders.Helm(Renders.CiValues);

        Assert.Equal(["team-a", "team-b"], documents.Where(d => d.Kind == "Role" && d.Name == "aibaseline-manager").Select(d => d.As<V1Role>().Metadata.NamespaceProperty).Order(StringComparer.Ordinal));
        Assert.Equal(["team-a", "team-b"], documents.Where(d => d.Kind == "RoleBinding" && d.Name == "aibaseline-manager").Select(d => d.As<V1RoleBinding>().Metadata.NamespaceProperty).Order(StringComparer.Ordinal));
        var clusterRole = documents.Single("ClusterRole", "aibaseline-manager").As<V1ClusterRole>();
        Assert.DoesNotContain(clusterRole.Rules, r => r.Resources.Contains("aimodeldeployments"));
    }

    [Fact]
    public void Several_replicas_without_leader_election_fail_with_the_reason()
    {
        var result = Renders.HelmTemplate("--set", "leaderElection.enabled=false");
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("replicaCount > 1 needs leaderElection.enabled=true", result.Stderr, StringComparison.Ordinal);

        var single = Renders.HelmTemplate("--set", "leaderElection.enabled=false", "--set", "replicaCount=1").EnsureSuccess();
        var container = KubeDocument.ParseAll("single replica", single.Stdout).Single("Deployment", "aibaseline")
            .As<V1Deployment>().Spec.Template.Spec.Containers[0];
        Assert.DoesNotContain("--leader-elect", container.Args);
        Assert.DoesNotContain(KubeDocument.ParseAll("single replica", single.Stdout), d => d.Name.EndsWith("-leader-election", StringComparison.Ordinal));
    }

    [Fact]
    public void Notes_tell_the_user_how_to_upgrade_crds()
    {
        var result = Tools.Run(Tools.Helm, "install", Renders.Release, Repo.Chart, "--namespace", Renders.Namespace, "--dry-run=client").EnsureSuccess();
        Assert.Contains("Helm never upgrades them", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("kubectl apply --server-side -f", result.Stdout, StringComparison.Ordinal);
    }
}
