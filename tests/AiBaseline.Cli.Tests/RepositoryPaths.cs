namespace AiBaseline.Cli.Tests;

/// <summary>Paths in the source tree, found from the test binaries by walking up to the solution file.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string Crds => Path.Combine(Root, "crds");

    public static string Examples => Path.Combine(Root, "examples");

    public static string Fixtures => Path.Combine(Root, "tests", "AiBaseline.Cli.Tests", "Fixtures");

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "aibaseline.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No aibaseline.slnx above {AppContext.BaseDirectory}; run the tests from the repository.");
    }
}
