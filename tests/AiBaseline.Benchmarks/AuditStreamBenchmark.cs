using System.Diagnostics;
using System.Globalization;
using AiBaseline.EmulatedCluster;

namespace AiBaseline.Benchmarks;

/// <summary>
/// The audit as a user runs it on a rendered estate: all N deployments of <see cref="ScaleManifests"/> (six objects
/// each) in one YAML stream, as <c>kubectl kustomize | aibaseline audit -</c> feeds it, read from standard input by
/// the built <c>aibaseline</c> (a process of its own), with the report written to a real file. Each round runs every
/// format and then a bare parse of the same stream with PyYAML's C loader, one after the other, so the machine's load
/// weighs on both alike; the table gives, per format, the median wall time, CPU time and peak resident memory (from
/// <c>/usr/bin/time</c>) of the rounds, the report's size, and the median of each round's ratio to the bare parse.
/// Run after building src/AiBaseline in Release:
/// <c>dotnet run -c Release --project tests/AiBaseline.Benchmarks -- audit-stream [--runs 3] [--formats text,json] [--keep DIR] [--serving] 1000 10000</c>:
/// <c>--keep</c> leaves the streams and reports in DIR (to profile the same input), <c>--serving</c> serves each deployment
/// by a LeaderWorkerSet, an InferenceService or a RayCluster in turn (<see cref="ServingKindsScaleBenchmark"/>), and
/// <c>--compare OTHER/aibaseline.dll</c> measures another build in the same rounds (rows <c>other:FORMAT</c>), for before
/// and after figures under the same load; <c>--audit DLL</c> measures a build other than this clone's.
/// Targets: 10,000 deployments under 5 s and 1 GiB for text and JSON, at most the bare parse's time, linear in N.
/// </summary>
public static class AuditStreamBenchmark
{
    /// <summary>The first argument that selects this mode.</summary>
    public const string Mode = "audit-stream";

    private const string PyYaml = "PyYAML";

    public static int Run(IEnumerable<string> arguments)
    {
        var (counts, runs, formats, keep, serving, compare, audit) = Parse([.. arguments]);
        audit ??= Path.Combine(RepositoryRoot.Find(), "src", "AiBaseline", "bin", "Release", "net10.0", "aibaseline.dll");
        if (!File.Exists(audit) || !File.Exists("/usr/bin/time"))
        {
            Console.Error.WriteLine($"audit-stream needs {audit} (dotnet build src/AiBaseline -c Release) and /usr/bin/time");
            return 2;
        }

        var builds = new List<(string Label, string Dll)> { ("", audit) };
        if (compare is not null)
        {
            builds.Add(("other:", compare));
        }

        var rows = builds.SelectMany(b => formats.Select(f => (Row: b.Label + f, b.Dll, Format: f))).ToList();
        var dir = keep ?? Directory.CreateTempSubdirectory("aibaseline-stream-").FullName;
        Directory.CreateDirectory(dir);
        Console.WriteLine($"{runs} round{(runs == 1 ? "" : "s")} per size, medians; load average {LoadAverage()} at the start");
        Console.WriteLine($"{"deployments",12} {"input MB",9} {"format",7} {"wall s",7} {"cpu s",6} {"µs/deployment",14} {"peak RSS MiB",13} {"report MB",10} {"× parse",8} {"exit",5}");
        try
        {
            foreach (var count in counts)
            {
                var input = Path.Combine(dir, $"stream-{count}{(serving ? "-serving" : "")}.yaml");
                Generate(input, count, serving);
                var megabytes = new FileInfo(input).Length / 1e6;
                var measured = rows.Select(r => r.Row).Append(PyYaml).ToDictionary(f => f, _ => new List<Measurement>());
                for (var round = 0; round < runs; round++)
                {
                    foreach (var (row, dll, format) in rows)
                    {
                        var report = Path.Combine(dir, $"report-{count}.{row.Replace(':', '-')}");
                        measured[row].Add(Timed($"dotnet {Quote(dll)} audit - -o {format} < {Quote(input)} > {Quote(report)}", dir));
                    }

                    measured[PyYaml].Add(Timed($"python3 -c {Quote("import sys, yaml; sum(1 for _ in yaml.load_all(open(sys.argv[1]), Loader=yaml.CLoader))")} {Quote(input)}", dir));
                }

                var parse = measured[PyYaml];
                foreach (var (row, _, _) in rows)
                {
                    var m = measured[row];
                    var ratio = Median(m.Zip(parse, (a, p) => a.Seconds / p.Seconds));
                    var report = new FileInfo(Path.Combine(dir, $"report-{count}.{row.Replace(':', '-')}")).Length / 1e6;
                    Console.WriteLine($"{count,12} {megabytes,9:F1} {row,7} {Median(m.Select(x => x.Seconds)),7:F2} {Median(m.Select(x => x.CpuSeconds)),6:F2} "
                        + $"{Median(m.Select(x => x.Seconds)) * 1e6 / count,14:F0} {Median(m.Select(x => x.PeakKiB / 1024.0)),13:F0} {report,10:F1} {ratio,8:F2} {m[^1].Exit,5}");
                }

                Console.WriteLine(parse.All(p => p.Exit == 0)
                    ? $"{count,12} {megabytes,9:F1} {PyYaml,7} {Median(parse.Select(x => x.Seconds)),7:F2} {Median(parse.Select(x => x.CpuSeconds)),6:F2} "
                        + $"{Median(parse.Select(x => x.Seconds)) * 1e6 / count,14:F0} {Median(parse.Select(x => x.PeakKiB / 1024.0)),13:F0}   (bare parse, yaml.CLoader)"
                    : $"{count,12} PyYAML with its C loader is not available here (exit {parse[^1].Exit}): ratios are meaningless");
            }
        }
        finally
        {
            if (keep is null)
            {
                Directory.Delete(dir, recursive: true);
            }
        }

        Console.WriteLine($"load average {LoadAverage()} at the end");
        return 0;
    }

    private static (List<int> Counts, int Runs, List<string> Formats, string? Keep, bool Serving, string? Compare, string? Audit) Parse(List<string> arguments)
    {
        string? compare = null;
        string? audit = null;
        var counts = new List<int>();
        var serving = false;
        var runs = 3;
        List<string> formats = ["text", "json"];
        string? keep = null;
        for (var i = 0; i < arguments.Count; i++)
        {
            switch (arguments[i])
            {
                case "--runs": runs = int.Parse(arguments[++i], CultureInfo.InvariantCulture); break;
                case "--formats": formats = [.. arguments[++i].Split(',', StringSplitOptions.RemoveEmptyEntries)]; break;
                case "--keep": keep = Path.GetFullPath(arguments[++i]); break;
                case "--serving": serving = true; break;
                case "--compare": compare = Path.GetFullPath(arguments[++i]); break;
                case "--audit": audit = Path.GetFullPath(arguments[++i]); break;
                default: counts.Add(int.Parse(arguments[i], CultureInfo.InvariantCulture)); break;
            }
        }

        return (counts.DefaultIfEmpty(1000).Order().ToList(), Math.Max(1, runs), formats, keep, serving, compare, audit);
    }

    private sealed record Measurement(double Seconds, double CpuSeconds, long PeakKiB, int Exit);

    /// <summary>Runs a shell command under /usr/bin/time; returns its wall and CPU seconds, peak resident KiB and exit code.</summary>
    private static Measurement Timed(string command, string dir)
    {
        var measured = Path.Combine(dir, "time.txt");
        using var shell = Process.Start(new ProcessStartInfo("/bin/sh", ["-c", $"/usr/bin/time -f '%e %U %S %M' -o {Quote(measured)} sh -c {Quote(command)}"]) { RedirectStandardError = true })!;
        var errors = shell.StandardError.ReadToEnd();
        shell.WaitForExit();
        var fields = File.ReadAllLines(measured).Last().Split(' ').Select(f => double.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        if (shell.ExitCode > 1)
        {
            Console.Error.WriteLine(errors);
        }

        return new Measurement(fields[0], fields[1] + fields[2], (long)fields[3], shell.ExitCode);
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    private static string Quote(string text) => "'" + text.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private static void Generate(string path, int count, bool serving)
    {
        using var writer = new StreamWriter(path);
        writer.Write(ScaleManifests.Profile);
        for (var i = 0; i < count; i++)
        {
            writer.Write("\n---\n");
            writer.Write(serving ? ServingKindsScaleBenchmark.Deployment(i) : ScaleManifests.Deployment(i));
        }

        writer.Write('\n');
    }
}
