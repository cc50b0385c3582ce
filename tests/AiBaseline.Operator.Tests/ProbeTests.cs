using System.Net;
using System.Net.Sockets;

namespace AiBaseline.Operator.Tests;

public sealed class ProbeTests
{
    [Fact]
    public async Task Readyz_fails_naming_the_unsynced_informers_while_the_API_fails_and_healthz_stays_ok()
    {
        await using var cluster = await OperatorFixture.StartAsync();
        cluster.Apply("profiles", "llm-inference-compliant");
        cluster.Server.Faults.ErrorRate = 1;
        var port = FreePort();
        await cluster.StartOperatorAsync(probes: $"127.0.0.1:{port}", waitForSync: false);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        var ct = TestContext.Current.CancellationToken;

        await OperatorFixture.EventuallyAsync(() => Answers(http, "/readyz", ct).Result.Status == HttpStatusCode.ServiceUnavailable, "readyz answers while nothing has synced");
        var notReady = await Answers(http, "/readyz", ct);
        Assert.Contains("aimodeldeployments", notReady.Body, StringComparison.Ordinal);
        Assert.Contains("networkpolicies", notReady.Body, StringComparison.Ordinal);

        // A failing API server must not make the kubelet restart every replica: liveness only asks whether the loops run.
        Assert.Equal((HttpStatusCode.OK, "ok"), await Answers(http, "/healthz", ct));

        cluster.Server.Faults.Reset();
        await OperatorFixture.EventuallyAsync(() => Answers(http, "/readyz", ct).Result.Status == HttpStatusCode.OK, "readyz ok once every informer has synced");
        Assert.Equal(HttpStatusCode.NotFound, (await Answers(http, "/metrics", ct)).Status);
    }

    private static async Task<(HttpStatusCode Status, string Body)> Answers(HttpClient http, string path, CancellationToken ct)
    {
        try
        {
            using var response = await http.GetAsync(path, ct);
            return (response.StatusCode, await response.Content.ReadAsStringAsync(ct));
        }
        catch (HttpRequestException)
        {
            // Not listening yet.
            return (0, "");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
