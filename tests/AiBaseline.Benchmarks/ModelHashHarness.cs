using System.Diagnostics;
using System.Globalization;
using AiBaseline.Provenance.ModelSigning;

namespace AiBaseline.Benchmarks;

/// <summary>
/// <c>model-hash [--files N] [--size-mib M] [--rounds R] [--dir PATH]</c>: writes N files of M MiB of random bytes,
/// then alternately hashes them with <c>sha256sum</c> (all files, one process, as a user would) and with the
/// verify-model hasher, R rounds each, after one untimed read that brings the files into the page cache for both.
/// Prints GB/s of each round and the ratio of medians. The files are deleted at the end.
/// </summary>
internal static class ModelHashHarness
{
    public const string Mode = "model-hash";

    public static async Task<int> RunAsync(string[] args)
    {
        var files = Option(args, "--files", 5);
        var sizeMiB = Option(args, "--size-mib", 2048);
        var rounds = Option(args, "--rounds", 3);
        var dir = args.SkipWhile(a => a != "--dir").Skip(1).FirstOrDefault() ?? Path.Combine(Path.GetTempPath(), "aibaseline-model-hash");
        Directory.CreateDirectory(dir);
        try
        {
            var paths = Enumerable.Range(1, files).Select(i => Path.Combine(dir, $"shard-{i:D2}.bin")).ToList();
            var buffer = new byte[1 << 20];
            foreach (var path in paths)
            {
                await using var stream = File.Create(path);
                for (var i = 0; i < sizeMiB; i++)
                {
                    Random.Shared.NextBytes(buffer);
                    await stream.WriteAsync(buffer);
                }
            }

            var total = (double)files * sizeMiB * (1 << 20);
            var model = paths.Select(p => (Path.GetFileName(p), p)).ToList();
            Console.WriteLine($"model-hash: {files} files x {sizeMiB} MiB = {total / (1 << 30):F1} GiB in {dir}, {Environment.ProcessorCount} cores, {rounds} rounds");
            var reference = await Sha256SumAsync(paths);
            var ours = await ModelHasher.HashAsync(model);
            if (model.Any(m => ours[m.Item1] != reference[m.p]))
            {
                Console.Error.WriteLine("model-hash: the digests differ from sha256sum's");
                return 1;
            }

            var sums = new List<double>();
            var hashed = new List<double>();
            for (var round = 1; round <= rounds; round++)
            {
                var watch = Stopwatch.StartNew();
                await Sha256SumAsync(paths);
                sums.Add(total / watch.Elapsed.TotalSeconds / 1e9);
                watch.Restart();
                await ModelHasher.HashAsync(model);
                hashed.Add(total / watch.Elapsed.TotalSeconds / 1e9);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"round {round}: sha256sum {sums[^1]:F2} GB/s, verify-model hasher {hashed[^1]:F2} GB/s"));
            }

            var ratio = Median(hashed) / Median(sums);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"median: sha256sum {Median(sums):F2} GB/s, verify-model hasher {Median(hashed):F2} GB/s, ratio {ratio:F2}x"));
            return 0;
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static async Task<Dictionary<string, string>> Sha256SumAsync(List<string> paths)
    {
        var start = new ProcessStartInfo("sha256sum") { RedirectStandardOutput = true };
        paths.ForEach(start.ArgumentList.Add);
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split("  ", 2)).ToDictionary(p => p[1], p => p[0]);
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    private static int Option(string[] args, string name, int fallback)
    {
        var value = args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
        return value is null ? fallback : int.Parse(value, CultureInfo.InvariantCulture);
    }
}
