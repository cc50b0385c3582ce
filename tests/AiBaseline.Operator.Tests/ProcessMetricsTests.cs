using System.Globalization;
using System.Text.RegularExpressions;

namespace AiBaseline.Operator.Tests;

/// <summary>/metrics carries the process figures a memory dashboard or a sizing exercise reads.</summary>
public sealed partial class ProcessMetricsTests
{
    [Theory]
    [InlineData("process_working_set_bytes", "resident memory, what a container limit is compared with")]
    [InlineData("dotnet_total_memory_bytes", "the managed heap, to tell cached objects from runtime overhead")]
    [InlineData("process_cpu_seconds_total", "CPU used, for the CPU request")]
    public async Task The_operator_exports_a_positive_process_figure(string metric, string reason)
    {
        await using var cluster = await OperatorFixture.StartAsync();
        var host = await cluster.StartOperatorAsync();

        using var scrape = new MemoryStream();
        await host.Registry.CollectAndExportAsTextAsync(scrape, TestContext.Current.CancellationToken);
        var text = System.Text.Encoding.UTF8.GetString(scrape.ToArray());

        var sample = Sample().Matches(text).FirstOrDefault(m => m.Groups["name"].Value == metric);
        Assert.True(sample is not null, $"{metric} ({reason}) missing from /metrics");
        Assert.True(double.Parse(sample.Groups["value"].Value, CultureInfo.InvariantCulture) > 0, $"{metric} is not positive: {sample.Value}");
    }

    [GeneratedRegex(@"^(?<name>[a-z_]+) (?<value>[0-9.eE+-]+)$", RegexOptions.Multiline)]
    private static partial Regex Sample();
}
