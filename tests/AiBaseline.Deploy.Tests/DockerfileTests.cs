using System.Xml.Linq;
using AiBaseline.Deploy.Tests.Infrastructure;

namespace AiBaseline.Deploy.Tests;

/// <summary>
/// The Dockerfile builds what the repository holds. No container engine runs here, so these tests check what a
/// build would need: real paths, the right project, a runtime matching the SDK, a numeric non-root user.
/// </summary>
public sealed class DockerfileTests
{
    private static readonly IReadOnlyList<DockerStage> Stages = Dockerfile.Parse(Repo.Read("Dockerfile"));

    private static DockerStage Runtime => Stages[^1];

    private static DockerStage Build => Stages[0];

    [Fact]
    public void Builds_with_the_sdk_and_runs_on_the_chiseled_aspnet_runtime()
    {
        Assert.Equal(2, Stages.Count);
        Assert.StartsWith("mcr.microsoft.com/dotnet/sdk:10.0", Build.BaseImage, StringComparison.Ordinal);
        Assert.Equal("mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled", Runtime.BaseImage);
        // The runtime serves the target framework every project builds for.
        Assert.Contains("<TargetFramework>net10.0</TargetFramework>", Repo.Read("Directory.Build.props"), StringComparison.Ordinal);
    }

    [Fact]
    public void Every_copied_path_exists_in_the_repository()
    {
        var copies = Stages.SelectMany(s => s.Instructions).Where(i => i.Keyword == "COPY").ToList();
        Assert.NotEmpty(copies);
        foreach (var copy in copies)
        {
            foreach (var source in Dockerfile.CopySources(copy))
            {
                var path = Repo.Path(source);
                Assert.True(File.Exists(path) || Directory.Exists(path), $"Dockerfile:{copy.Line}: COPY {source} does not exist in the repository");
            }
        }
    }

    [Fact]
    public void Restore_layer_copies_every_project_the_executable_references()
    {
        var copied = Build.Instructions.Where(i => i.Keyword == "COPY").SelectMany(Dockerfile.CopySources).Where(s => s.EndsWith(".csproj", StringComparison.Ordinal)).ToHashSet();
        var published = PublishedProject();
        foreach (var project in ProjectClosure(published))
        {
            Assert.True(copied.Contains(project), $"Dockerfile: {project} is referenced by {published} but not copied before `dotnet restore`");
        }
    }

    [Fact]
    public void Entrypoint_runs_the_aibaseline_operator()
    {
        var project = XDocument.Load(Repo.Path(PublishedProject()));
        var assembly = project.Descendants("AssemblyName").Single().Value;
        Assert.Equal("aibaseline", assembly);

        var entrypoint = Dockerfile.ExecForm(Runtime.Instructions.Last(i => i.Keyword == "ENTRYPOINT"));
        Assert.Equal(["dotnet", $"/app/{assembly}.dll", "operator"], entrypoint);
        Assert.Contains(Build.Instructions, i => i.Keyword == "RUN" && i.Arguments.Contains("-o /app", StringComparison.Ordinal));
    }

    [Fact]
    public void Runs_as_the_numeric_non_root_user_the_manifests_expect()
    {
        var user = Runtime.Instructions.Last(i => i.Keyword == "USER").Arguments;
        var parts = user.Split(':');
        Assert.True(parts.All(p => int.TryParse(p, out var id) && id > 0), $"USER {user} is not a numeric non-root uid:gid; the kubelet cannot verify runAsNonRoot");
        var deployment = Renders.Kustomize().Single("Deployment", "aibaseline").As<k8s.Models.V1Deployment>();
        Assert.Equal(long.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture), deployment.Spec.Template.Spec.SecurityContext.RunAsUser);
    }

    [Theory]
    [InlineData("org.opencontainers.image.title")]
    [InlineData("org.opencontainers.image.source")]
    [InlineData("org.opencontainers.image.version")]
    [InlineData("org.opencontainers.image.revision")]
    [InlineData("org.opencontainers.image.licenses")]
    public void Image_carries_the_oci_label(string label)
    {
        Assert.Contains(Runtime.Instructions, i => i.Keyword == "LABEL" && i.Arguments.Contains(label + "=", StringComparison.Ordinal));
    }

    [Fact]
    public void Dockerignore_lets_in_exactly_what_the_build_copies()
    {
        var rules = Repo.Read(".dockerignore").Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        Assert.Equal("*", rules[0]);
        var allowed = rules.Where(r => r.StartsWith('!')).Select(r => r[1..].TrimEnd('/')).ToHashSet();
        foreach (var source in Stages.SelectMany(s => s.Instructions).Where(i => i.Keyword == "COPY").SelectMany(Dockerfile.CopySources))
        {
            var top = source.TrimEnd('/').Split('/')[0];
            Assert.True(allowed.Contains(top), $".dockerignore: COPY {source} is excluded from the build context");
        }

        Assert.Contains("**/bin/", rules);
        Assert.Contains("**/obj/", rules);
        Assert.DoesNotContain("tests", allowed);
    }

    private static string PublishedProject()
    {
        var publish = Build.Instructions.Single(i => i.Keyword == "RUN" && i.Arguments.Contains("dotnet publish", StringComparison.Ordinal));
        return publish.Arguments.Split(' ').Single(w => w.EndsWith(".csproj", StringComparison.Ordinal));
    }

    /// <summary>The project and every project it references, directly or not, as repository-relative paths.</summary>
    private static SortedSet<string> ProjectClosure(string project)
    {
        var seen = new SortedSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([project]);
        while (pending.TryPop(out var current))
        {
            if (!seen.Add(current))
            {
                continue;
            }

            var directory = Path.GetDirectoryName(Repo.Path(current))!;
            foreach (var reference in XDocument.Load(Repo.Path(current)).Descendants("ProjectReference"))
            {
                var full = Path.GetFullPath(Path.Combine(directory, reference.Attribute("Include")!.Value.Replace('\\', '/')));
                pending.Push(Path.GetRelativePath(Repo.Root, full).Replace('\\', '/'));
            }
        }

        return seen;
    }
}
