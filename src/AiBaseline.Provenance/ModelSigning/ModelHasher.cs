using System.Buffers;
using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace AiBaseline.Provenance.ModelSigning;

/// <summary>
/// Hashes a model's files the way OMS names them: paths relative to the model root with '/' separators, or "."
/// when the model is a single file. Files are hashed in parallel (one per core), each streamed in 1 MiB reads,
/// so memory stays flat and large weights go at disk speed.
/// </summary>
public static class ModelHasher
{
    private const int BufferSize = 1 << 20;

    /// <summary>Files OMS leaves out of a model by default, as model_signing does.</summary>
    public static readonly IReadOnlyList<string> DefaultIgnored = [".git", ".gitattributes", ".github", ".gitignore"];

    /// <summary>The model's files (relative name, full path), sorted by name, without ignored paths; symlinks are reported.</summary>
    /// <param name="modelPath">A directory or a single file.</param>
    /// <param name="ignored">Full paths to leave out (files or directories).</param>
    public static (IReadOnlyList<(string Name, string Path)> Files, IReadOnlyList<string> Symlinks) Enumerate(string modelPath, IReadOnlyCollection<string> ignored)
    {
        if (File.Exists(modelPath))
        {
            return ([(".", modelPath)], []);
        }

        var root = Path.GetFullPath(modelPath);
        var ignoredFull = ignored.Select(p => Path.TrimEndingDirectorySeparator(Path.GetFullPath(p))).ToHashSet(StringComparer.Ordinal);
        foreach (var name in DefaultIgnored)
        {
            ignoredFull.Add(Path.Combine(root, name));
        }

        var files = new List<(string, string)>();
        var symlinks = new List<string>();
        var pending = new Stack<string>([root]);
        while (pending.Count > 0)
        {
            foreach (var entry in new DirectoryInfo(pending.Pop()).EnumerateFileSystemInfos())
            {
                if (ignoredFull.Contains(entry.FullName))
                {
                    continue;
                }

                var name = Path.GetRelativePath(root, entry.FullName).Replace(Path.DirectorySeparatorChar, '/');
                if (entry.LinkTarget is not null)
                {
                    symlinks.Add(name);
                }
                else if (entry is DirectoryInfo)
                {
                    pending.Push(entry.FullName);
                }
                else
                {
                    files.Add((name, entry.FullName));
                }
            }
        }

        files.Sort((a, b) => string.CompareOrdinal(a.Item1, b.Item1));
        symlinks.Sort(StringComparer.Ordinal);
        return (files, symlinks);
    }

    /// <summary>sha256 (lowercase hex) of each file, hashed in parallel.</summary>
    public static async Task<IReadOnlyDictionary<string, string>> HashAsync(IReadOnlyList<(string Name, string Path)> files, CancellationToken cancellationToken = default)
    {
        var digests = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        var options = new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellationToken };

        // Largest first, so one big file does not start last and leave the other cores idle at the end.
        var ordered = files.OrderByDescending(f => new FileInfo(f.Path).Length).ToList();
        await Parallel.ForEachAsync(ordered, options, async (file, token) =>
        {
            digests[file.Name] = await HashFileAsync(file.Path, token).ConfigureAwait(false);
        }).ConfigureAwait(false);
        return digests;
    }

    /// <summary>sha256 of one file, streamed.</summary>
    public static async Task<string> HashFileAsync(string path, CancellationToken cancellationToken = default)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            await using var stream = new FileStream(path, new FileStreamOptions
            {
                Mode = FileMode.Open,
                Access = FileAccess.Read,
                Share = FileShare.Read,
                BufferSize = 0,
                Options = FileOptions.SequentialScan | FileOptions.Asynchronous,
            });
            int read;
            while ((read = await stream.ReadAsync(buffer.AsMemory(0, BufferSize), cancellationToken).ConfigureAwait(false)) > 0)
            {
                hash.AppendData(buffer, 0, read);
            }

            return Convert.ToHexStringLower(hash.GetHashAndReset());
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
