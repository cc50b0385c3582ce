using System.Globalization;
using AiBaseline.KubeEmulator;
using Emulator = AiBaseline.KubeEmulator.KubeEmulator;

namespace AiBaseline.EmulatedCluster;

/// <summary>What the command line asked for.</summary>
/// <param name="Kubeconfig">Where to write the kubeconfig; null for <c>&lt;repo&gt;/.tools/emulator.kubeconfig</c>.</param>
/// <param name="Port">The emulator's port; 0 for any free one.</param>
/// <param name="Operator">Whether to start the operator as a child process.</param>
/// <param name="Examples">Whether to create the objects of <c>examples/</c>.</param>
/// <param name="MetricsPort">The operator's metrics port; 0 for any free one.</param>
internal sealed record ClusterRunOptions(string? Kubeconfig, int Port, bool Operator, bool Examples, int MetricsPort);

/// <summary>The emulated cluster's life: start, seed, start the operator, print how to look, wait for Ctrl-C or SIGTERM, stop.</summary>
internal static class ClusterRun
{
    /// <summary>The line printed once everything runs; tests and scripts wait for it.</summary>
    public const string ReadyLine = "The emulated cluster is ready.";

    public static async Task<int> RunAsync(ClusterRunOptions options, TextWriter output, CancellationToken cancellationToken)
    {
        var repository = RepositoryRoot.Find();
        var kubeconfig = Path.GetFullPath(options.Kubeconfig ?? Path.Combine(repository, ".tools", "emulator.kubeconfig"));
        Directory.CreateDirectory(Path.GetDirectoryName(kubeconfig)!);

        await using var api = await Emulator.StartAsync(new KubeEmulatorOptions { AutoCreateNamespaces = true, Port = options.Port }, cancellationToken);
        var crds = api.ApplyCrdsFrom(Path.Combine(repository, "crds")) + api.ApplyCrdsFrom(Path.Combine(repository, "tests", "vendor", "serving-crds"))
            + api.ApplyCrdsFrom(Path.Combine(repository, "tests", "vendor", "monitoring-crds"));
        var objects = options.Examples ? ExampleManifests.Apply(api, Path.Combine(repository, "examples")) : 0;
        api.WriteKubeconfig(kubeconfig);
        output.WriteLine($"API emulator on {api.Url}: {crds} CRDs, {objects} objects from examples/.");

        OperatorProcess? child = null;
        string? metrics = null;
        try
        {
            if (options.Operator)
            {
                var metricsPort = options.MetricsPort == 0 ? OperatorProcess.FreeLoopbackPort() : options.MetricsPort;
                metrics = $"http://127.0.0.1:{metricsPort}/metrics";
                var arguments = new[]
                {
                    "--kubeconfig", kubeconfig, "--metrics-bind-address", $"127.0.0.1:{metricsPort}", "--health-probe-bind-address", "0",
                    "--log-format", "console",
                };
                // Writes come from the child's reader threads; the lock keeps lines whole.
                child = OperatorProcess.Start(repository, arguments, line => { lock (output) { output.WriteLine("[operator] " + line); } });
                await WaitForMetricsAsync(metrics, child, cancellationToken);
            }

            lock (output)
            {
                output.WriteLine();
                output.WriteLine(ReadyLine);
                output.WriteLine($"  kubectl --kubeconfig {kubeconfig} get aimd -A");
                output.WriteLine(metrics is null
                    ? $"  Run the operator yourself: dotnet run --project src/AiBaseline -- operator --kubeconfig {kubeconfig} --log-format console"
                    : $"  Operator (pid {child!.Id}) metrics: {metrics}");
                output.WriteLine("  Ctrl-C stops it.");
                output.WriteLine();
                output.Flush();
            }

            var stopped = child?.Exited ?? Task.Delay(Timeout.Infinite, CancellationToken.None);
            await Task.WhenAny(stopped, Task.Delay(Timeout.Infinite, cancellationToken));
            if (child is not null && child.Exited.IsCompleted)
            {
                output.WriteLine($"The operator exited with code {await child.Exited}; stopping the cluster.");
                return 1;
            }

            return 0;
        }
        finally
        {
            if (child is not null)
            {
                var code = await child.StopAsync(TimeSpan.FromSeconds(10));
                await child.DisposeAsync();
                output.WriteLine($"Operator stopped (exit code {code.ToString(CultureInfo.InvariantCulture)}).");
            }
        }
    }

    /// <summary>Waits until the operator serves /metrics, which it does once it has started; fails when it exits first.</summary>
    private static async Task WaitForMetricsAsync(string metrics, OperatorProcess child, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (true)
        {
            if (child.Exited.IsCompleted)
            {
                throw new InvalidOperationException($"the operator exited with code {await child.Exited} before serving {metrics}; its output is above");
            }

            try
            {
                using var response = await http.GetAsync(metrics, cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // A slow first answer while the operator starts.
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"the operator did not serve {metrics} within 120 s");
            }

            await Task.Delay(200, cancellationToken);
        }
    }
}
