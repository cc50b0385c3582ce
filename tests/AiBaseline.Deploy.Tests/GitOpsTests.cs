using AiBaseline.Deploy.Tests.Infrastructure;

namespace AiBaseline.Deploy.Tests;

/// <summary>The Flux example installs deploy/ and gates on AIModelDeployment health through kstatus.</summary>
public sealed class GitOpsTests
{
    private static readonly IReadOnlyList<KubeDocument> Flux =
        KubeDocument.ParseAll("deploy/flux/kustomization-example.yaml", Repo.Read("deploy/flux/kustomization-example.yaml"));

    [Fact]
    public void Operator_kustomization_applies_deploy_and_waits_for_it()
    {
        var kustomization = Flux.Single("Kustomization", "aibaseline-operator");
        Assert.Equal("kustomize.toolkit.fluxcd.io/v1", kustomization.ApiVersion);
        Assert.Equal("./deploy", Yaml.Scalar(kustomization.Root, "spec", "path"));
        Assert.Equal("true", Yaml.Scalar(kustomization.Root, "spec", "wait"));
        Assert.True(Directory.Exists(Repo.Path("deploy")), "the Flux path ./deploy must exist");
    }

    [Fact]
    public void Model_kustomization_health_checks_an_aimodeldeployment_after_the_operator()
    {
        var kustomization = Flux.Single("Kustomization", "team-a-models");
        var check = ((YamlDotNet.RepresentationModel.YamlSequenceNode)Yaml.Node(kustomization.Root, "spec", "healthChecks")!)[0];
        Assert.Equal("aibaseline.io/v1alpha1", Yaml.Scalar(check, "apiVersion"));
        Assert.Equal("AIModelDeployment", Yaml.Scalar(check, "kind"));
        var dependsOn = ((YamlDotNet.RepresentationModel.YamlSequenceNode)Yaml.Node(kustomization.Root, "spec", "dependsOn")!)[0];
        Assert.Equal("aibaseline-operator", Yaml.Scalar(dependsOn, "name"));
    }
}
