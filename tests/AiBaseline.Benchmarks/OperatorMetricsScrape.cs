using System.Globalization;

namespace AiBaseline.Benchmarks;

/// <summary>Reads the operator's Prometheus text from <c>/metrics</c>.</summary>
internal sealed class OperatorMetricsScrape(HttpClient http, string url)
{
    /// <summary>Reconciles of the AIModelDeployment controller so far, every result together.</summary>
    public async Task<double> ReconcilesAsync() =>
        Sum(await http.GetStringAsync(url), "controller_runtime_reconcile_total{", "controller=\"aimodeldeployment\"");

    /// <summary>Keys waiting in the controller's work queue.</summary>
    public async Task<double> QueueDepthAsync() =>
        Sum(await http.GetStringAsync(url), "workqueue_depth{", "name=\"aimodeldeployment\"");

    /// <summary>The operator's managed heap in MiB, garbage not yet collected included (dotnet_total_memory_bytes).</summary>
    public async Task<double> ManagedHeapMiBAsync() =>
        Sum(await http.GetStringAsync(url), "dotnet_total_memory_bytes", "") / (1024 * 1024);

    /// <summary>Requests the operator's client made (rest_client_requests_total), by method and status code, most first.</summary>
    public async Task<System.Collections.Immutable.ImmutableArray<CallCount>> RequestsAsync()
    {
        var text = await http.GetStringAsync(url);
        return [.. text.Split('\n')
            .Where(l => l.StartsWith("rest_client_requests_total{", StringComparison.Ordinal))
            .Select(l => new CallCount(Label(l, "method"), $"code {Label(l, "code")}", (int)double.Parse(l[(l.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture)))
            .Where(c => c.Count > 0)
            .OrderByDescending(c => c.Count)];
    }

    /// <summary>The sum of the samples of one metric whose labels include <paramref name="label"/>.</summary>
    public static double Sum(string text, string metric, string label) =>
        text.Split('\n')
            .Where(l => l.StartsWith(metric, StringComparison.Ordinal) && l.Contains(label, StringComparison.Ordinal))
            .Sum(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));

    private static string Label(string line, string name)
    {
        var start = line.IndexOf(name + "=\"", StringComparison.Ordinal);
        if (start < 0)
        {
            return "";
        }

        start += name.Length + 2;
        return line[start..line.IndexOf('"', start)];
    }
}
