using AiBaseline.Deploy.Tests.Infrastructure;

namespace AiBaseline.Deploy.Tests;

/// <summary>
/// Replays the build stage's restore layer without a container engine: only the files the Dockerfile copies
/// before `dotnet restore` are placed in an empty directory, and the same restore command must succeed there.
/// A project reference or build file left out of those COPY lines fails here as it would in `docker build`.
/// </summary>
public sealed class DockerBuildContextTests
{
    [Fact]
    public void Restore_layer_restores_from_the_copied_files_alone()
    {
        var build = Dockerfile.Parse(Repo.Read("Dockerfile"))[0];
        var context = Path.Combine(Path.GetTempPath(), $"aibaseline-docker-restore-{Guid.NewGuid():N}");
        try
        {
            DockerInstruction? restore = null;
            foreach (var instruction in build.Instructions)
            {
                if (instruction.Keyword == "RUN" && instruction.Arguments.StartsWith("dotnet restore", StringComparison.Ordinal))
                {
                    restore = instruction;
                    break;
                }

                if (instruction.Keyword == "COPY")
                {
                    Copy(instruction, context);
                }
            }

            Assert.True(restore is not null, "Dockerfile: the build stage has no `RUN dotnet restore` layer");
            var arguments = restore.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).ToList();
            var result = Tools.RunIn(context, "dotnet", arguments);
            Assert.True(result.ExitCode == 0, $"Dockerfile:{restore.Line}: `{restore.Arguments}` fails with only the copied files:\n{result.Stdout}\n{result.Stderr}");
            // Restore skips a referenced project it cannot find and still succeeds; the publish layer would then fail.
            string[] complaints = ["because it was not found", "warning"];
            Assert.True(!complaints.Any(c => result.Stdout.Contains(c, StringComparison.OrdinalIgnoreCase)), $"Dockerfile:{restore.Line}: `{restore.Arguments}` is incomplete with only the copied files:\n{result.Stdout}");
        }
        finally
        {
            if (Directory.Exists(context))
            {
                Directory.Delete(context, recursive: true);
            }
        }
    }

    /// <summary>Applies one COPY: files into a destination directory (ending in /), or a directory's contents.</summary>
    private static void Copy(DockerInstruction copy, string context)
    {
        var words = copy.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(w => !w.StartsWith("--", StringComparison.Ordinal)).ToList();
        var destination = Path.Combine(context, words[^1] == "./" ? "" : words[^1].TrimEnd('/'));
        Directory.CreateDirectory(destination);
        foreach (var source in Dockerfile.CopySources(copy))
        {
            var path = Repo.Path(source);
            if (File.Exists(path))
            {
                File.Copy(path, Path.Combine(destination, Path.GetFileName(path)), overwrite: true);
            }
            else
            {
                Assert.Fail($"Dockerfile:{copy.Line}: the restore layer copies {source}, which is not a file");
            }
        }
    }
}
