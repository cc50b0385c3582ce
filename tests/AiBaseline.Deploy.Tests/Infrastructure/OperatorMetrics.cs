using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using AiBaseline.Api.V1Alpha1;
using AiBaseline.KubeEmulator;
using Emulator = AiBaseline.KubeEmulator.KubeEmulator;
using AiBaseline.Operator;
using Microsoft.Extensions.Logging.Abstractions;

namespace AiBaseline.Deploy.Tests.Infrastructure;

/// <summary>The metric names the operator really exports: the only names dashboards and alerts may query.</summary>
internal static partial class OperatorMetrics
{
    private static readonly Lazy<IReadOnlySet<string>> Scraped = new(() => ScrapeAsync().GetAwaiter().GetResult());

    /// <summary>
    /// The sample names served on /metrics by a real operator, with leader election on, after it has reconciled
    /// the shipped examples in the in-process API emulator (a reconcile has been timed, so the histograms have series).
    /// Histograms appear as their _bucket, _sum and _count series.
    /// </summary>
    public static IReadOnlySet<string> Names() => Scraped.Value;

    private static async Task<IReadOnlySet<string>> ScrapeAsync()
    {
        await using var api = await Emulator.StartAsync(new KubeEmulatorOptions { AutoCreateNamespaces = true });
        api.ApplyCrdsFrom(Repo.Path("crds"));
        api.ApplyCrdsFrom(Repo.Path("tests/vendor/serving-crds"));
        api.ApplyCrdsFrom(Repo.Path("tests/vendor/monitoring-crds"));
        foreach (var file in Directory.GetFiles(Repo.Path("examples"), "*.yaml", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            api.CreateFromYaml(await File.ReadAllTextAsync(file), ApiGroup.KindTypes());
        }

        var port = FreePort();

        // The examples' profiles ask for no signatures, so the registry is never contacted.
        using var registry = new AiBaseline.Provenance.Oci.RegistryClient(new AiBaseline.Provenance.Oci.RegistryClientOptions(), TimeProvider.System);
        using var host = new OperatorHost(
            new OperatorSettings { LeaderElect = true, MetricsBindAddress = $"127.0.0.1:{port}", HealthProbeBindAddress = "0", Identity = "metrics-scrape" },
            api.CreateClientConfiguration(),
            NullLoggerFactory.Instance,
            TimeProvider.System,
            new AiBaseline.Provenance.CosignVerifier(registry, TimeProvider.System));
        using var stop = new CancellationTokenSource();
        var run = Task.Run(() => host.RunAsync(stop.Token));
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (true)
            {
                var text = await TryGetAsync(http, $"http://127.0.0.1:{port}/metrics");
                if (text is not null && text.Contains("controller_runtime_reconcile_time_seconds_count{", StringComparison.Ordinal)
                    && text.Contains("aibaseline_deployments{", StringComparison.Ordinal))
                {
                    return SampleName().Matches(text).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
                }

                if (DateTime.UtcNow > deadline || run.IsCompleted)
                {
                    throw new InvalidOperationException($"the operator served no reconcile metrics on 127.0.0.1:{port}/metrics within 60 s; last answer: {text ?? "(none)"}");
                }

                await Task.Delay(200);
            }
        }
        finally
        {
            await stop.CancelAsync();
            await run;
        }
    }

    private static async Task<string?> TryGetAsync(HttpClient http, string url)
    {
        try
        {
            return await http.GetStringAsync(new Uri(url));
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [GeneratedRegex(@"^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{| )", RegexOptions.Multiline)]
    private static partial Regex SampleName();
}
