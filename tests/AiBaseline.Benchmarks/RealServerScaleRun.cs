using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using AiBaseline.Api.V1Alpha1;
using AiBaseline.EmulatedCluster;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace AiBaseline.Benchmarks;

/// <summary>What the API server's flow control (API Priority and Fairness) did while the operator worked.</summary>
/// <param name="Throttled">Requests the server answered 429 (<c>apiserver_request_total{code="429"}</c>).</param>
/// <param name="Rejected">Requests flow control rejected (<c>apiserver_flowcontrol_rejected_requests_total</c>).</param>
/// <param name="QueuedSeconds">Time requests waited in flow-control queues, summed (<c>apiserver_flowcontrol_request_wait_duration_seconds_sum</c>).</param>
internal sealed record FlowControl(double Throttled, double Rejected, double QueuedSeconds);

/// <summary>What one size measured on a real API server, beyond what the emulator run measures.</summary>
/// <param name="Figures">The same figures as the emulator run (calls counted by the operator's own client).</param>
/// <param name="Flow">The server's flow control from operator start to convergence.</param>
/// <param name="StatusBytes">One compliant deployment's status plus the managed fields of its status writes, in bytes.</param>
/// <param name="Rejudged">From a profile change that turns every compliant deployment not compliant to every status showing it.</param>
/// <param name="PeakAfterRejudge">The operator's peak resident memory after that re-judgement.</param>
/// <param name="Cpu">CPU time spent from operator start to convergence, by the operator and by the server's processes.</param>
internal sealed record RealServerFigures(OperatorScaleFigures Figures, FlowControl Flow, int StatusBytes, TimeSpan Rejudged, ProcessMemory PeakAfterRejudge, CpuTime Cpu);

/// <summary>CPU seconds (user plus system) of the operator and of the server's processes over one interval; the server's are unknown for a cluster reached by kubeconfig.</summary>
internal sealed record CpuTime(double OperatorSeconds, double? ServerSeconds)
{
    /// <summary>The server's CPU seconds by process name (etcd, kube-apiserver, kube-controller-manager), when started here.</summary>
    public IReadOnlyDictionary<string, double> ServerByProcess { get; init; } = new Dictionary<string, double>();

    /// <summary>CPU seconds so far of each process, by its name.</summary>
    public static Dictionary<string, double> ByName(IReadOnlyList<int>? pids) =>
        (pids ?? []).Select(pid => (Name: NameOf(pid), Seconds: Of(pid))).Where(p => p.Seconds is not null)
            .GroupBy(p => p.Name).ToDictionary(g => g.Key, g => g.Sum(p => p.Seconds!.Value));

    private static string NameOf(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/comm").Trim();
        }
        catch (IOException)
        {
            return pid.ToString(CultureInfo.InvariantCulture);
        }
    }

    /// <summary>User plus system CPU seconds of a process so far, from <c>/proc/PID/stat</c>; null when it cannot be read.</summary>
    public static double? Of(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (double.Parse(fields[11], CultureInfo.InvariantCulture) + double.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    /// <summary>The summed CPU seconds of <paramref name="pids"/>, or null when any cannot be read.</summary>
    public static double? Sum(IReadOnlyList<int>? pids) =>
        pids is null ? null : pids.Select(Of).Aggregate((double?)0, (total, one) => total is null || one is null ? null : total + one);
}

/// <summary>
/// <c>operator-scale</c> on a real API server (<c>--kubeconfig FILE</c>, or <c>--control-plane</c> to start one from
/// <c>KUBEBUILDER_ASSETS</c>): seeds the estate through the API (workloads scaled to zero), runs the real operator as a
/// child process, and measures as the emulator run does, with calls counted from the operator's
/// <c>rest_client_requests_total</c>, plus the server's flow control, the size of each status write, and a profile change
/// that re-judges every deployment.
/// </summary>
internal static class RealServerScaleRun
{
    /// <param name="count">How many deployments.</param>
    /// <param name="options">The operator's options.</param>
    /// <param name="kubeconfig">The cluster.</param>
    /// <param name="serverProcesses">The server's processes, when started here, for their CPU time.</param>
    /// <param name="cleanUp">Delete what was seeded and wait until it is gone; not needed when the cluster is thrown away next.</param>
    public static async Task<RealServerFigures> RunAsync(int count, OperatorScaleOptions options, string kubeconfig, IReadOnlyList<int>? serverProcesses, bool cleanUp)
    {
        using var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig));
        var repository = RepositoryRoot.Find();
        var seedClock = Stopwatch.StartNew();
        await InstallCrdsAsync(client, repository);
        var objects = await SeedAsync(client, count);
        seedClock.Stop();

        var port = OperatorProcess.FreeLoopbackPort();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var metrics = new OperatorMetricsScrape(http, $"http://127.0.0.1:{port}/metrics");
        string[] arguments =
        [
            "--kubeconfig", kubeconfig, "--metrics-bind-address", $"127.0.0.1:{port}", "--health-probe-bind-address", "0",
            "--max-concurrent-reconciles", options.MaxConcurrentReconciles.ToString(CultureInfo.InvariantCulture),
            "--log-level", "Warning", "--log-format", "console",
        ];

        var flowBefore = await FlowControlAsync(client);
        var clock = new Stopwatch();
        await using var observed = await StatusObserver.StartAsync(client, Observed, clock);
        var serverCpuBefore = CpuTime.Sum(serverProcesses);
        var serverByProcessBefore = CpuTime.ByName(serverProcesses);
        clock.Start();
        await using var child = OperatorProcess.Start(repository, arguments, line => Console.WriteLine("    [operator] " + line));
        try
        {
            var (first, converged) = await observed.UntilEveryAsync(count, child);
            await observed.DisposeAsync();
            var cpu = new CpuTime(CpuTime.Of(child.Id) ?? double.NaN, CpuTime.Sum(serverProcesses) - serverCpuBefore)
            {
                ServerByProcess = CpuTime.ByName(serverProcesses).ToDictionary(p => p.Key, p => p.Value - serverByProcessBefore.GetValueOrDefault(p.Key)),
            };
            var flowAfter = await FlowControlAsync(client);
            var calls = await metrics.RequestsAsync();
            var reconciles = await metrics.ReconcilesAsync();
            var peak = child.Memory() ?? throw new InvalidOperationException("the operator ended during convergence");
            var statusBytes = await StatusBytesAsync(client, Enumerable.Range(0, count).First(ScaleManifests.Compliant));

            await SettleAsync(metrics);
            var latencies = await ChangeAsync(client, count, options.Changes);
            await SettleAsync(metrics);
            var steady = child.Memory() ?? throw new InvalidOperationException("the operator ended during the steady-state changes");
            var heap = await metrics.ManagedHeapMiBAsync();

            // A policy change that concerns every deployment: no registry is trusted any more.
            var rejudge = new Stopwatch();
            await using var rejudged = await StatusObserver.StartAsync(client, item => ReadyIs(item, "False"), rejudge);
            rejudge.Start();
            var profile = new JsonObject { ["spec"] = new JsonObject { ["images"] = new JsonObject { ["trustedRegistries"] = new JsonArray("registry.other.example/") } } };
            await client.CustomObjects.PatchClusterCustomObjectAsync(new V1Patch(profile.ToJsonString(), V1Patch.PatchType.MergePatch), ApiGroup.Group, ApiGroup.Version, ApiGroup.BaselineProfilePlural, "default");
            await rejudged.UntilEveryAsync(count, child);
            var afterRejudge = child.Memory() ?? throw new InvalidOperationException("the operator ended during the re-judgement");

            var figures = new OperatorScaleFigures(count, objects, seedClock.Elapsed, first, converged, reconciles, calls, latencies, peak, steady, heap);
            return new RealServerFigures(figures, flowAfter with { Throttled = flowAfter.Throttled - flowBefore.Throttled, Rejected = flowAfter.Rejected - flowBefore.Rejected, QueuedSeconds = flowAfter.QueuedSeconds - flowBefore.QueuedSeconds }, statusBytes, rejudge.Elapsed, afterRejudge, cpu);
        }
        finally
        {
            await child.StopAsync(TimeSpan.FromSeconds(10));
            if (cleanUp)
            {
                await RemoveAsync(client, count);
            }
        }
    }

    private static async Task InstallCrdsAsync(Kubernetes client, string repository)
    {
        foreach (var file in Directory.GetFiles(Path.Combine(repository, "crds"), "*.yaml"))
        {
            var crd = KubernetesYaml.Deserialize<V1CustomResourceDefinition>(await File.ReadAllTextAsync(file));
            var body = JsonNode.Parse(KubernetesJson.Serialize(crd))!.AsObject();
            body.Remove("status");
            await client.ApiextensionsV1.PatchCustomResourceDefinitionAsync(new V1Patch(body.ToJsonString(), V1Patch.PatchType.ApplyPatch), crd.Metadata.Name, fieldManager: "operator-scale", force: true);
        }

        for (var served = false; !served; await Task.Delay(200))
        {
            try
            {
                await client.CustomObjects.ListClusterCustomObjectAsync(ApiGroup.Group, ApiGroup.Version, ApiGroup.BaselineProfilePlural, limit: 1);
                served = true;
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
            {
                // Not served yet.
            }
        }
    }

    /// <summary>Creates the profile, the namespaces and every deployment's objects, 16 requests at a time.</summary>
    private static async Task<int> SeedAsync(Kubernetes client, int count)
    {
        var created = 0;
        foreach (var ns in Enumerable.Range(0, count).Select(ScaleManifests.Namespace).Distinct())
        {
            await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = ns } });
        }

        foreach (var profile in KubernetesYaml.LoadAllFromString(ScaleManifests.Profile, ApiGroup.KindTypes()).Cast<BaselineProfile>())
        {
            await client.CustomObjects.CreateClusterCustomObjectAsync(profile, ApiGroup.Group, ApiGroup.Version, ApiGroup.BaselineProfilePlural);
            created++;
        }

        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
        {
            foreach (var obj in KubernetesYaml.LoadAllFromString(ScaleManifests.Deployment(i, replicas: 0), ApiGroup.KindTypes()))
            {
                await CreateAsync(client, obj, ScaleManifests.Namespace(i), ct);
                Interlocked.Increment(ref created);
            }
        });
        return created;
    }

    private static Task CreateAsync(Kubernetes client, object obj, string ns, CancellationToken ct) => obj switch
    {
        AIModelDeployment d => client.CustomObjects.CreateNamespacedCustomObjectAsync(d, ApiGroup.Group, ApiGroup.Version, ns, ApiGroup.AIModelDeploymentPlural, cancellationToken: ct),
        V1Deployment d => client.AppsV1.CreateNamespacedDeploymentAsync(d, ns, cancellationToken: ct),
        V1NetworkPolicy p => client.NetworkingV1.CreateNamespacedNetworkPolicyAsync(p, ns, cancellationToken: ct),
        V1Secret s => client.CoreV1.CreateNamespacedSecretAsync(s, ns, cancellationToken: ct),
        V1ServiceAccount a => client.CoreV1.CreateNamespacedServiceAccountAsync(a, ns, cancellationToken: ct),
        _ => throw new ArgumentException($"operator-scale does not create {obj.GetType().Name}", nameof(obj)),
    };

    /// <summary>Deletes the namespaces and the profile, so the next size starts from an empty estate.</summary>
    private static async Task RemoveAsync(Kubernetes client, int count)
    {
        foreach (var ns in Enumerable.Range(0, count).Select(ScaleManifests.Namespace).Distinct())
        {
            await client.CoreV1.DeleteNamespaceAsync(ns);
        }

        await client.CustomObjects.DeleteClusterCustomObjectAsync(ApiGroup.Group, ApiGroup.Version, ApiGroup.BaselineProfilePlural, "default");
        while ((await client.CoreV1.ListNamespaceAsync()).Items.Any(n => n.Metadata.Name.StartsWith("team-", StringComparison.Ordinal)))
        {
            await Task.Delay(1000);
        }
    }

    /// <summary>
    /// Waits until every deployment's status satisfies a condition, as a user watching them would see it:
    /// one list, then one watch of every AIModelDeployment, so that observing costs the server what a
    /// <c>kubectl get -w</c> costs and not a GET per deployment per poll.
    /// </summary>
    private sealed class StatusObserver : IAsyncDisposable
    {
        private readonly Kubernetes client;
        private readonly Func<JsonElement, bool> holds;
        private readonly HashSet<string> done = [];
        private readonly CancellationTokenSource stop = new();
        private readonly Stopwatch clock;
        private TimeSpan? first;
        private string resourceVersion = "";
        private Task watching = Task.CompletedTask;

        private StatusObserver(Kubernetes client, Func<JsonElement, bool> holds, Stopwatch clock) => (this.client, this.holds, this.clock) = (client, holds, clock);

        private static string Path => $"/apis/{ApiGroup.Group}/{ApiGroup.Version}/{ApiGroup.AIModelDeploymentPlural}";

        /// <summary>Lists now; what changes after this call is seen by the watch, timed by <paramref name="clock"/>.</summary>
        public static async Task<StatusObserver> StartAsync(Kubernetes client, Func<JsonElement, bool> holds, Stopwatch clock)
        {
            var observer = new StatusObserver(client, holds, clock);
            string? next = null;
            do
            {
                var query = "?limit=500" + (next is null ? "" : "&continue=" + Uri.EscapeDataString(next));
                using var page = JsonDocument.Parse(await client.HttpClient.GetStringAsync(new Uri(client.BaseUri, Path + query)));
                foreach (var item in page.RootElement.GetProperty("items").EnumerateArray())
                {
                    observer.See(item);
                }

                var metadata = page.RootElement.GetProperty("metadata");
                observer.resourceVersion = metadata.GetProperty("resourceVersion").GetString()!;
                next = metadata.TryGetProperty("continue", out var c) ? c.GetString() : null;
            }
            while (!string.IsNullOrEmpty(next));

            observer.watching = Task.Run(observer.WatchAsync);
            return observer;
        }

        /// <summary>The time of the first and of the last deployment to satisfy the condition.</summary>
        public async Task<(TimeSpan First, TimeSpan All)> UntilEveryAsync(int count, OperatorProcess child)
        {
            while (true)
            {
                lock (done)
                {
                    if (done.Count >= count)
                    {
                        return (first ?? clock.Elapsed, clock.Elapsed);
                    }
                }

                if (child.Exited.IsCompleted)
                {
                    throw new InvalidOperationException($"the operator exited with code {await child.Exited}");
                }

                if (watching.IsFaulted)
                {
                    await watching;
                }

                if (clock.Elapsed > TimeSpan.FromMinutes(15))
                {
                    lock (done)
                    {
                        throw new TimeoutException($"{count - done.Count} deployments still waiting after 15 minutes");
                    }
                }

                await Task.Delay(20);
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (stop.IsCancellationRequested)
            {
                return;
            }

            await stop.CancelAsync();
            try
            {
                await watching;
            }
            catch (Exception e) when (e is OperationCanceledException or HttpRequestException or IOException)
            {
                // Stopped.
            }

        }

        private void See(JsonElement item)
        {
            if (!holds(item))
            {
                return;
            }

            var metadata = item.GetProperty("metadata");
            lock (done)
            {
                if (done.Add(metadata.GetProperty("namespace").GetString() + "/" + metadata.GetProperty("name").GetString()))
                {
                    first ??= clock.Elapsed;
                }
            }
        }

        private async Task WatchAsync()
        {
            while (!stop.IsCancellationRequested)
            {
                var query = "?watch=true&allowWatchBookmarks=true&timeoutSeconds=600&resourceVersion=" + Uri.EscapeDataString(resourceVersion);
                using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(client.BaseUri, Path + query));
                using var response = await client.HttpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, stop.Token);
                response.EnsureSuccessStatusCode();
                using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(stop.Token));
                while (await reader.ReadLineAsync(stop.Token) is { } line)
                {
                    using var watchEvent = JsonDocument.Parse(line);
                    var type = watchEvent.RootElement.GetProperty("type").GetString();
                    var obj = watchEvent.RootElement.GetProperty("object");
                    if (type == "ERROR")
                    {
                        throw new InvalidOperationException("the watch of AIModelDeployments failed: " + obj.GetRawText());
                    }

                    resourceVersion = obj.GetProperty("metadata").GetProperty("resourceVersion").GetString()!;
                    if (type is "ADDED" or "MODIFIED")
                    {
                        See(obj);
                    }
                }
            }
        }
    }

    private static async Task<JsonElement?> StatusAsync(Kubernetes client, int i)
    {
        var obj = (JsonElement)await client.CustomObjects.GetNamespacedCustomObjectAsync(ApiGroup.Group, ApiGroup.Version, ScaleManifests.Namespace(i), ApiGroup.AIModelDeploymentPlural, ScaleManifests.Name(i));
        return obj.TryGetProperty("status", out var status) ? status : null;
    }

    private static bool Observed(JsonElement item) =>
        item.TryGetProperty("status", out var status) && status.TryGetProperty("observedGeneration", out _);

    private static bool ReadyIs(JsonElement item, string expected) =>
        item.TryGetProperty("status", out var status) && status.TryGetProperty("conditions", out var conditions)
        && conditions.EnumerateArray().Any(c => c.GetProperty("type").GetString() == ConditionTypes.Ready && c.GetProperty("status").GetString() == expected);

    private static async Task<bool> ReadyIsAsync(Kubernetes client, int i, string expected) =>
        await StatusAsync(client, i) is { } status && status.TryGetProperty("conditions", out var conditions)
        && conditions.EnumerateArray().Any(c => c.GetProperty("type").GetString() == ConditionTypes.Ready && c.GetProperty("status").GetString() == expected);

    /// <summary>The status and the managed fields of its writes, as the API server stores them, in bytes of compact JSON.</summary>
    private static async Task<int> StatusBytesAsync(Kubernetes client, int i)
    {
        var obj = JsonNode.Parse(((JsonElement)await client.CustomObjects.GetNamespacedCustomObjectAsync(ApiGroup.Group, ApiGroup.Version, ScaleManifests.Namespace(i), ApiGroup.AIModelDeploymentPlural, ScaleManifests.Name(i))).GetRawText())!;
        var managed = new JsonArray([.. obj["metadata"]!["managedFields"]!.AsArray().Where(m => (string?)m!["subresource"] == "status").Select(m => m!.DeepClone())]);
        var sample = Path.Combine(RepositoryRoot.Find(), "artifacts", "operator-scale-status.json");
        Directory.CreateDirectory(Path.GetDirectoryName(sample)!);
        await File.WriteAllTextAsync(sample, new JsonObject { ["status"] = obj["status"]!.DeepClone(), ["managedFields"] = managed.DeepClone() }.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        return obj["status"]!.ToJsonString().Length + managed.ToJsonString().Length;
    }

    /// <summary>Single image changes, one at a time, timed from the patch call's return to the new Ready status read back.</summary>
    private static async Task<ImmutableArray<double>> ChangeAsync(Kubernetes client, int count, int changes)
    {
        var compliant = Enumerable.Range(0, count).Where(ScaleManifests.Compliant).ToArray();
        var stride = Math.Max(1, compliant.Length / Math.Max(1, (changes + 1) / 2));
        var latencies = new List<double>(changes);
        for (var n = 0; n < changes; n++)
        {
            var i = compliant[(n / 2 * stride) % compliant.Length];
            var tagged = n % 2 == 0;
            var patch = new JsonArray(new JsonObject { ["op"] = "replace", ["path"] = "/spec/template/spec/containers/0/image", ["value"] = tagged ? ScaleManifests.TaggedImage : ScaleManifests.PinnedImage });
            await client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch(patch.ToJsonString(), V1Patch.PatchType.JsonPatch), ScaleManifests.Name(i), ScaleManifests.Namespace(i));
            var clock = Stopwatch.StartNew();
            while (!await ReadyIsAsync(client, i, tagged ? "False" : "True"))
            {
                if (clock.Elapsed > TimeSpan.FromSeconds(30))
                {
                    throw new TimeoutException($"{ScaleManifests.Namespace(i)}/{ScaleManifests.Name(i)} did not follow its image change within 30 s");
                }

                await Task.Delay(2);
            }

            latencies.Add(clock.Elapsed.TotalMilliseconds);
        }

        return [.. latencies.Order()];
    }

    private static async Task SettleAsync(OperatorMetricsScrape metrics)
    {
        var last = -1.0;
        var quietSince = Stopwatch.StartNew();
        while (quietSince.Elapsed < TimeSpan.FromSeconds(2))
        {
            var reconciles = await metrics.ReconcilesAsync();
            if (reconciles != last || await metrics.QueueDepthAsync() > 0)
            {
                last = reconciles;
                quietSince.Restart();
            }

            await Task.Delay(250);
        }
    }

    private static async Task<FlowControl> FlowControlAsync(Kubernetes client)
    {
        var text = await client.HttpClient.GetStringAsync(new Uri(client.BaseUri, "/metrics"));
        return new FlowControl(
            OperatorMetricsScrape.Sum(text, "apiserver_request_total{", "code=\"429\""),
            OperatorMetricsScrape.Sum(text, "apiserver_flowcontrol_rejected_requests_total{", ""),
            OperatorMetricsScrape.Sum(text, "apiserver_flowcontrol_request_wait_duration_seconds_sum{", ""));
    }
}
