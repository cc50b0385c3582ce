using System.Net;
using AiBaseline.Controller.Api;
using AiBaseline.Controller.Hosting;
using Microsoft.Extensions.Time.Testing;
using Prometheus;

namespace AiBaseline.Controller.Tests;

/// <summary>The client's token bucket and its step in the HTTP pipeline, on a fake clock.</summary>
public sealed class ClientThrottleTests
{
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    [Theory]
    [InlineData(5, 1, 6, "burst 1: the first goes at once, then one every 0.2 s")]
    [InlineData(5, 3, 6, "burst 3: three at once, then one every 0.2 s")]
    [InlineData(0.5, 2, 4, "half a request a second: two at once, then one every 2 s")]
    public async Task Requests_beyond_the_burst_go_out_one_every_1_over_qps_seconds(double qps, int burst, int requests, string reason)
    {
        var limiter = new ClientRateLimiter(qps, burst, time);
        var waits = Enumerable.Range(0, requests).Select(_ => limiter.WaitAsync(TestContext.Current.CancellationToken).AsTask()).ToList();

        Assert.All(waits.Take(burst), w => Assert.True(w.IsCompleted, reason));
        Assert.All(waits.Skip(burst), w => Assert.False(w.IsCompleted, reason));
        time.Advance(TimeSpan.FromSeconds((requests - burst) / qps));
        var waited = await Task.WhenAll(waits).WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);

        var expected = Enumerable.Range(0, requests).Select(i => TimeSpan.FromSeconds(Math.Max(0, i - burst + 1) / qps));
        Assert.Equal(expected, waited);
    }

    [Fact]
    public async Task An_idle_client_earns_its_burst_back_and_no_more()
    {
        var limiter = new ClientRateLimiter(qps: 10, burst: 2, time);
        await limiter.WaitAsync(TestContext.Current.CancellationToken);
        await limiter.WaitAsync(TestContext.Current.CancellationToken);

        time.Advance(TimeSpan.FromMinutes(1));

        Assert.Equal(TimeSpan.Zero, await limiter.WaitAsync(TestContext.Current.CancellationToken));
        Assert.Equal(TimeSpan.Zero, await limiter.WaitAsync(TestContext.Current.CancellationToken));
        var third = limiter.WaitAsync(TestContext.Current.CancellationToken).AsTask();
        Assert.False(third.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(0.1));
        Assert.Equal(TimeSpan.FromSeconds(0.1), await third.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_cancelled_wait_gives_its_turn_back()
    {
        var limiter = new ClientRateLimiter(qps: 1, burst: 1, time);
        await limiter.WaitAsync(TestContext.Current.CancellationToken);
        using var cancel = new CancellationTokenSource();
        var abandoned = limiter.WaitAsync(cancel.Token).AsTask();
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => abandoned);

        var next = limiter.WaitAsync(TestContext.Current.CancellationToken).AsTask();
        time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(TimeSpan.FromSeconds(1), await next.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Watches_are_not_throttled_and_every_answer_is_counted_by_code_and_method()
    {
        var registry = Metrics.NewCustomRegistry();
        using var handler = new ClientRequestHandler(new ClientRateLimiter(qps: 1, burst: 1, time), new ControllerMetrics(registry), time)
        {
            InnerHandler = new Answers(),
        };
        using var http = new HttpClient(handler);
        var token = TestContext.Current.CancellationToken;

        (await http.GetAsync(new Uri("http://api.test:6443/api/v1/pods"), token)).Dispose();
        var watches = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => http.GetAsync(new Uri("http://api.test:6443/api/v1/pods?watch=true&resourceVersion=1"), token)))
            .WaitAsync(TimeSpan.FromSeconds(5), token);
        var throttled = http.PatchAsync(new Uri("http://api.test:6443/too-many"), null, token);
        await Task.Delay(50, token);
        Assert.False(throttled.IsCompleted, "the second non-watch request waits a second for its token");
        time.Advance(TimeSpan.FromSeconds(1));
        (await throttled.WaitAsync(TimeSpan.FromSeconds(5), token)).Dispose();
        var unreachable = http.GetAsync(new Uri("http://api.test:6443/unreachable"), token);
        time.Advance(TimeSpan.FromSeconds(1));
        await Assert.ThrowsAsync<HttpRequestException>(() => unreachable.WaitAsync(TimeSpan.FromSeconds(5), token));

        Assert.Equal(4, await MetricsReader.ValueAsync(registry, "rest_client_requests_total{code=\"200\",method=\"GET\",host=\"api.test:6443\"}"));
        Assert.Equal(1, await MetricsReader.ValueAsync(registry, "rest_client_requests_total{code=\"429\",method=\"PATCH\",host=\"api.test:6443\"}"));
        Assert.Equal(1, await MetricsReader.ValueAsync(registry, "rest_client_requests_total{code=\"<error>\",method=\"GET\",host=\"api.test:6443\"}"));
        Assert.Equal(5, await MetricsReader.ValueAsync(registry, "rest_client_request_duration_seconds_count{verb=\"GET\",host=\"api.test:6443\"}"));
        Assert.Equal(1, await MetricsReader.ValueAsync(registry, "rest_client_rate_limiter_duration_seconds_sum{verb=\"PATCH\",host=\"api.test:6443\"}"));
        foreach (var watch in watches)
        {
            watch.Dispose();
        }
    }

    private sealed class Answers : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            request.RequestUri!.AbsolutePath switch
            {
                "/too-many" => Task.FromResult(new HttpResponseMessage(HttpStatusCode.TooManyRequests)),
                "/unreachable" => throw new HttpRequestException("connection refused"),
                _ => Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK)),
            };
    }
}
