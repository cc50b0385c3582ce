using System.Collections.Concurrent;
using AiBaseline.Controller.Informers;

namespace AiBaseline.Controller.Tests;

/// <summary>An informer over a resource that may not be installed yet: idle and synced until it is, then a normal informer.</summary>
public sealed class OptionalInformerTests
{
    [Fact]
    public async Task It_is_synced_and_idle_until_the_resource_is_served_then_fills_the_cache_and_forgets_it_when_it_goes()
    {
        var token = TestContext.Current.CancellationToken;
        await using var cluster = await Emulated.StartAsync();
        var optional = new OptionalInformer<Widget>(
            "widgets",
            cache => [new Informer<Widget>(cluster.Api, new InformerOptions(Widget.Type) { MinBackoff = TimeSpan.FromMilliseconds(20) }) { Cache = cache }],
            _ => Task.CompletedTask);
        var seen = new ConcurrentQueue<string>();
        optional.AddHandler(change => seen.Enqueue($"{change.Type} {change.Object.Metadata.Name}"));
        using var stop = new CancellationTokenSource();
        var run = optional.RunAsync(stop.Token);

        // The CRD does not exist: nothing to wait for, nothing wrong.
        await optional.WaitForSyncAsync(token);
        Assert.True(optional.HasSynced);
        await Task.Delay(100, token);
        Assert.True(optional.IsHealthy);
        Assert.Null(optional.LastError);

        Widget.Install(cluster.Server);
        cluster.Server.Create(Widget.New("default", "one", 1));
        optional.SetAvailable(true);
        // The cache is filled before handlers hear of it: wait for both.
        await Emulated.EventuallyAsync(() => optional.Cache.Get(new ObjectKey("default", "one")) is not null && !seen.IsEmpty, "the widget is cached and announced once widgets are served");
        Assert.Equal(["Added one"], seen);

        // The CRD goes away, and its objects with it.
        optional.SetAvailable(false);
        await Emulated.EventuallyAsync(() => optional.Cache.Count == 0 && seen.Count == 2, "the cache is emptied and the deletion announced");
        Assert.Equal(["Added one", "Deleted one"], seen);
        Assert.True(optional.HasSynced);

        await stop.CancelAsync();
        await run;
    }
}
