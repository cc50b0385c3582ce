using System.Collections.Concurrent;
using AiBaseline.Controller.Api;
using AiBaseline.Controller.Informers;
using k8s;
using k8s.Models;

namespace AiBaseline.Controller.Tests;

public sealed class InformerTests
{
    private static readonly ResourceType ConfigMaps = new("", "v1", "configmaps", Namespaced: true);
    private static readonly ResourceType Secrets = new("", "v1", "secrets", Namespaced: true);

    private static InformerOptions Fast(ResourceType type) => new(type)
    {
        MinBackoff = TimeSpan.FromMilliseconds(20),
        MaxBackoff = TimeSpan.FromMilliseconds(200),
        ResyncPeriod = TimeSpan.Zero,
    };

    private static V1ConfigMap ConfigMap(string name, string value) => new()
    {
        ApiVersion = "v1",
        Kind = "ConfigMap",
        Metadata = new V1ObjectMeta { NamespaceProperty = "default", Name = name },
        Data = new Dictionary<string, string> { ["value"] = value },
    };

    [Fact]
    public async Task The_cache_and_the_handlers_converge_on_the_server_after_dropped_watches_and_forced_410s()
    {
        await using var env = await Emulated.StartAsync();
        for (var i = 0; i < 10; i++)
        {
            env.Server.Create(ConfigMap($"cm{i}", "0"));
        }

        var informer = new Informer<V1ConfigMap>(env.Api, Fast(ConfigMaps));
        var seen = new ConcurrentDictionary<ObjectKey, string>();
        informer.AddHandler(change =>
        {
            var key = ObjectKey.Of(change.Object);
            if (change.Type == InformerEventType.Deleted)
            {
                seen.TryRemove(key, out _);
            }
            else
            {
                seen[key] = change.Object.Data["value"];
            }
        });
        using var stop = new CancellationTokenSource();
        var run = informer.RunAsync(stop.Token);
        await informer.WaitForSyncAsync(TestContext.Current.CancellationToken);

        for (var round = 1; round <= 6; round++)
        {
            // Changes made while the stream is down (and, every other round, while the history is gone).
            env.Server.Faults.DropWatchesNow();
            if (round % 2 == 0)
            {
                env.Server.Faults.ForceGoneOnNextWatches(1);
                env.Server.Compact();
            }

            await env.Kubernetes.CoreV1.PatchNamespacedConfigMapAsync(
                new V1Patch($$$"""{"data":{"value":"{{{round}}}"}}""", V1Patch.PatchType.MergePatch), $"cm{round}", "default",
                cancellationToken: TestContext.Current.CancellationToken);
            if (round > 1)
            {
                Assert.True(env.Server.Delete("v1", "ConfigMap", "default", $"new{round - 1}"));
            }

            env.Server.Create(ConfigMap($"new{round}", $"{round}"));
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        var expected = env.Server.List("v1", "ConfigMap", "default")
            .ToDictionary(o => new ObjectKey("default", o["metadata"]!["name"]!.GetValue<string>()), o => o["data"]!["value"]!.GetValue<string>());
        await Emulated.EventuallyAsync(
            () => expected.Count == informer.Cache.Count
                && expected.All(e => informer.Cache.Get(e.Key)?.Data["value"] == e.Value)
                && expected.Count == seen.Count && expected.All(e => seen.GetValueOrDefault(e.Key) == e.Value),
            "cache and handler view equal to the server");

        await stop.CancelAsync();
        await run;
        Assert.True(env.Server.Faults.WatchDrops >= 6, $"watch drops: {env.Server.Faults.WatchDrops}");
        Assert.True(env.Server.Faults.InjectedGone + CountGone(env) > 0, "no 410 reached the informer");
        Assert.True(env.Server.Requests.Count("list", "configmaps") >= 2, "the informer never listed again after a 410");
        Assert.False(informer.IsRunning);
    }

    [Fact]
    public async Task A_metadata_only_informer_sees_secrets_without_their_values()
    {
        await using var env = await Emulated.StartAsync();
        env.Server.Create(new V1Secret
        {
            ApiVersion = "v1",
            Kind = "Secret",
            Metadata = new V1ObjectMeta { NamespaceProperty = "default", Name = "hf-token" },
            StringData = new Dictionary<string, string> { ["token"] = "hf_do_not_leak" },
        });
        var informer = new Informer<PartialObjectMetadata>(env.Api, Fast(Secrets) with { MetadataOnly = true });
        var events = new ConcurrentQueue<InformerEvent<PartialObjectMetadata>>();
        informer.AddHandler(events.Enqueue);
        using var stop = new CancellationTokenSource();
        var run = informer.RunAsync(stop.Token);
        await informer.WaitForSyncAsync(TestContext.Current.CancellationToken);

        await env.Kubernetes.CoreV1.PatchNamespacedSecretAsync(
            new V1Patch("""{"metadata":{"labels":{"rotated":"yes"}}}""", V1Patch.PatchType.MergePatch), "hf-token", "default",
            cancellationToken: TestContext.Current.CancellationToken);
        await Emulated.EventuallyAsync(() => informer.Cache.Get(new("default", "hf-token"))?.Metadata.Labels?.ContainsKey("rotated") == true, "label update seen");

        await stop.CancelAsync();
        await run;
        Assert.Equal("PartialObjectMetadata", informer.Cache.Get(new("default", "hf-token"))!.Kind);
        Assert.All(events, e => Assert.DoesNotContain("hf_do_not_leak", KubernetesJson.Serialize(e.Object), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Health_follows_the_watch_it_fails_when_the_server_cannot_be_listed_and_recovers()
    {
        await using var env = await Emulated.StartAsync();
        var informer = new Informer<V1ConfigMap>(env.Api, Fast(ConfigMaps) with { UnhealthyAfter = TimeSpan.FromMilliseconds(500) }, new TestLog<Informer<V1ConfigMap>>());
        Assert.False(informer.IsHealthy);
        using var stop = new CancellationTokenSource();
        var run = informer.RunAsync(stop.Token);
        await informer.WaitForSyncAsync(TestContext.Current.CancellationToken);
        await Emulated.EventuallyAsync(() => informer.IsHealthy, "healthy after sync");

        // Every watch expires at once and every list fails: the informer cannot get back in step.
        env.Server.Faults.ErrorRate = 1;
        env.Server.Faults.ForceGoneOnNextWatches(1_000);
        env.Server.Faults.DropWatchesNow();
        await Emulated.EventuallyAsync(() => !informer.IsHealthy, "unhealthy while the server fails");
        Assert.True(informer.IsRunning);

        env.Server.Faults.Reset();
        env.Server.Faults.ForceGoneOnNextWatches(0);
        await Emulated.EventuallyAsync(() => informer.IsHealthy, "healthy again once the server answers");
        await stop.CancelAsync();
        await run;
    }

    [Fact]
    public async Task A_resync_delivers_every_object_again_as_an_update()
    {
        await using var env = await Emulated.StartAsync();
        env.Server.Create(ConfigMap("a", "1"));
        var informer = new Informer<V1ConfigMap>(env.Api, Fast(ConfigMaps) with { ResyncPeriod = TimeSpan.FromMilliseconds(300) });
        var resyncs = 0;
        informer.AddHandler(change =>
        {
            if (change.Type == InformerEventType.Updated && change.OldObject?.Metadata.ResourceVersion == change.Object.Metadata.ResourceVersion)
            {
                Interlocked.Increment(ref resyncs);
            }
        });
        using var stop = new CancellationTokenSource();
        var run = informer.RunAsync(stop.Token);

        await Emulated.EventuallyAsync(() => Volatile.Read(ref resyncs) >= 2, "two resyncs of the unchanged object");
        await stop.CancelAsync();
        await run;
    }

    private static int CountGone(Emulated env) => env.Server.Requests.Recent.Count(c => c.StatusCode == 410);
}
