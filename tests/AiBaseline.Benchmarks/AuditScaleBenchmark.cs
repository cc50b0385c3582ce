using System.Diagnostics;
using System.Globalization;
using AiBaseline.Audit;
using AiBaseline.Audit.Reports;

namespace AiBaseline.Benchmarks;

/// <summary>
/// The audit at scale: writes N deployments (AIModelDeployment, Deployment, two NetworkPolicies, a Secret
/// and a ServiceAccount each, one file per deployment, 100 per namespace: <see cref="ScaleManifests"/>) into a temporary folder, audits them
/// in-process with the text report, and prints wall time, peak working set and cost per deployment. Run:
/// <c>dotnet run -c Release --project tests/AiBaseline.Benchmarks -- audit-scale 1000 5000 10000</c>.
/// Targets: 10,000 deployments under 5 s and 1 GiB, cost linear in N.
/// </summary>
public static class AuditScaleBenchmark
{
    /// <summary>The first argument that selects this mode.</summary>
    public const string Mode = "audit-scale";

    public static int Run(IEnumerable<string> sizes)
    {
        var counts = sizes.Select(s => int.Parse(s, CultureInfo.InvariantCulture)).DefaultIfEmpty(1000).Order().ToList();
        Console.WriteLine($"{"deployments",12} {"wall ms",10} {"µs/deployment",14} {"peak working set MiB",21} {"allocated MiB",14}");
        foreach (var count in counts)
        {
            var dir = Directory.CreateTempSubdirectory("aibaseline-scale-").FullName;
            try
            {
                Generate(dir, count);
                GC.Collect();
                var allocated = GC.GetTotalAllocatedBytes(precise: true);
                var watch = Stopwatch.StartNew();
                var problems = new List<InputProblem>();
                var set = AuditRun.Load([dir], "default", TextReader.Null, problems);
                var loaded = watch.ElapsedMilliseconds;
                var verdicts = AuditRun.Evaluate(set, null, TimeProvider.System);
                var evaluated = watch.ElapsedMilliseconds;
                ReportWriter.Write(new AuditOptions([dir]), verdicts, TextWriter.Null, DateTimeOffset.UnixEpoch);
                var exit = problems.Count > 0 ? AuditExitCodes.BadInput : AuditRun.ExitCode(verdicts, failOnUnknown: false);
                watch.Stop();
                if (exit != AuditExitCodes.NotCompliant)
                {
                    throw new InvalidOperationException($"expected exit 1 (every tenth deployment is not compliant), got {exit}");
                }

                var peak = Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024);
                var mib = (GC.GetTotalAllocatedBytes(precise: true) - allocated) / (1024.0 * 1024);
                Console.WriteLine($"{count,12} {watch.ElapsedMilliseconds,10} {watch.Elapsed.TotalMicroseconds / count,14:F1} {peak,21:F0} {mib,14:F0}   (load {loaded} ms, evaluate {evaluated - loaded} ms, report {watch.ElapsedMilliseconds - evaluated} ms)");
            }
            finally
            {
                Directory.Delete(dir, recursive: true);
            }
        }

        return 0;
    }

    private static void Generate(string dir, int count)
    {
        for (var i = 0; i < count; i++)
        {
            File.WriteAllText(Path.Combine(dir, $"{ScaleManifests.Name(i)}.yaml"), ScaleManifests.Deployment(i));
        }

        File.WriteAllText(Path.Combine(dir, "profile.yaml"), ScaleManifests.Profile);
    }
}
