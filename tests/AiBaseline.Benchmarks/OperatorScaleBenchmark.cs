using System.Globalization;

namespace AiBaseline.Benchmarks;

/// <summary>
/// The operator at scale against the API emulator: for each N, seeds one BaselineProfile and N AIModelDeployments
/// (<see cref="ScaleManifests"/>: 100 per namespace, every tenth not compliant) into an in-process emulator, starts the
/// real operator as a child process and prints the time to converge, API calls per reconcile, the latency of single
/// changes in the steady state and the operator's resident memory. Run:
/// <c>dotnet run -c Release --project tests/AiBaseline.Benchmarks -- operator-scale 1000 10000</c>
/// (options <c>--max-concurrent-reconciles N</c>, default 4, and <c>--changes N</c>, default 200).
/// Targets at 10,000: converged under 60 s, change p99 under 200 ms, resident memory under 300 MB.
/// With <c>--kubeconfig FILE</c> it runs against that cluster instead, and with <c>--control-plane</c> against a real
/// control plane it starts from <c>KUBEBUILDER_ASSETS</c> (<see cref="RealServerScaleRun"/>); targets there at 10,000,
/// on 2 cores shared with etcd and the API server: converged under 120 s, change p99 under 500 ms, memory under 300 MiB.
/// </summary>
public static class OperatorScaleBenchmark
{
    /// <summary>The first argument that selects this mode.</summary>
    public const string Mode = "operator-scale";

    public static async Task<int> RunAsync(IReadOnlyList<string> arguments)
    {
        var sizes = new List<int>();
        var options = new OperatorScaleOptions(MaxConcurrentReconciles: 4, Changes: 200);
        string? kubeconfig = null;
        var controlPlane = false;
        for (var i = 0; i < arguments.Count; i++)
        {
            switch (arguments[i])
            {
                case "--kubeconfig":
                    kubeconfig = i + 1 < arguments.Count ? arguments[++i] : throw new ArgumentException($"{Mode}: --kubeconfig needs a file");
                    break;
                case "--control-plane":
                    controlPlane = true;
                    break;
                case "--max-concurrent-reconciles":
                    options = options with { MaxConcurrentReconciles = Number(arguments, ++i) };
                    break;
                case "--changes":
                    options = options with { Changes = Number(arguments, ++i) };
                    break;
                default:
                    sizes.Add(Number(arguments, i));
                    break;
            }
        }

        Console.WriteLine($"command: dotnet run -c Release --project tests/AiBaseline.Benchmarks -- {Mode} {string.Join(' ', arguments)}");
        ControlPlane.ControlPlane? plane = null;
        if (controlPlane)
        {
            var (assets, missing) = ControlPlane.ControlPlaneAssets.FromEnvironment();
            plane = await ControlPlane.ControlPlane.StartAsync(assets ?? throw new ArgumentException($"{Mode} --control-plane: {missing}"));
            kubeconfig = plane.AdminKubeconfig;
            Console.WriteLine($"server: a real control plane (etcd, kube-apiserver, kube-controller-manager) from {assets.Directory}, started in {plane.StartupTime.TotalSeconds:F1} s");
        }
        else if (kubeconfig is not null)
        {
            Console.WriteLine($"server: the current context of {kubeconfig}");
        }

        var where = kubeconfig is null ? "the emulator (this process)" : "the API server";
        Console.WriteLine($"machine: {Environment.ProcessorCount} cores shared by {where}, the operator (child process) and other work; load average {LoadAverage()}");
        Console.WriteLine($"operator: --max-concurrent-reconciles {options.MaxConcurrentReconciles} --log-level Warning; {options.Changes} steady-state changes per size");
        try
        {
            var ordered = sizes.DefaultIfEmpty(1000).Order().ToList();
            foreach (var count in ordered)
            {
                Console.WriteLine();
                Console.WriteLine($"== {count:N0} AIModelDeployments ==");
                if (kubeconfig is null)
                {
                    Print(await OperatorScaleRun.RunAsync(count, options));
                }
                else
                {
                    var real = await RealServerScaleRun.RunAsync(count, options, kubeconfig, plane?.ProcessIds, cleanUp: plane is null || count != ordered[^1]);
                    Print(real.Figures);
                    Console.WriteLine($"  API server flow control while converging: {real.Flow.Throttled:N0} answered 429, {real.Flow.Rejected:N0} rejected, {real.Flow.QueuedSeconds:F2} s queued in all");
                    var server = real.Cpu.ServerSeconds is { } s ? $"{s:F1} s by the server ({s * 1000 / count:F1} ms per deployment: {string.Join(", ", real.Cpu.ServerByProcess.OrderByDescending(p => p.Value).Select(p => $"{p.Key} {p.Value * 1000 / count:F1}"))})" : "unknown for the server (not started here)";
                    Console.WriteLine($"  CPU time from operator start to convergence: {real.Cpu.OperatorSeconds:F1} s by the operator ({real.Cpu.OperatorSeconds * 1000 / count:F1} ms per deployment), {server}");
                    Console.WriteLine($"  one compliant deployment's status plus the managed fields of its status writes: {real.StatusBytes:N0} bytes (target < 6 KB)");
                    Console.WriteLine($"  profile change re-judging every deployment: all statuses followed in {real.Rejudged.TotalSeconds:F1} s; operator peak resident memory then {real.PeakAfterRejudge.PeakResidentMiB:F0} MiB, resident {real.PeakAfterRejudge.ResidentMiB:F0} MiB");
                }

                Console.WriteLine($"  load average after: {LoadAverage()}");
            }
        }
        finally
        {
            if (plane is not null)
            {
                await plane.DisposeAsync();
            }
        }

        return 0;
    }

    private static void Print(OperatorScaleFigures f)
    {
        Console.WriteLine($"  seeded {f.Objects:N0} objects in {f.Seed.TotalSeconds:F1} s");
        Console.WriteLine($"  converged: first status {f.FirstStatus.TotalSeconds:F1} s, every deployment observed {f.Converged.TotalSeconds:F1} s after the operator process started (target < 60 s at 10,000)");
        var total = f.Calls.Sum(c => c.Count);
        Console.WriteLine($"  API calls until converged: {total:N0} non-watch calls / {f.Reconciles:N0} reconciles = {total / Math.Max(1, f.Reconciles):F2} per reconcile ({f.Reconciles / f.Deployments:F2} reconciles per deployment)");
        foreach (var call in f.Calls)
        {
            Console.WriteLine($"    {call.Verb,-7} {call.Resource,-45} {call.Count,9:N0}  {call.Count / Math.Max(1, f.Reconciles),6:F2} per reconcile");
        }

        var l = f.ChangeLatencies;
        if (l.Length > 0)
        {
            Console.WriteLine($"  steady state, {l.Length} single changes (image tag <-> digest), change call returned -> new Ready status stored: " +
                $"p50 {Percentile(l, 0.50):F0} ms, p90 {Percentile(l, 0.90):F0} ms, p99 {Percentile(l, 0.99):F0} ms, max {l[^1]:F0} ms (target p99 < 200 ms)");
        }

        Console.WriteLine($"  operator resident memory: peak {f.Steady.PeakResidentMiB:F0} MiB (at convergence {f.PeakAtConvergence.PeakResidentMiB:F0} MiB), steady {f.Steady.ResidentMiB:F0} MiB of which managed heap {f.ManagedHeapMiB:F0} MiB (target < 300 MB at 10,000)");
    }

    /// <summary>Nearest-rank percentile of sorted values.</summary>
    private static double Percentile(IReadOnlyList<double> sorted, double p) =>
        sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];

    private static int Number(IReadOnlyList<string> arguments, int i) =>
        i < arguments.Count && int.TryParse(arguments[i], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : throw new ArgumentException($"{Mode}: expected a positive number at argument {i + 1}, got '{(i < arguments.Count ? arguments[i] : "nothing")}'");

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";
}
