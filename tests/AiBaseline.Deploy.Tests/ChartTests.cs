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
        Assert.Equal(3, Renders.Helm(Renders.DefaultValues).Count(d => d.Kind == "CustomResourceDefinition"));
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
    [InlineData("watchedNamespaces={team-a,team-b}", "watchedNamespaces", "the operator watches one namespace or all")]
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
