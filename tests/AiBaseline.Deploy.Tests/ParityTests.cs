using AiBaseline.Deploy.Tests.Infrastructure;

namespace AiBaseline.Deploy.Tests;

/// <summary>`kubectl apply -k deploy/` and `helm install` give the user the same operator.</summary>
public sealed class ParityTests
{
    /// <summary>
    /// Objects only one install path has, on purpose: kustomize creates the namespace (Helm's convention is
    /// `--create-namespace`); the optional monitoring objects are off by default in the chart and live in
    /// deploy/monitoring/, outside the kustomize base.
    /// </summary>
    private static readonly HashSet<string> KustomizeOnly = ["Namespace aibaseline-system"];

    [Fact]
    public void Chart_and_kustomize_install_the_same_objects()
    {
        var kustomize = Renders.Kustomize().Select(d => d.Identity).Where(id => !KustomizeOnly.Contains(id)).Order(StringComparer.Ordinal).ToList();
        var helm = Renders.Helm(Renders.DefaultValues).Select(d => d.Identity).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(kustomize, helm);
        Assert.All(KustomizeOnly, id => Assert.Contains(id, Renders.Kustomize().Select(d => d.Identity)));
    }

    [Fact]
    public void Operator_pod_spec_is_the_same_in_chart_and_kustomize()
    {
        // Labels differ (Helm adds its own); the pod spec itself must not, or one install path runs a different operator.
        var kustomize = Renders.Kustomize().Single("Deployment", "aibaseline").Root;
        var helm = Renders.Helm(Renders.DefaultValues).Single("Deployment", "aibaseline").Root;
        Assert.Equal(Yaml.Canonical(Yaml.Node(kustomize, "spec", "template", "spec")), Yaml.Canonical(Yaml.Node(helm, "spec", "template", "spec")));
        Assert.Equal(Yaml.Scalar(kustomize, "spec", "replicas"), Yaml.Scalar(helm, "spec", "replicas"));
    }

    [Theory]
    [InlineData("BaselineProfile", "default", "spec", "the default profile's settings")]
    [InlineData("Service", "aibaseline-metrics", "spec/ports", "the metrics port Prometheus scrapes")]
    [InlineData("Role", "aibaseline-leader-election", "rules", "the leader-election grant")]
    [InlineData("CustomResourceDefinition", "aimodeldeployments.aibaseline.io", "spec", "the AIModelDeployment CRD")]
    [InlineData("CustomResourceDefinition", "baselineprofiles.aibaseline.io", "spec", "the BaselineProfile CRD")]
    [InlineData("CustomResourceDefinition", "baselineexceptions.aibaseline.io", "spec", "the BaselineException CRD")]
    [InlineData("ClusterRole", "aibaseline-waiver-approver", "rules", "the waiver-approver grant")]
    [InlineData("ClusterRole", "aibaseline-aimodeldeployment-viewer", "rules", "what viewers may read")]
    public void Object_content_is_the_same_in_chart_and_kustomize(string kind, string name, string path, string reason)
    {
        var segments = path.Split('/');
        var kustomize = Yaml.Node(Renders.Kustomize().Single(kind, name).Root, segments);
        var helm = Yaml.Node(Renders.Helm(Renders.DefaultValues).Single(kind, name).Root, segments);
        Assert.NotNull(kustomize);
        Assert.True(Yaml.Canonical(kustomize) == Yaml.Canonical(helm), $"{reason}: {kind} {name} {path} differs between deploy/ and the chart");
    }

    [Fact]
    public void Chart_prometheus_rule_matches_deploy_monitoring()
    {
        var deploy = KubeDocument.ParseAll("deploy/monitoring/prometheusrule.yaml", Repo.Read("deploy/monitoring/prometheusrule.yaml")).Single();
        var chart = Renders.Helm(Renders.CiValues).Single("PrometheusRule", "aibaseline");
        Assert.Equal(Yaml.Canonical(Yaml.Node(deploy.Root, "spec")), Yaml.Canonical(Yaml.Node(chart.Root, "spec")));
    }
}
