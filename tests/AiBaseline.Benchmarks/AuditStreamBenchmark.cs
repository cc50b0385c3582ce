using System.Diagnostics;
using System.Globalization;
using AiBaseline.EmulatedCluster;

namespace AiBaseline.Benchmarks;

/// <summary>
/// The audit as a user runs it on a rendered estate: all N deployments of <see cref="ScaleManifests"/> (six objects
/// each) in one YAML stream, as <c>kubectl kustomize | aibaseline audit -</c> feeds it, read from standard input by
/// the built <c>aibaseline</c> (a process of its own), with the report written to a real file. Prints, for each size
/// and format, wall time and peak resident memory (from <c>/usr/bin/time</c>) and the report's size; then the time of a
/// bare parse of the same stream with PyYAML's C loader when python3 has it, the reference the targets compare with.
/// Run after building src/AiBaseline in Release:
/// <c>dotnet run -c Release --project tests/AiBaseline.Benchmarks -- audit-stream 1000 5000 10000</c>.
/// Targets: 10,000 deployments under 5 s and 1 GiB for text and JSON, at most the bare parse's time, linear in N.
/// </summary>
public static class AuditStreamBenchmark
{
    /// <summary>The first argument that selects this mode.</summary>
    public const string Mode = "audit-stream";

    public static int Run(IEnumerable<string> sizes)
    {
        var root = RepositoryRoot.Find();
        var audit = Path.Combine(root, "src", "AiBaseline", "bin", "Release", "net10.0", "aibaseline.dll");
        if (!File.Exists(audit) || !File.Exists("/usr/bin/time"))
        {
            Console.Error.WriteLine($"audit-stream needs {audit} (dotnet build src/AiBaseline -c Release) and /usr/bin/time");
            return 2;
        }

        var counts = sizes.Select(s => int.Parse(s, CultureInfo.InvariantCulture)).DefaultIfEmpty(1000).Order().ToList();
        Console.WriteLine($"{"deployments",12} {"input MB",9} {"format",7} {"wall s",7} {"µs/deployment",14} {"peak RSS MiB",13} {"report MB",10} {"exit",5}");
        var dir = Directory.CreateTempSubdirectory("aibaseline-stream-").FullName;
        try
        {
            foreach (var count in counts)
            {
                var input = Path.Combine(dir, $"stream-{count}.yaml");
                Generate(input, count);
                var megabytes = new FileInfo(input).Length / 1e6;
                foreach (var format in new[] { "text", "json" })
                {
                    var report = Path.Combine(dir, $"report-{count}.{format}");
                    var (seconds, peakKiB, exit) = Timed($"dotnet {Quote(audit)} audit - -o {format} < {Quote(input)} > {Quote(report)}", dir);
                    Console.WriteLine($"{count,12} {megabytes,9:F1} {format,7} {seconds,7:F2} {seconds * 1e6 / count,14:F0} {peakKiB / 1024.0,13:F0} {new FileInfo(report).Length / 1e6,10:F1} {exit,5}");
                }

                var (parse, parsePeak, parseExit) = Timed($"python3 -c {Quote("import sys, yaml; sum(1 for _ in yaml.load_all(open(sys.argv[1]), Loader=yaml.CLoader))")} {Quote(input)}", dir);
                Console.WriteLine(parseExit == 0
                    ? $"{count,12} {megabytes,9:F1} {"PyYAML",7} {parse,7:F2} {parse * 1e6 / count,14:F0} {parsePeak / 1024.0,13:F0}   (bare parse, yaml.CLoader)"
                    : $"{count,12} PyYAML with its C loader is not available here (exit {parseExit})");
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }

        return 0;
    }

    /// <summary>Runs a shell command under /usr/bin/time; returns its wall seconds, peak resident KiB and exit code.</summary>
    private static (double Seconds, long PeakKiB, int Exit) Timed(string command, string dir)
    {
        var measured = Path.Combine(dir, "time.txt");
        using var shell = Process.Start(new ProcessStartInfo("/bin/sh", ["-c", $"/usr/bin/time -f '%e %M' -o {Quote(measured)} sh -c {Quote(command)}"]) { RedirectStandardError = true })!;
        var errors = shell.StandardError.ReadToEnd();
        shell.WaitForExit();
        var fields = File.ReadAllLines(measured).Last().Split(' ');
        if (shell.ExitCode > 1)
        {
            Console.Error.WriteLine(errors);
        }

        return (double.Parse(fields[0], CultureInfo.InvariantCulture), long.Parse(fields[1], CultureInfo.InvariantCulture), shell.ExitCode);
    }

    private static string Quote(string text) => "'" + text.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private static void Generate(string path, int count)
    {
        using var writer = new StreamWriter(path);
        writer.Write(ScaleManifests.Profile);
        for (var i = 0; i < count; i++)
        {
            writer.Write("\n---\n");
            writer.Write(ScaleManifests.Deployment(i));
        }

        writer.Write('\n');
    }
}
