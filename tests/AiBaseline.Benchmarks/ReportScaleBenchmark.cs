using System.Diagnostics;
using System.Globalization;
using AiBaseline.Report;

namespace AiBaseline.Benchmarks;

/// <summary>
/// <c>aibaseline report -o html</c> at scale: writes N deployments as the audit scale mode does
/// (<see cref="ScaleManifests"/>), runs the report in-process from the manifests to an HTML file, and prints wall
/// time, peak working set, allocations and the page's size; then, when Debian's chromium is installed
/// ($AIBASELINE_CHROMIUM or chromium on the PATH), how long headless Chromium takes to load and lay out the page
/// (<c>--dump-dom</c> of the page minus that of an empty page, best of three). Run:
/// <c>dotnet run -c Release --project tests/AiBaseline.Benchmarks -- report-scale 1000</c>.
/// Targets: 1,000 deployments under 5 s and 500 MB.
/// </summary>
public static class ReportScaleBenchmark
{
    /// <summary>The first argument that selects this mode.</summary>
    public const string Mode = "report-scale";

    public static async Task<int> RunAsync(IEnumerable<string> sizes)
    {
        var counts = sizes.Select(s => int.Parse(s, CultureInfo.InvariantCulture)).DefaultIfEmpty(1000).Order().ToList();
        Console.WriteLine($"{"deployments",12} {"wall ms",10} {"cpu ms",8} {"peak working set MiB",21} {"allocated MiB",14} {"page MiB",9} {"chromium load ms",17}");
        foreach (var count in counts)
        {
            var dir = Directory.CreateTempSubdirectory("aibaseline-report-scale-").FullName;
            try
            {
                for (var i = 0; i < count; i++)
                {
                    File.WriteAllText(Path.Combine(dir, $"{ScaleManifests.Name(i)}.yaml"), ScaleManifests.Deployment(i));
                }

                File.WriteAllText(Path.Combine(dir, "profile.yaml"), ScaleManifests.Profile);
                var page = Path.Combine(Path.GetTempPath(), $"aibaseline-report-{count}.html");
                GC.Collect();
                var allocated = GC.GetTotalAllocatedBytes(precise: true);
                var cpu = Process.GetCurrentProcess().TotalProcessorTime;
                var watch = Stopwatch.StartNew();
                int exit;
                await using (var output = new StreamWriter(page, append: false, new System.Text.UTF8Encoding(false)))
                {
                    exit = await ReportRun.ExecuteAsync(new ReportOptions([dir], ReportFormat.Html, Namespace: "default"), TextReader.Null, output, Console.Error, TimeProvider.System, CancellationToken.None);
                }

                watch.Stop();
                var cpuMs = (long)(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds;
                if (exit != ReportRun.Written)
                {
                    throw new InvalidOperationException($"the report was not written: exit {exit}");
                }

                var peak = Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024);
                var mib = (GC.GetTotalAllocatedBytes(precise: true) - allocated) / (1024.0 * 1024);
                var size = new FileInfo(page).Length / (1024.0 * 1024);
                var load = ChromiumLoad(page);
                Console.WriteLine($"{count,12} {watch.ElapsedMilliseconds,10} {cpuMs,8} {peak,21:F0} {mib,14:F0} {size,9:F1} {(load is null ? "no chromium" : load.Value.ToString(CultureInfo.InvariantCulture)),17}");
                Console.WriteLine($"             page kept at {page}");
            }
            finally
            {
                Directory.Delete(dir, recursive: true);
            }
        }

        return 0;
    }

    // Headless Chromium's time to load, parse, style and lay out the page (its DOM is serialized after the load
    // event), less the same for an empty page, which is the browser's own start-up; the best of three runs.
    private static long? ChromiumLoad(string page)
    {
        var chromium = Environment.GetEnvironmentVariable("AIBASELINE_CHROMIUM") is { Length: > 0 } given && File.Exists(given) ? given
            : (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Select(d => Path.Combine(d, "chromium")).FirstOrDefault(File.Exists);
        if (chromium is null)
        {
            return null;
        }

        var empty = Path.Combine(Path.GetTempPath(), "aibaseline-empty.html");
        File.WriteAllText(empty, "<!DOCTYPE html><html><body></body></html>");
        long Best(string file) => Enumerable.Range(0, 3).Min(_ => DumpDom(chromium, file));
        return Math.Max(0, Best(page) - Best(empty));
    }

    private static long DumpDom(string chromium, string file)
    {
        var profile = Directory.CreateTempSubdirectory("aibaseline-chromium-");
        try
        {
            var start = new ProcessStartInfo(chromium) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var argument in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", $"--user-data-dir={profile.FullName}", "--dump-dom", new Uri(file).AbsoluteUri })
            {
                start.ArgumentList.Add(argument);
            }

            start.Environment["DBUS_SESSION_BUS_ADDRESS"] = "disabled:";
            var watch = Stopwatch.StartNew();
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.BaseStream.CopyToAsync(Stream.Null);
            var stderr = process.StandardError.ReadToEndAsync();
            process.WaitForExit();
            stdout.Wait();
            return process.ExitCode == 0 ? watch.ElapsedMilliseconds : throw new InvalidOperationException($"chromium exited {process.ExitCode}: {stderr.Result}");
        }
        finally
        {
            profile.Delete(recursive: true);
        }
    }
}
