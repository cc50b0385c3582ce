using AiBaseline.Controller.Informers;
using Microsoft.Extensions.Time.Testing;

namespace AiBaseline.Controller.Tests;

/// <summary>An informer for an optional resource runs only once discovery finds the resource, and is ready until then.</summary>
public sealed class ConditionalInformerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Absent_resource_counts_as_synced_and_healthy_and_is_watched_once_discovery_finds_it()
    {
        var time = new FakeTimeProvider();
        var inner = new RecordingInformer();
        var served = false;
        var asked = 0;
        var informer = new ConditionalInformer(inner, _ => { Interlocked.Increment(ref asked); return Task.FromResult(served); }, time) { Recheck = TimeSpan.FromMinutes(1) };
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var run = informer.RunAsync(stop.Token);

        await informer.WaitForSyncAsync(Ct).WaitAsync(TimeSpan.FromSeconds(10), Ct);
        Assert.True(informer.HasSynced && informer.IsHealthy, "an add-on that is not installed must not hold readiness back");
        Assert.False(inner.Started, "nothing to list or watch while the resource is not served");

        served = true;
        time.Advance(TimeSpan.FromSeconds(59));
        await Task.Delay(100, Ct);
        Assert.False(inner.Started, "discovery is asked again only after Recheck");

        time.Advance(TimeSpan.FromSeconds(1));
        await WaitUntilAsync(() => inner.Started);
        Assert.Equal(2, Volatile.Read(ref asked));
        Assert.False(informer.HasSynced, "once served, sync and health are the inner informer's");
        inner.Synced = true;
        Assert.True(informer.HasSynced && informer.IsHealthy);

        await stop.CancelAsync();
        await run;
        Assert.False(informer.IsRunning);
    }

    [Fact]
    public async Task A_failing_discovery_is_not_taken_for_an_absent_resource()
    {
        var time = new FakeTimeProvider();
        var informer = new ConditionalInformer(new RecordingInformer(), _ => throw new HttpRequestException("connection refused"), time);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var run = informer.RunAsync(stop.Token);

        await WaitUntilAsync(() => informer.LastError is not null);

        Assert.False(informer.HasSynced);
        Assert.Equal("connection refused", informer.LastError);
        await stop.CancelAsync();
        await run;
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 200 && !condition(); i++)
        {
            await Task.Delay(25, Ct);
        }

        Assert.True(condition());
    }

    private sealed class RecordingInformer : IInformer
    {
        private readonly TaskCompletionSource synced = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public volatile bool Started;

        public bool Synced
        {
            get => synced.Task.IsCompleted;
            set
            {
                if (value)
                {
                    synced.TrySetResult();
                }
            }
        }

        public string Name => "ciliumnetworkpolicies.cilium.io";

        public bool HasSynced => Synced;

        public bool IsRunning => Started;

        public bool IsHealthy => Synced;

        public string? LastError => null;

        public async Task RunAsync(CancellationToken cancellationToken)
        {
            Started = true;
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            catch (OperationCanceledException)
            {
            }
        }

        public Task WaitForSyncAsync(CancellationToken cancellationToken) => synced.Task.WaitAsync(cancellationToken);
    }
}
