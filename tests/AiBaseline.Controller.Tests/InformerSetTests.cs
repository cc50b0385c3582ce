using System.Collections.Concurrent;
using AiBaseline.Controller.Api;
using AiBaseline.Controller.Informers;
using KubeEmulatorOptions = AiBaseline.KubeEmulator.KubeEmulatorOptions;
using k8s;
using k8s.Models;
using Emulator = AiBaseline.KubeEmulator.KubeEmulator;

namespace AiBaseline.Controller.Tests;

/// <summary>Informers of one resource in several namespaces fill one cache, and one namespace's relist leaves the others' objects alone.</summary>
public sealed class InformerSetTests
{
    private static readonly ResourceType ConfigMaps = new("", "v1", "configmaps", Namespaced: true);

    private static V1ConfigMap ConfigMap(string ns, string name) => new()
    {
        ApiVersion = "v1",
        Kind = "ConfigMap",
        Metadata = new V1ObjectMeta { NamespaceProperty = ns, Name = name },
    };

    [Fact]
    public async Task Watched_namespaces_share_one_cache_and_handlers_and_a_relist_removes_only_its_own_namespaces_objects()
    {
        var token = TestContext.Current.CancellationToken;
        await using var server = await Emulator.StartAsync(new KubeEmulatorOptions { AutoCreateNamespaces = true }, token);
        using var kubernetes = new Kubernetes(server.CreateClientConfiguration());
        var api = new KubeApiClient(kubernetes);
        foreach (var ns in new[] { "team-a", "team-b", "team-c" })
        {
            server.Create(ConfigMap(ns, "settings"));
        }

        var cache = new InformerCache<V1ConfigMap>();
        var set = new InformerSet<V1ConfigMap>(cache, new[] { "team-a", "team-b" }.Select(ns =>
            new Informer<V1ConfigMap>(api, new InformerOptions(ConfigMaps) { Namespace = ns, Name = $"configmaps in {ns}", ResyncPeriod = TimeSpan.Zero, MinBackoff = TimeSpan.FromMilliseconds(20) }) { Cache = cache }));
        var added = new ConcurrentBag<string>();
        set.AddHandler(change => added.Add(ObjectKey.Of(change.Object).ToString()));
        using var stop = new CancellationTokenSource();
        var runs = set.Members.Select(m => m.RunAsync(stop.Token)).ToList();
        await Task.WhenAll(set.Members.Select(m => m.WaitForSyncAsync(token)));

        Assert.Equal(["team-a/settings", "team-b/settings"], cache.List().Select(c => ObjectKey.Of(c).ToString()).Order(StringComparer.Ordinal));
        Assert.Equal(["team-a/settings", "team-b/settings"], added.Order(StringComparer.Ordinal));

        // A watch that finds its history gone lists its namespace again; the other namespace's objects stay cached.
        server.Faults.ForceGoneOnNextWatches(2);
        server.Compact();
        server.Faults.DropWatchesNow();
        server.Create(ConfigMap("team-a", "more"));
        await Emulated.EventuallyAsync(() => cache.Get(new ObjectKey("team-a", "more")) is not null, "team-a's new ConfigMap cached");
        await Task.Delay(200, token);

        Assert.NotNull(cache.Get(new ObjectKey("team-b", "settings")));
        Assert.Null(cache.Get(new ObjectKey("team-c", "settings")));
        await stop.CancelAsync();
        await Task.WhenAll(runs);
    }
}
