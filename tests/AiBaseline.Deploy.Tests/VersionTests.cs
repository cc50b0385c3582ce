using System.Reflection;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using AiBaseline.Deploy.Tests.Infrastructure;

namespace AiBaseline.Deploy.Tests;

/// <summary>
/// The version is set once, in Directory.Build.props; what <c>aibaseline --version</c> prints, the chart, the image
/// label and the kustomize image tag all carry it, so an install never names one version and runs another.
/// </summary>
public sealed partial class VersionTests
{
    private static readonly string Version =
        XDocument.Load(Repo.Path("Directory.Build.props")).Descendants("Version").Single().Value;

    [Fact]
    public void The_version_is_a_plain_semantic_version()
    {
        Assert.Matches(SemanticVersion(), Version);
    }

    [Fact]
    public void The_binary_reports_the_version_without_a_commit_suffix()
    {
        var reported = typeof(AiBaseline.Commands.CrdsCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;

        Assert.Equal(Version, reported);
    }

    [Fact]
    public void The_chart_version_and_app_version_are_the_version()
    {
        var chart = Yaml.Load(Repo.Read("charts/aibaseline/Chart.yaml"));

        Assert.Equal(Version, Yaml.Scalar(chart, "version"));
        Assert.Equal(Version, Yaml.Scalar(chart, "appVersion"));
    }

    [Fact]
    public void The_image_version_label_is_the_version()
    {
        var label = Dockerfile.Parse(Repo.Read("Dockerfile"))[^1].Instructions
            .Where(i => i.Keyword == "LABEL")
            .Select(i => VersionLabel().Match(i.Arguments))
            .Single(m => m.Success);

        Assert.Equal(Version, label.Groups["value"].Value);
    }

    [Fact]
    public void The_kustomize_image_tag_is_the_version()
    {
        var images = (YamlDotNet.RepresentationModel.YamlSequenceNode)Yaml.Node(Yaml.Load(Repo.Read("deploy/kustomization.yaml")), "images")!;

        Assert.Equal(Version, Yaml.Scalar(images.Single(), "newTag"));
    }

    [GeneratedRegex(@"^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$")]
    private static partial Regex SemanticVersion();

    [GeneratedRegex(@"org\.opencontainers\.image\.version=""(?<value>[^""]*)""")]
    private static partial Regex VersionLabel();
}
