namespace AiBaseline.Audit;

/// <summary>
/// Where <c>audit --verify</c> finds the files of models on this machine: <c>--model-root PREFIX=DIR</c> maps
/// sources under a prefix such as <c>pvc://weights</c> to DIR; a bare <c>--model-root DIR</c> maps every
/// <c>pvc://CLAIM/PATH</c> to DIR/CLAIM/PATH. The longest matching prefix wins.
/// </summary>
public sealed class ModelRoots
{
    private const string PvcScheme = "pvc://";
    private readonly IReadOnlyList<(string Prefix, string Dir)> roots;

    private ModelRoots(IReadOnlyList<(string Prefix, string Dir)> roots) => this.roots = roots;

    /// <summary>No mapping: every model is unreachable.</summary>
    public static ModelRoots None { get; } = new([]);

    /// <summary>Parses the --model-root values; a directory that does not exist, a value without a scheme, or a prefix given twice is an input problem.</summary>
    public static ModelRoots Parse(IReadOnlyList<string> values, List<InputProblem> problems)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(problems);
        var roots = new List<(string Prefix, string Dir)>();
        foreach (var value in values)
        {
            var separator = value.IndexOf("://", StringComparison.Ordinal) is > 0 and var s ? value.IndexOf('=', s) : -1;
            var (prefix, dir) = separator < 0 ? (PvcScheme, value) : (value[..separator].TrimEnd('/'), value[(separator + 1)..]);
            if (value.Contains("://", StringComparison.Ordinal) && separator < 0)
            {
                problems.Add(new InputProblem(value, 0, null, "--model-root", "is a source without a directory: write PREFIX=DIR, such as pvc://weights=/data/weights"));
            }
            else if (!Directory.Exists(dir))
            {
                problems.Add(new InputProblem(dir, 0, null, "--model-root", "is not a directory"));
            }
            else if (roots.Any(r => r.Prefix == prefix))
            {
                problems.Add(new InputProblem(value, 0, null, "--model-root", $"maps {prefix} a second time"));
            }
            else
            {
                roots.Add((prefix, Path.GetFullPath(dir)));
            }
        }

        return new ModelRoots([.. roots.OrderByDescending(r => r.Prefix.Length)]);
    }

    /// <summary>The local path of <paramref name="source"/>, or null with the reason it has none.</summary>
    public (string? Path, string? WhyNot) Resolve(string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        foreach (var (prefix, dir) in roots)
        {
            var under = source.StartsWith(prefix, StringComparison.Ordinal) ? source[prefix.Length..] : null;
            if (under is null || (under.Length > 0 && !prefix.EndsWith('/') && under[0] != '/'))
            {
                continue;
            }

            var parts = under.Split('/', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Any(p => p is ".." or "."))
            {
                return (null, $"{source} has a . or .. segment, so it is not mapped under --model-root");
            }

            return (Path.Combine([dir, .. parts]), null);
        }

        var scheme = source.Contains("://", StringComparison.Ordinal) ? source[..source.IndexOf("://", StringComparison.Ordinal)] : "(none)";
        return (null, roots.Count == 0
            ? $"its files are not reachable here: pass --model-root DIR (pvc://CLAIM/PATH is read from DIR/CLAIM/PATH) or --model-root {Prefix(source)}=DIR where a copy of the files is at hand, or verify them with `aibaseline verify-model`"
            : $"no --model-root maps {source} (scheme {scheme}): add --model-root {Prefix(source)}=DIR with a local copy of its files");
    }

    /// <summary>The local path of a model's signature: a source-like URI resolved as sources are, else a path relative to the model's directory.</summary>
    public (string? Path, string? WhyNot) SignaturePath(string signature, string modelPath)
    {
        ArgumentNullException.ThrowIfNull(signature);
        if (signature.Contains("://", StringComparison.Ordinal))
        {
            return Resolve(signature);
        }

        var baseDir = Directory.Exists(modelPath) ? modelPath : Path.GetDirectoryName(modelPath) ?? modelPath;
        var parts = signature.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return parts.Contains("..")
            ? (null, $"signature {signature} leaves the model's directory")
            : (Path.Combine([baseDir, .. parts]), null);
    }

    private static string Prefix(string source)
    {
        var start = source.IndexOf("://", StringComparison.Ordinal);
        if (start < 0)
        {
            return "SCHEME://NAME";
        }

        var slash = source.IndexOf('/', start + 3);
        return slash < 0 ? source : source[..slash];
    }
}
