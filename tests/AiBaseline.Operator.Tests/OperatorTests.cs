using AiBaseline.Api.V1Alpha1;

namespace AiBaseline.Operator.Tests;

// Statuses, events, dependency changes and restarts are covered by Scenarios/OperatorScenarios, which also run on
// real clusters; what remains here reads the operator's own metrics registry.
public sealed class OperatorTests
{
    private const string Serving = "llm-serving";
    private const string Chat = "llama-chat";
    private const string Playground = "chat-playground";
    private const string Bot = "support-bot";

    [Fact]
    public async Task Metrics_count_deployments_and_control_results_without_naming_any_object()
    {
        await using var cluster = await OperatorFixture.StartAsync();
        cluster.Apply("profiles", "llm-inference-compliant", "llm-inference-noncompliant");

        var host = await cluster.StartOperatorAsync();
        await OperatorFixture.EventuallyAsync(() => cluster.Condition(Serving, Chat, ConditionTypes.Ready) is not null && cluster.Condition(Playground, Bot, ConditionTypes.Ready) is not null, "both statuses written");

        // What a scraper of /metrics sees: counts per result, never object names. The counts are recorded after the
        // status is written, so scrape until they are there.
        string[] expected =
        [
            "aibaseline_deployments{ready=\"True\"} 1",
            "aibaseline_deployments{ready=\"False\"} 1",
            "aibaseline_control_results{control=\"NetworkIsolation\",result=\"NotMet\"} 1",
            "aibaseline_control_results{control=\"NetworkIsolation\",result=\"Met\"} 1",
            "aibaseline_provision_results{provision=\"5.2.2-1\",result=\"NotMet\"} 1",
            "aibaseline_provision_results{provision=\"5.2.2-1\",result=\"Met\"} 1",
            "aibaseline_informer_synced{resource=\"secrets\"} 1",
            "controller_runtime_reconcile_total{controller=\"aimodeldeployment\",result=\"success\"}",
        ];
        var deadline = DateTime.UtcNow.AddSeconds(10);
        var metrics = await ScrapeAsync(host);
        while (!expected.All(line => metrics.Contains(line, StringComparison.Ordinal)) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(25, TestContext.Current.CancellationToken);
            metrics = await ScrapeAsync(host);
        }

        foreach (var line in expected)
        {
            Assert.Contains(line, metrics, StringComparison.Ordinal);
        }

        Assert.DoesNotContain(Chat, metrics, StringComparison.Ordinal);
        Assert.DoesNotContain(Bot, metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_count_the_clients_requests_by_code_method_and_host_as_client_go_does()
    {
        await using var cluster = await OperatorFixture.StartAsync();
        cluster.Apply("profiles", "llm-inference-compliant", "llm-inference-noncompliant");
        var host = await cluster.StartOperatorAsync();
        await OperatorFixture.EventuallyAsync(() => cluster.Condition(Serving, Chat, ConditionTypes.Ready) is not null && cluster.Condition(Playground, Bot, ConditionTypes.Ready) is not null, "both statuses written");

        var server = new Uri(cluster.Server.CreateClientConfiguration().Host).Authority;
        var metrics = await ScrapeAsync(host);

        // Lists, watches and the reads before each status write are GETs; each status write is a PATCH.
        Assert.True(Value(metrics, $"rest_client_requests_total{{code=\"200\",method=\"GET\",host=\"{server}\"}}") >= 14 + 2, metrics);
        Assert.True(Value(metrics, $"rest_client_requests_total{{code=\"200\",method=\"PATCH\",host=\"{server}\"}}") >= 2, metrics);
        Assert.True(Value(metrics, $"rest_client_request_duration_seconds_count{{verb=\"PATCH\",host=\"{server}\"}}") >= 2, metrics);
        Assert.Contains($"rest_client_request_duration_seconds_bucket{{verb=\"GET\",host=\"{server}\",le=\"0.005\"}}", metrics, StringComparison.Ordinal);
    }

    private static double Value(string metrics, string series) =>
        metrics.Split('\n').FirstOrDefault(l => l.StartsWith(series + " ", StringComparison.Ordinal)) is { } line
            ? double.Parse(line[(series.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture)
            : 0;

    private static async Task<string> ScrapeAsync(OperatorHost host)
    {
        using var scrape = new MemoryStream();
        await host.Registry.CollectAndExportAsTextAsync(scrape, TestContext.Current.CancellationToken);
        return System.Text.Encoding.UTF8.GetString(scrape.ToArray());
    }
}
