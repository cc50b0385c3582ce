using System.CommandLine;
using AiBaseline.Crds;

namespace AiBaseline.Commands;

/// <summary><c>aibaseline crds</c>: writes the CustomResourceDefinitions generated from the API types.</summary>
public static class CrdsCommand
{
    /// <summary>The <c>crds</c> command with its <c>--output</c> option.</summary>
    public static Command Create()
    {
        var output = new Option<DirectoryInfo>("--output", "-o")
        {
            Description = "Directory to write the CRD files into.",
            DefaultValueFactory = _ => new DirectoryInfo("crds"),
        };
        var command = new Command("crds", "Write the aibaseline.io CustomResourceDefinitions generated from the API types.")
        {
            output,
        };
        command.SetAction(parseResult =>
        {
            var directory = parseResult.GetValue(output)!;
            var writer = parseResult.InvocationConfiguration.Output;
            Directory.CreateDirectory(directory.FullName);
            foreach (var crd in CrdGenerator.GenerateAll())
            {
                var path = Path.Combine(directory.FullName, crd.FileName);
                File.WriteAllText(path, crd.Yaml);
                writer.WriteLine($"wrote {Path.GetRelativePath(Environment.CurrentDirectory, path)}");
            }

            return 0;
        });
        return command;
    }
}
