using System.Globalization;
using System.Text;
using Prometheus;

namespace AiBaseline.Controller.Tests;

/// <summary>Reads values from a registry's Prometheus text output, the way a scraper sees them.</summary>
internal static class MetricsReader
{
    public static async Task<double> ValueAsync(CollectorRegistry registry, string series)
    {
        using var stream = new MemoryStream();
        await registry.CollectAndExportAsTextAsync(stream, TestContext.Current.CancellationToken);
        var text = Encoding.UTF8.GetString(stream.ToArray());
        var line = text.Split('\n').FirstOrDefault(l => l.StartsWith(series + " ", StringComparison.Ordinal));
        return line is null ? 0 : double.Parse(line[(series.Length + 1)..], CultureInfo.InvariantCulture);
    }
}
