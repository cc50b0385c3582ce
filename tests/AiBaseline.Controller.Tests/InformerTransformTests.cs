using System.Collections.Concurrent;
using AiBaseline.Controller.Api;
using AiBaseline.Controller.Informers;
using k8s;
using k8s.Models;

namespace AiBaseline.Controller.Tests;

public sealed class InformerTransformTests
{
    private static readonly ResourceType ConfigMaps = new("", "v1", "configmaps", Namespaced: true);

    private static V1ConfigMap ConfigMap(string name, string value) => new()
    {
        ApiVersion = "v1",
        Kind = "ConfigMap",
        Metadata = new V1ObjectMeta { NamespaceProperty = "default", Name = name, Labels = new Dictionary<string, string> { ["value"] = value } },
        Data = new Dictionary<string, string> { ["payload"] = new string('x', 1000) },
    };

    [Fact]
    public async Task The_transform_trims_every_listed_watched_and_deleted_object_before_the_cache_and_the_handlers_see_it()
    {
        await using var env = await Emulated.StartAsync();
        env.Server.Create(ConfigMap("listed", "1"));
        var informer = new Informer<V1ConfigMap>(env.Api, new InformerOptions(ConfigMaps) { ResyncPeriod = TimeSpan.Zero })
        {
            Transform = c =>
            {
                c.Data = null;
                return c;
            },
        };
        var delivered = new ConcurrentQueue<(InformerEventType Type, V1ConfigMap Object)>();
        informer.AddHandler(change => delivered.Enqueue((change.Type, change.Object)));
        using var stop = new CancellationTokenSource();
        var run = informer.RunAsync(stop.Token);
        await informer.WaitForSyncAsync(TestContext.Current.CancellationToken);

        env.Server.Create(ConfigMap("watched", "1"));
        await env.Kubernetes.CoreV1.ReplaceNamespacedConfigMapAsync(ConfigMap("listed", "2"), "listed", "default", cancellationToken: TestContext.Current.CancellationToken);
        env.Server.Delete("v1", "ConfigMap", "default", "watched");
        await Emulated.EventuallyAsync(() => delivered.Count == 4, "added (list), added (watch), updated, deleted delivered");

        Assert.Equal(
            [(InformerEventType.Added, "listed"), (InformerEventType.Added, "watched"), (InformerEventType.Updated, "listed"), (InformerEventType.Deleted, "watched")],
            delivered.Select(d => (d.Type, d.Object.Metadata.Name)));
        Assert.All(delivered, d => Assert.Null(d.Object.Data));
        var cached = informer.Cache.Get(new ObjectKey("default", "listed"));
        Assert.Equal("2", cached?.Metadata.Labels["value"]);
        Assert.Null(cached?.Data);
        Assert.NotNull(env.Server.Get<V1ConfigMap>("default", "listed")?.Data);

        await stop.CancelAsync();
        await run;
    }

    [Fact]
    public async Task Objects_not_kept_are_neither_cached_nor_delivered_and_one_that_stops_being_kept_is_delivered_as_deleted()
    {
        await using var env = await Emulated.StartAsync();
        env.Server.Create(ConfigMap("kept", "1"));
        env.Server.Create(ConfigMap("owned", "skip"));
        var informer = new Informer<V1ConfigMap>(env.Api, new InformerOptions(ConfigMaps) { ResyncPeriod = TimeSpan.Zero })
        {
            Keep = c => c.Metadata.Labels?["value"] != "skip",
        };
        var delivered = new ConcurrentQueue<(InformerEventType Type, string Name)>();
        informer.AddHandler(change => delivered.Enqueue((change.Type, change.Object.Metadata.Name)));
        using var stop = new CancellationTokenSource();
        var run = informer.RunAsync(stop.Token);
        await informer.WaitForSyncAsync(TestContext.Current.CancellationToken);

        env.Server.Create(ConfigMap("owned-too", "skip"));
        await env.Kubernetes.CoreV1.ReplaceNamespacedConfigMapAsync(ConfigMap("kept", "skip"), "kept", "default", cancellationToken: TestContext.Current.CancellationToken);
        await env.Kubernetes.CoreV1.ReplaceNamespacedConfigMapAsync(ConfigMap("owned", "2"), "owned", "default", cancellationToken: TestContext.Current.CancellationToken);
        env.Server.Delete("v1", "ConfigMap", "default", "owned-too");
        env.Server.Create(ConfigMap("last", "1"));
        await Emulated.EventuallyAsync(() => delivered.Any(d => d.Name == "last"), "the last change delivered");

        Assert.Equal(
            [(InformerEventType.Added, "kept"), (InformerEventType.Deleted, "kept"), (InformerEventType.Added, "owned"), (InformerEventType.Added, "last")],
            delivered);
        Assert.Equal(["last", "owned"], informer.Cache.List().Select(c => c.Metadata.Name).Order(StringComparer.Ordinal));

        await stop.CancelAsync();
        await run;
    }
}
