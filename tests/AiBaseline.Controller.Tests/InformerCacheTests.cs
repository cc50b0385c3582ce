using AiBaseline.Controller.Informers;
using k8s.Models;

namespace AiBaseline.Controller.Tests;

public sealed class InformerCacheTests
{
    private const string BySecret = "secret";

    private static V1Pod Pod(string ns, string name, params string[] secrets) => new()
    {
        Metadata = new V1ObjectMeta { NamespaceProperty = ns, Name = name },
        Spec = new V1PodSpec { Volumes = [.. secrets.Select(s => new V1Volume { Name = s, Secret = new V1SecretVolumeSource { SecretName = s } })] },
    };

    private static InformerCache<V1Pod> NewCache()
    {
        var cache = new InformerCache<V1Pod>();
        cache.AddIndexer(BySecret, pod => pod.Spec.Volumes.Select(v => $"{pod.Metadata.NamespaceProperty}/{v.Secret.SecretName}"));
        return cache;
    }

    [Fact]
    public void Objects_are_found_by_key_by_namespace_and_by_custom_index()
    {
        var cache = NewCache();
        cache.Upsert(Pod("a", "p1", "token"));
        cache.Upsert(Pod("a", "p2", "token", "other"));
        cache.Upsert(Pod("b", "p3", "token"));

        Assert.Equal("p2", cache.Get(new ObjectKey("a", "p2"))?.Metadata.Name);
        Assert.Null(cache.Get(new ObjectKey("b", "p2")));
        Assert.Equal(["p1", "p2"], cache.ListByNamespace("a").Select(p => p.Metadata.Name));
        Assert.Equal(["p1", "p2"], cache.ByIndex(BySecret, "a/token").Select(p => p.Metadata.Name));
        Assert.Equal(["p3"], cache.ByIndex(BySecret, "b/token").Select(p => p.Metadata.Name));
        Assert.Equal(["p1", "p2", "p3"], cache.List().Select(p => p.Metadata.Name));
    }

    [Fact]
    public void Updating_an_object_moves_it_between_index_values()
    {
        var cache = NewCache();
        cache.Upsert(Pod("a", "p1", "old"));

        var replaced = cache.Upsert(Pod("a", "p1", "new"));

        Assert.NotNull(replaced);
        Assert.Empty(cache.ByIndex(BySecret, "a/old"));
        Assert.Single(cache.ByIndex(BySecret, "a/new"));
        Assert.Equal(1, cache.Count);
    }

    [Fact]
    public void Removing_an_object_removes_it_from_every_index()
    {
        var cache = NewCache();
        cache.Upsert(Pod("a", "p1", "token"));

        Assert.NotNull(cache.Remove(new ObjectKey("a", "p1")));
        Assert.Null(cache.Remove(new ObjectKey("a", "p1")));

        Assert.Empty(cache.ListByNamespace("a"));
        Assert.Empty(cache.ByIndex(BySecret, "a/token"));
    }

    [Fact]
    public void An_index_added_later_covers_objects_already_held()
    {
        var cache = new InformerCache<V1Pod>();
        cache.Upsert(Pod("a", "p1", "token"));

        cache.AddIndexer(BySecret, pod => pod.Spec.Volumes.Select(v => v.Secret.SecretName));

        Assert.Single(cache.ByIndex(BySecret, "token"));
    }

    [Fact]
    public void Asking_for_an_unknown_index_names_it()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new InformerCache<V1Pod>().ByIndex("byImage", "x"));
        Assert.Contains("byImage", error.Message, StringComparison.Ordinal);
    }
}
