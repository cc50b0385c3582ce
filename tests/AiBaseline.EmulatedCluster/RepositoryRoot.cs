namespace AiBaseline.EmulatedCluster;

/// <summary>The clone this program was built from: the folder holding <c>aibaseline.slnx</c>.</summary>
internal static class RepositoryRoot
{
    /// <summary>Walks up from <paramref name="start"/> (default: this program's folder) to the folder holding aibaseline.slnx.</summary>
    public static string Find(string? start = null)
    {
        for (var dir = new DirectoryInfo(start ?? AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "aibaseline.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no aibaseline.slnx above {start ?? AppContext.BaseDirectory}: run this program from a clone of the repository");
    }
}
