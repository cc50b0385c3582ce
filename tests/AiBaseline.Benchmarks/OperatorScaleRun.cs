using System.Collections.Immutable;
using System.Diagnostics;
using System.Text.Json.Nodes;
using AiBaseline.Api.V1Alpha1;
using AiBaseline.EmulatedCluster;
using AiBaseline.KubeEmulator;
using k8s;
using k8s.Models;
using Emulator = AiBaseline.KubeEmulator.KubeEmulator;

namespace AiBaseline.Benchmarks;

/// <summary>How one size of <c>operator-scale</c> runs.</summary>
/// <param name="MaxConcurrentReconciles">The operator's <c>--max-concurrent-reconciles</c>.</param>
/// <param name="Changes">Single changes made in the steady state.</param>
internal sealed record OperatorScaleOptions(int MaxConcurrentReconciles, int Changes);

/// <summary>API calls of one verb on one resource while the operator converged.</summary>
internal sealed record CallCount(string Verb, string Resource, int Count);

/// <summary>What one size measured.</summary>
/// <param name="Deployments">AIModelDeployments in the cluster.</param>
/// <param name="Objects">Objects seeded.</param>
/// <param name="Seed">Time to seed the emulator.</param>
/// <param name="FirstStatus">From starting the operator process to the first status written.</param>
/// <param name="Converged">From starting the operator process to every deployment having status.observedGeneration.</param>
/// <param name="Reconciles">controller_runtime_reconcile_total at convergence.</param>
/// <param name="Calls">Non-watch API calls from operator start to convergence, most frequent first.</param>
/// <param name="ChangeLatencies">Per steady-state change, from the change call's return to the new status stored, in ms, sorted.</param>
/// <param name="PeakAtConvergence">The operator's peak resident memory (VmHWM) when it had converged.</param>
/// <param name="Steady">The operator's resident memory (VmRSS) and peak after the steady-state changes.</param>
/// <param name="ManagedHeapMiB">The operator's managed heap after the steady-state changes, garbage included.</param>
internal sealed record OperatorScaleFigures(
    int Deployments,
    int Objects,
    TimeSpan Seed,
    TimeSpan FirstStatus,
    TimeSpan Converged,
    double Reconciles,
    ImmutableArray<CallCount> Calls,
    ImmutableArray<double> ChangeLatencies,
    ProcessMemory PeakAtConvergence,
    ProcessMemory Steady,
    double ManagedHeapMiB);

/// <summary>One size of <c>operator-scale</c>: seed an emulator, run the real operator as a child process, measure.</summary>
internal static class OperatorScaleRun
{
    public static async Task<OperatorScaleFigures> RunAsync(int count, OperatorScaleOptions options)
    {
        var seedClock = Stopwatch.StartNew();
        // Room for the seed, every status write and event, and the steady-state changes, so no watch is ever 410 Gone.
        await using var api = await Emulator.StartAsync(new KubeEmulatorOptions { AutoCreateNamespaces = true, EventHistoryCapacity = Math.Max(100_000, count * 20) });
        var repository = RepositoryRoot.Find();
        api.ApplyCrdsFrom(Path.Combine(repository, "crds"));
        var objects = ScaleSeed.Create(api, count);
        seedClock.Stop();

        var kubeconfig = api.WriteKubeconfig(Path.Combine(Path.GetTempPath(), $"operator-scale-{Environment.ProcessId}.kubeconfig"));
        var port = OperatorProcess.FreeLoopbackPort();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var metrics = new OperatorMetricsScrape(http, $"http://127.0.0.1:{port}/metrics");
        string[] arguments =
        [
            "--kubeconfig", kubeconfig, "--metrics-bind-address", $"127.0.0.1:{port}", "--health-probe-bind-address", "0",
            "--max-concurrent-reconciles", options.MaxConcurrentReconciles.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--log-level", "Warning", "--log-format", "console",
        ];

        api.Requests.Clear();
        var clock = Stopwatch.StartNew();
        await using var child = OperatorProcess.Start(repository, arguments, line => Console.WriteLine("    [operator] " + line));
        try
        {
            var (first, converged) = await ConvergeAsync(api, count, child, clock);
            var calls = api.Requests.Counts.Where(c => c.Key.Verb != "watch").Select(c => new CallCount(c.Key.Verb, c.Key.Resource, c.Value))
                .OrderByDescending(c => c.Count).ThenBy(c => c.Verb, StringComparer.Ordinal).ThenBy(c => c.Resource, StringComparer.Ordinal).ToImmutableArray();
            var reconciles = await metrics.ReconcilesAsync();
            var peak = child.Memory() ?? throw new InvalidOperationException("the operator ended during convergence");

            await SettleAsync(metrics);
            using var client = api.CreateClient();
            var latencies = await ChangeAsync(api, client, count, options.Changes);
            await SettleAsync(metrics);
            var steady = child.Memory() ?? throw new InvalidOperationException("the operator ended during the steady-state changes");
            var heap = await metrics.ManagedHeapMiBAsync();
            return new OperatorScaleFigures(count, objects, seedClock.Elapsed, first, converged, reconciles, calls, latencies, peak, steady, heap);
        }
        finally
        {
            await child.StopAsync(TimeSpan.FromSeconds(10));
            File.Delete(kubeconfig);
        }
    }

    /// <summary>
    /// Waits until every deployment has status.observedGeneration. The deployments are checked in one fixed order with
    /// a cursor that stops at the first one without status, so polling copies each object about once and leaves the
    /// shared cores to the operator and the emulator.
    /// </summary>
    private static async Task<(TimeSpan First, TimeSpan All)> ConvergeAsync(Emulator api, int count, OperatorProcess child, Stopwatch clock)
    {
        var cursor = 0;
        TimeSpan? first = null;
        var deadline = TimeSpan.FromMinutes(10);
        while (cursor < count)
        {
            while (cursor < count && Observed(api, cursor))
            {
                first ??= clock.Elapsed;
                cursor++;
            }

            if (first is null && api.Requests.Count("patch", "aimodeldeployments.aibaseline.io/status") > 0)
            {
                first = clock.Elapsed;
            }

            if (cursor < count)
            {
                if (child.Exited.IsCompleted)
                {
                    throw new InvalidOperationException($"the operator exited with code {await child.Exited} before converging");
                }

                if (clock.Elapsed > deadline)
                {
                    throw new TimeoutException($"{count - cursor} deployments still without status after {deadline.TotalMinutes} minutes");
                }

                await Task.Delay(50);
            }
        }

        return (first ?? clock.Elapsed, clock.Elapsed);
    }

    private static bool Observed(Emulator api, int i) =>
        api.Get(ApiGroup.GroupVersion, ApiGroup.AIModelDeploymentKind, ScaleManifests.Namespace(i), ScaleManifests.Name(i))?["status"]?["observedGeneration"] is not null;

    /// <summary>Waits until the work queue is empty and no reconcile happened for two seconds.</summary>
    private static async Task SettleAsync(OperatorMetricsScrape metrics)
    {
        var last = -1.0;
        var quietSince = Stopwatch.StartNew();
        while (true)
        {
            var reconciles = await metrics.ReconcilesAsync();
            if (reconciles != last || await metrics.QueueDepthAsync() > 0)
            {
                last = reconciles;
                quietSince.Restart();
            }
            else if (quietSince.Elapsed > TimeSpan.FromSeconds(2))
            {
                return;
            }

            await Task.Delay(250);
        }
    }

    /// <summary>
    /// Makes <paramref name="changes"/> single changes one at a time: each moves one compliant deployment's image to a tag
    /// (Ready turns False) or back to its digest (Ready turns True), and times from the patch call's return until the
    /// emulator holds the new Ready status.
    /// </summary>
    private static async Task<ImmutableArray<double>> ChangeAsync(Emulator api, IKubernetes client, int count, int changes)
    {
        var compliant = Enumerable.Range(0, count).Where(ScaleManifests.Compliant).ToArray();
        var stride = Math.Max(1, compliant.Length / Math.Max(1, (changes + 1) / 2));
        var latencies = new List<double>(changes);
        for (var n = 0; n < changes; n++)
        {
            var i = compliant[(n / 2 * stride) % compliant.Length];
            var (ns, name) = (ScaleManifests.Namespace(i), ScaleManifests.Name(i));
            var tagged = n % 2 == 0;
            // The whole container list goes in the patch: the emulator merges lists as a JSON merge patch does (replacing them).
            var containers = (JsonArray)api.Get("apps/v1", "Deployment", ns, name)!["spec"]!["template"]!["spec"]!["containers"]!.DeepClone();
            containers[0]!["image"] = tagged ? ScaleManifests.TaggedImage : ScaleManifests.PinnedImage;
            var patch = new JsonObject { ["spec"] = new JsonObject { ["template"] = new JsonObject { ["spec"] = new JsonObject { ["containers"] = containers } } } };
            var expected = tagged ? "False" : "True";
            await client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch), name, ns);
            var clock = Stopwatch.StartNew();
            while (Ready(api, ns, name) != expected)
            {
                if (clock.Elapsed > TimeSpan.FromSeconds(30))
                {
                    throw new TimeoutException($"{ns}/{name} did not become Ready={expected} within 30 s of its image change");
                }

                await Task.Delay(1);
            }

            latencies.Add(clock.Elapsed.TotalMilliseconds);
        }

        return [.. latencies.Order()];
    }

    private static string? Ready(Emulator api, string ns, string name) =>
        (api.Get(ApiGroup.GroupVersion, ApiGroup.AIModelDeploymentKind, ns, name)?["status"]?["conditions"] as JsonArray)?
            .FirstOrDefault(c => c?["type"]?.GetValue<string>() == "Ready")?["status"]?.GetValue<string>();
}
