using System.Text;
using System.Text.Json.Nodes;

namespace AiBaseline.KubeEmulator;

/// <summary>What a list call returns: the page, the store's resourceVersion and the token for the next page.</summary>
internal sealed record ListPage(IReadOnlyList<StoredObject> Items, long ResourceVersion, string? Continue);

/// <summary>
/// All objects, indexed by resource, namespace and name so a get or write is a few hash look-ups. One lock serializes
/// writes, which is what gives a single monotonically increasing resourceVersion and gap-free watch replay.
/// </summary>
internal sealed partial class ObjectStore(ResourceRegistry registry, WatchHub hub, KubeEmulatorOptions options)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Dictionary<string, Dictionary<string, StoredObject>>> _tables = [];
    private readonly Dictionary<string, HashSet<(ResourceType Type, string Namespace, string Name)>> _dependents = [];
    private long _version;
    private bool _dryRun;
    private volatile IReadOnlyList<byte[]> _webhookConfigurations = [];

    public long ResourceVersion
    {
        get
        {
            lock (_gate)
            {
                return _version;
            }
        }
    }

    /// <summary>The stored ValidatingWebhookConfigurations as JSON; empty (and free to read) when there are none.</summary>
    public IReadOnlyList<byte[]> WebhookConfigurations => _webhookConfigurations;

    public StoredObject Get(ResourceType type, string ns, string name)
    {
        lock (_gate)
        {
            return Find(type, ns, name) ?? throw ApiError.NotFound(type, name);
        }
    }

    public StoredObject? TryGet(ResourceType type, string ns, string name)
    {
        lock (_gate)
        {
            return Find(type, ns, name);
        }
    }

    public ListPage List(ResourceType type, string ns, Selector selector, int limit = 0, string? continueToken = null)
    {
        var start = "";
        if (!string.IsNullOrEmpty(continueToken))
        {
            (var tokenVersion, start) = DecodeContinue(continueToken);
            lock (_gate)
            {
                if (tokenVersion < hub.CompactedThrough)
                {
                    throw new ApiError(410, "Expired", "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.");
                }
            }
        }

        List<(string Key, StoredObject Object)> matches;
        long version;
        lock (_gate)
        {
            version = _version;
            matches = [.. Tables(type, ns)
                .SelectMany(t => t.Values)
                .Where(selector.Matches)
                .Select(o => (Key: $"{o.Namespace}/{o.Name}", Object: o))
                .Where(e => string.CompareOrdinal(e.Key, start) > 0)];
        }

        matches.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        if (limit <= 0 || matches.Count <= limit)
        {
            return new ListPage([.. matches.Select(m => m.Object)], version, null);
        }

        var page = matches.Take(limit).ToList();
        return new ListPage([.. page.Select(m => m.Object)], version, EncodeContinue(version, page[^1].Key));
    }

    /// <summary>Registers a watch and returns what it must send first, atomically, so no change falls in between.</summary>
    public IReadOnlyList<WatchItem> Subscribe(Watcher watcher, string ns, Selector selector, string? resourceVersion)
    {
        lock (_gate)
        {
            IReadOnlyList<WatchItem> initial;
            if (string.IsNullOrEmpty(resourceVersion) || resourceVersion == "0")
            {
                initial = [.. Tables(watcher.Type, ns).SelectMany(t => t.Values).Where(selector.Matches)
                    .Select(o => new WatchItem(new ChangeEvent("ADDED", o, null)))];
            }
            else
            {
                var from = ParseVersion(resourceVersion);
                if (from < hub.CompactedThrough)
                {
                    throw ApiError.Gone(from, hub.CompactedThrough + 1);
                }

                initial = [.. hub.After(watcher.Type, from).Select(e => new WatchItem(e))];
            }

            hub.Add(watcher);
            return initial;
        }
    }

    public void Unsubscribe(Watcher watcher)
    {
        lock (_gate)
        {
            hub.Remove(watcher);
        }
    }

    /// <summary>Queues a bookmark behind every change already queued, so its resourceVersion never skips one.</summary>
    public void PostBookmark(Watcher watcher)
    {
        lock (_gate)
        {
            watcher.Items.Writer.TryWrite(new WatchItem(null, _version));
        }
    }

    public void DropWatches()
    {
        lock (_gate)
        {
            foreach (var watcher in hub.Open)
            {
                watcher.Dropped.Cancel();
            }
        }
    }

    public int OpenWatches
    {
        get
        {
            lock (_gate)
            {
                return hub.Open.Count;
            }
        }
    }

    public void Compact()
    {
        lock (_gate)
        {
            // A version no object carries marks the cut, so every resourceVersion handed out so far is older than it.
            hub.Compact(++_version);
        }
    }

    public static long ParseVersion(string text) =>
        long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var version)
            ? version
            : throw ApiError.BadRequest($"invalid resource version: \"{text}\"");

    private StoredObject? Find(ResourceType type, string ns, string name) =>
        _tables.TryGetValue(type.Name, out var byNamespace) && byNamespace.TryGetValue(ns, out var byName)
            ? byName.GetValueOrDefault(name)
            : null;

    private List<Dictionary<string, StoredObject>> Tables(ResourceType type, string ns)
    {
        if (!_tables.TryGetValue(type.Name, out var byNamespace))
        {
            return [];
        }

        return ns.Length == 0 ? [.. byNamespace.Values] : byNamespace.TryGetValue(ns, out var one) ? [one] : [];
    }

    private void Put(StoredObject obj)
    {
        if (!_tables.TryGetValue(obj.Type.Name, out var byNamespace))
        {
            _tables[obj.Type.Name] = byNamespace = [];
        }

        if (!byNamespace.TryGetValue(obj.Namespace, out var byName))
        {
            byNamespace[obj.Namespace] = byName = [];
        }

        if (byName.TryGetValue(obj.Name, out var replaced))
        {
            Unindex(replaced);
        }

        byName[obj.Name] = obj;
        RefreshWebhooks(obj.Type);
        foreach (var owner in obj.OwnerUids)
        {
            if (!_dependents.TryGetValue(owner, out var dependents))
            {
                _dependents[owner] = dependents = [];
            }

            dependents.Add((obj.Type, obj.Namespace, obj.Name));
        }
    }

    private void Unindex(StoredObject obj)
    {
        foreach (var owner in obj.OwnerUids)
        {
            if (_dependents.TryGetValue(owner, out var dependents) && dependents.Remove((obj.Type, obj.Namespace, obj.Name)) && dependents.Count == 0)
            {
                _dependents.Remove(owner);
            }
        }
    }

    private void Evict(StoredObject obj)
    {
        if (_tables.TryGetValue(obj.Type.Name, out var byNamespace) && byNamespace.TryGetValue(obj.Namespace, out var byName))
        {
            if (byName.Remove(obj.Name, out var removed))
            {
                Unindex(removed);
            }

            if (byName.Count == 0)
            {
                byNamespace.Remove(obj.Namespace);
            }

            RefreshWebhooks(obj.Type);
        }
    }

    private void RefreshWebhooks(ResourceType type)
    {
        if (type.Plural == ValidatingWebhooks.Plural && type.Group == ValidatingWebhooks.Group)
        {
            _webhookConfigurations = [.. Tables(type, "").SelectMany(t => t.Values).OrderBy(o => o.Name, StringComparer.Ordinal).Select(o => o.Json)];
        }
    }

    private static string EncodeContinue(long version, string lastKey) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(new JsonObject { ["rv"] = version, ["start"] = lastKey }.ToJsonString()));

    private static (long Version, string Start) DecodeContinue(string token)
    {
        try
        {
            var node = JsonNode.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(token)))!;
            return (node["rv"]!.GetValue<long>(), node["start"]!.GetValue<string>());
        }
        catch (Exception e) when (e is FormatException or System.Text.Json.JsonException or NullReferenceException or InvalidOperationException)
        {
            throw ApiError.BadRequest("continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)");
        }
    }
}
