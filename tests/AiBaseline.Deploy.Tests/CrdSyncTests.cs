using AiBaseline.Deploy.Tests.Infrastructure;

namespace AiBaseline.Deploy.Tests;

/// <summary>The CRD copies that ship with kustomize and Helm are the generated ones in crds/.</summary>
public sealed class CrdSyncTests
{
    public static TheoryData<string, string> Copies() => new()
    {
        { "deploy/crds", "aibaseline.io_aimodeldeployments.yaml" },
        { "deploy/crds", "aibaseline.io_baselineexceptions.yaml" },
        { "deploy/crds", "aibaseline.io_baselineprofiles.yaml" },
        { "deploy/crds", "aibaseline.io_retirementrecords.yaml" },
        { "charts/aibaseline/crds", "aibaseline.io_aimodeldeployments.yaml" },
        { "charts/aibaseline/crds", "aibaseline.io_baselineexceptions.yaml" },
        { "charts/aibaseline/crds", "aibaseline.io_baselineprofiles.yaml" },
        { "charts/aibaseline/crds", "aibaseline.io_retirementrecords.yaml" },
    };

    [Theory]
    [MemberData(nameof(Copies))]
    public void Copy_equals_the_generated_crd(string directory, string file)
    {
        var source = Repo.Read($"crds/{file}");
        var copy = Repo.Read($"{directory}/{file}");
        Assert.True(source == copy, $"{directory}/{file} differs from crds/{file}: run deploy/sync-crds.sh");
    }

    [Fact]
    public void Shipped_crd_directories_hold_only_the_generated_files()
    {
        var generated = Directory.GetFiles(Repo.Path("crds"), "*.yaml").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(generated);
        foreach (var directory in new[] { "deploy/crds", "charts/aibaseline/crds" })
        {
            var shipped = Directory.GetFiles(Repo.Path(directory), "*.yaml").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
            Assert.Equal(generated, shipped);
        }
    }

    [Fact]
    public void Sync_script_check_mode_reports_no_drift()
    {
        var result = Tools.Run("/bin/bash", Repo.Path("deploy/sync-crds.sh"), "--check");
        Assert.True(result.ExitCode == 0, $"deploy/sync-crds.sh --check: {result.Stderr}");
    }

    [Fact]
    public void Kustomization_lists_every_crd()
    {
        var kustomization = Repo.Read("deploy/kustomization.yaml");
        foreach (var file in Directory.GetFiles(Repo.Path("crds"), "*.yaml").Select(Path.GetFileName))
        {
            Assert.Contains($"- crds/{file}", kustomization, StringComparison.Ordinal);
        }
    }
}
