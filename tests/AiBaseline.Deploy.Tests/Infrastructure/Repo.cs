namespace AiBaseline.Deploy.Tests.Infrastructure;

/// <summary>Paths inside the repository the tests read: the chart, deploy/, crds/ and the Dockerfile.</summary>
internal static class Repo
{
    private static readonly Lazy<string> RootPath = new(FindRoot);

    /// <summary>The repository root: the nearest directory above the test binaries holding aibaseline.slnx.</summary>
    public static string Root => RootPath.Value;

    public static string Chart => Path("charts/aibaseline");

    /// <summary>An absolute path from a repository-relative one written with forward slashes.</summary>
    public static string Path(string relative) =>
        System.IO.Path.Combine([Root, .. relative.Split('/', StringSplitOptions.RemoveEmptyEntries)]);

    public static string Read(string relative)
    {
        var path = Path(relative);
        Assert.True(File.Exists(path), $"{relative}: file is missing from the repository");
        return File.ReadAllText(path);
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "aibaseline.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no aibaseline.slnx above {AppContext.BaseDirectory}");
    }
}
