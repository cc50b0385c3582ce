namespace AiBaseline.Audit;

/// <summary>The text of one input file, with the name problems and reports use for it.</summary>
public sealed record ManifestFile(string Name, string Text);

/// <summary>
/// Expands the audit's arguments into files: a file as given, a directory recursively (*.yaml, *.yml,
/// *.json in ordinal path order, so the output does not depend on the file system; kustomization files are
/// skipped), "-" for standard input.
/// </summary>
public static class ManifestInput
{
    private static readonly string[] Extensions = [".yaml", ".yml", ".json"];

    /// <summary>Reads every input; paths that do not exist become problems.</summary>
    public static (List<ManifestFile> Files, List<InputProblem> Problems) Read(IEnumerable<string> paths, TextReader stdin)
    {
        var files = new List<ManifestFile>();
        var problems = new List<InputProblem>();
        foreach (var path in paths)
        {
            try
            {
                ReadOne(path, stdin, files, problems);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                problems.Add(new InputProblem(path, 0, null, null, $"cannot be read: {e.Message}"));
            }
        }

        return (files, problems);
    }

    private static void ReadOne(string path, TextReader stdin, List<ManifestFile> files, List<InputProblem> problems)
    {
        if (path == "-")
        {
            files.Add(new ManifestFile("-", stdin.ReadToEnd()));
        }
        else if (Directory.Exists(path))
        {
            // kustomization.yaml configures kustomize and is not an object; audit `kubectl kustomize` output instead.
            var found = Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories)
                .Where(f => Extensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
                .Where(f => !Path.GetFileNameWithoutExtension(f).Equals("kustomization", StringComparison.OrdinalIgnoreCase))
                .Order(StringComparer.Ordinal);
            files.AddRange(found.Select(f => new ManifestFile(f, File.ReadAllText(f))));
        }
        else if (File.Exists(path))
        {
            files.Add(new ManifestFile(path, File.ReadAllText(path)));
        }
        else
        {
            problems.Add(new InputProblem(path, 0, null, null, "no such file or directory: check the path"));
        }
    }
}
