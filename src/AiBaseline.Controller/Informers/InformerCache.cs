using System.Collections.Immutable;
using k8s;
using k8s.Models;

namespace AiBaseline.Controller.Informers;

/// <summary>
/// The informer's in-memory copy of a collection, with indexes. Readers get the objects the informer stored;
/// they are shared and must be treated as read-only.
/// </summary>
public sealed class InformerCache<T>
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    /// <summary>The built-in index: objects by namespace (cluster-scoped objects are not indexed).</summary>
    public const string NamespaceIndex = "namespace";

    private readonly Lock gate = new();
    private readonly Dictionary<ObjectKey, T> items = [];
    private readonly Dictionary<string, Func<T, IEnumerable<string>>> indexers = [];
    private readonly Dictionary<string, Dictionary<string, HashSet<ObjectKey>>> indices = [];

    public InformerCache()
    {
        AddIndexer(NamespaceIndex, obj => obj.Metadata.NamespaceProperty is { Length: > 0 } ns ? [ns] : []);
    }

    /// <summary>Number of objects held.</summary>
    public int Count
    {
        get
        {
            lock (gate)
            {
                return items.Count;
            }
        }
    }

    /// <summary>
    /// Adds an index: <paramref name="indexValues"/> returns the values an object is found under, for example the
    /// names of the objects it references. Objects already held are indexed at once.
    /// </summary>
    public void AddIndexer(string name, Func<T, IEnumerable<string>> indexValues)
    {
        ArgumentNullException.ThrowIfNull(indexValues);
        lock (gate)
        {
            if (!indexers.TryAdd(name, indexValues))
            {
                throw new InvalidOperationException($"The index '{name}' already exists.");
            }

            indices[name] = [];
            foreach (var (key, obj) in items)
            {
                IndexOne(name, indexValues, key, obj);
            }
        }
    }

    /// <summary>The object with this key, or null.</summary>
    public T? Get(ObjectKey key)
    {
        lock (gate)
        {
            return items.GetValueOrDefault(key);
        }
    }

    /// <summary>All objects, ordered by namespace then name so callers see a stable order.</summary>
    public ImmutableArray<T> List()
    {
        lock (gate)
        {
            return [.. items.OrderBy(pair => pair.Key, KeyOrder.Instance).Select(pair => pair.Value)];
        }
    }

    /// <summary>The objects of one namespace, ordered by name.</summary>
    public ImmutableArray<T> ListByNamespace(string ns) => ByIndex(NamespaceIndex, ns);

    /// <summary>The objects found under <paramref name="value"/> in the index <paramref name="index"/>, ordered by namespace then name.</summary>
    public ImmutableArray<T> ByIndex(string index, string value)
    {
        lock (gate)
        {
            if (!indices.TryGetValue(index, out var byValue))
            {
                throw new InvalidOperationException($"The index '{index}' does not exist.");
            }

            return byValue.TryGetValue(value, out var keys)
                ? [.. keys.Order(KeyOrder.Instance).Select(key => items[key])]
                : [];
        }
    }

    /// <summary>Stores an object and returns the one it replaced, if any.</summary>
    internal T? Upsert(T obj)
    {
        var key = ObjectKey.Of(obj);
        lock (gate)
        {
            var old = items.GetValueOrDefault(key);
            if (old is not null)
            {
                Unindex(key, old);
            }

            items[key] = obj;
            foreach (var (name, indexer) in indexers)
            {
                IndexOne(name, indexer, key, obj);
            }

            return old;
        }
    }

    /// <summary>Removes an object and returns it, or null when it was not held.</summary>
    internal T? Remove(ObjectKey key)
    {
        lock (gate)
        {
            if (!items.Remove(key, out var old))
            {
                return null;
            }

            Unindex(key, old);
            return old;
        }
    }

    /// <summary>The keys held, for computing what a relist removed.</summary>
    internal ImmutableArray<ObjectKey> Keys()
    {
        lock (gate)
        {
            return [.. items.Keys];
        }
    }

    private void IndexOne(string name, Func<T, IEnumerable<string>> indexer, ObjectKey key, T obj)
    {
        var byValue = indices[name];
        foreach (var value in indexer(obj))
        {
            if (!byValue.TryGetValue(value, out var keys))
            {
                byValue[value] = keys = [];
            }

            keys.Add(key);
        }
    }

    private void Unindex(ObjectKey key, T obj)
    {
        foreach (var (name, indexer) in indexers)
        {
            var byValue = indices[name];
            foreach (var value in indexer(obj))
            {
                if (byValue.TryGetValue(value, out var keys) && keys.Remove(key) && keys.Count == 0)
                {
                    byValue.Remove(value);
                }
            }
        }
    }

    /// <summary>Namespace, then name, ordinal: the stable order of every read, without building a string per key.</summary>
    private sealed class KeyOrder : IComparer<ObjectKey>
    {
        public static readonly KeyOrder Instance = new();

        public int Compare(ObjectKey x, ObjectKey y)
        {
            var byNamespace = string.CompareOrdinal(x.Namespace, y.Namespace);
            return byNamespace != 0 ? byNamespace : string.CompareOrdinal(x.Name, y.Name);
        }
    }
}
