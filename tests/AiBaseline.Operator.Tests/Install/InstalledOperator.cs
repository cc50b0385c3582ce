using System.Collections.Concurrent;
using System.Net;
using AiBaseline.EmulatedCluster;

namespace AiBaseline.Operator.Tests.Install;

/// <summary>
/// The built <c>aibaseline operator</c> run as the pod the chart installs would run it: with a token of the chart's
/// ServiceAccount (so the API server applies exactly the RBAC the install granted), the downward API's
/// <c>POD_NAMESPACE</c> and <c>POD_NAME</c>, and the flags the chart passes. Its output is kept for assertions.
/// </summary>
internal sealed class InstalledOperator : IAsyncDisposable
{
    private readonly OperatorProcess process;
    private readonly ConcurrentQueue<string> lines;
    private readonly string kubeconfig;

    private InstalledOperator(OperatorProcess process, ConcurrentQueue<string> lines, string kubeconfig, int healthPort)
    {
        this.process = process;
        this.lines = lines;
        this.kubeconfig = kubeconfig;
        Health = new Uri($"http://127.0.0.1:{healthPort}/");
    }

    public Uri Health { get; }

    /// <summary>Every line written so far.</summary>
    public IReadOnlyList<string> Output => [.. lines];

    /// <summary>Starts the operator as ServiceAccount <paramref name="serviceAccount"/> of <paramref name="ns"/>.</summary>
    public static async Task<InstalledOperator> StartAsync(ControlPlane.ControlPlane plane, string ns, string serviceAccount, params string[] flags)
    {
        var token = await plane.TokenAsync(ns, serviceAccount, TimeSpan.FromHours(1), TestContext.Current.CancellationToken);
        var kubeconfig = plane.WriteTokenKubeconfig(Path.Combine(Path.GetTempPath(), $"aibaseline-{serviceAccount}-{Guid.NewGuid():N}.kubeconfig"), token);
        var healthPort = OperatorProcess.FreeLoopbackPort();
        var lines = new ConcurrentQueue<string>();
        var process = OperatorProcess.Start(
            PrivateControlPlane.RepositoryRoot,
            ["--kubeconfig", kubeconfig, "--metrics-bind-address", "0", "--health-probe-bind-address", $"127.0.0.1:{healthPort}", "--log-format", "console", .. flags],
            lines.Enqueue,
            new Dictionary<string, string> { ["POD_NAMESPACE"] = ns, ["POD_NAME"] = $"{serviceAccount}-test-0" });
        return new InstalledOperator(process, lines, kubeconfig, healthPort);
    }

    /// <summary>The status code and body of a probe endpoint (<c>readyz</c>, <c>healthz</c>); 0 while nothing listens.</summary>
    public async Task<(HttpStatusCode Status, string Body)> ProbeAsync(string path)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            using var response = await http.GetAsync(new Uri(Health, path), TestContext.Current.CancellationToken);
            return (response.StatusCode, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        }
        catch (HttpRequestException)
        {
            return (0, "");
        }
    }

    /// <summary>Lines that show the API server refused the operator something.</summary>
    /// <remarks>
    /// A write into a namespace that is being deleted (another test's, say) is refused as "forbidden" too, but by the
    /// namespace's lifecycle, not by RBAC: those lines are not refusals of the operator's rights.
    /// </remarks>
    public IReadOnlyList<string> Refusals() =>
        [.. lines.Where(l => (l.Contains("forbidden", StringComparison.OrdinalIgnoreCase) && !l.Contains("because it is being terminated", StringComparison.Ordinal))
            || l.Contains("Unauthorized", StringComparison.Ordinal))];

    /// <summary>SIGTERM, as Kubernetes stops a pod; the exit code.</summary>
    public Task<int> StopAsync() => process.StopAsync(TimeSpan.FromSeconds(15));

    public async ValueTask DisposeAsync()
    {
        await process.DisposeAsync();
        File.Delete(kubeconfig);
    }
}
