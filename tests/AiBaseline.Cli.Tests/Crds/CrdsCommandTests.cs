using System.CommandLine;
using AiBaseline.Commands;
using AiBaseline.Crds;

namespace AiBaseline.Cli.Tests.Crds;

/// <summary>`aibaseline crds --output DIR` writes the generated files and names each one.</summary>
public sealed class CrdsCommandTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "aibaseline-crds-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public void Writes_every_crd_into_the_output_directory_and_prints_the_paths()
    {
        var output = new StringWriter();
        var root = new RootCommand { CrdsCommand.Create() };

        var exitCode = root.Parse(["crds", "--output", _directory]).Invoke(new InvocationConfiguration { Output = output });

        Assert.Equal(0, exitCode);
        foreach (var crd in CrdGenerator.GenerateAll())
        {
            var path = Path.Combine(_directory, crd.FileName);
            Assert.Equal(crd.Yaml, File.ReadAllText(path));
            Assert.Contains(crd.FileName, output.ToString(), StringComparison.Ordinal);
        }

        Assert.Equal(CrdGenerator.GenerateAll().Count, output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public void An_unwritable_output_is_reported_with_its_path_and_exit_code_1()
    {
        File.WriteAllText(_directory, "a file, not a directory");
        var output = new StringWriter();
        var error = new StringWriter();

        var exitCode = new RootCommand { CrdsCommand.Create() }
            .Parse(["crds", "--output", _directory])
            .Invoke(new InvocationConfiguration { Output = output, Error = error });

        Assert.Equal(1, exitCode);
        Assert.Contains($"cannot write to {_directory}", error.ToString(), StringComparison.Ordinal);
        Assert.Empty(output.ToString());
    }

    [Fact]
    public void Defaults_to_the_crds_directory()
    {
        var option = CrdsCommand.Create().Options.Single(o => o.Name == "--output");
        var parsed = new RootCommand { CrdsCommand.Create() }.Parse(["crds"]);

        Assert.Equal("crds", parsed.GetValue<DirectoryInfo>(option.Name)!.Name);
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }

        File.Delete(_directory);
    }
}
