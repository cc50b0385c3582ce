using System.Threading.Channels;

namespace AiBaseline.KubeEmulator;

/// <summary>A change as watchers see it. <see cref="Previous"/> lets a selector watch turn edits into ADDED/DELETED.</summary>
internal sealed record ChangeEvent(string Type, StoredObject Object, StoredObject? Previous);

/// <summary>What a watch stream writes next: a change, a bookmark carrying a resourceVersion, or the end.</summary>
internal sealed record WatchItem(ChangeEvent? Change, long BookmarkVersion = 0);

/// <summary>
/// The bounded event history and the open watches, both guarded by the store lock. Publishing only appends to each
/// matching resource's watcher channels; filtering and serialization happen on the watcher's own request thread.
/// </summary>
internal sealed class WatchHub(int historyCapacity)
{
    private readonly Queue<ChangeEvent> _history = new();
    private readonly Dictionary<string, HashSet<Watcher>> _watchers = [];

    /// <summary>Highest resourceVersion no longer replayable; a watch from below it gets 410 Gone.</summary>
    public long CompactedThrough { get; private set; }

    public void Publish(ChangeEvent change)
    {
        _history.Enqueue(change);
        while (_history.Count > historyCapacity)
        {
            CompactedThrough = _history.Dequeue().Object.ResourceVersion;
        }

        if (_watchers.TryGetValue(change.Object.Type.Name, out var watchers))
        {
            foreach (var watcher in watchers)
            {
                watcher.Items.Writer.TryWrite(new WatchItem(change));
            }
        }
    }

    /// <summary>Drops the whole history so that every resourceVersion up to <paramref name="current"/> is too old.</summary>
    public void Compact(long current)
    {
        _history.Clear();
        CompactedThrough = current;
    }

    public IEnumerable<ChangeEvent> After(ResourceType type, long resourceVersion) =>
        _history.Where(e => e.Object.ResourceVersion > resourceVersion && e.Object.Type.Name == type.Name);

    public void Add(Watcher watcher)
    {
        if (!_watchers.TryGetValue(watcher.Type.Name, out var set))
        {
            _watchers[watcher.Type.Name] = set = [];
        }

        set.Add(watcher);
    }

    public void Remove(Watcher watcher)
    {
        if (_watchers.TryGetValue(watcher.Type.Name, out var set))
        {
            set.Remove(watcher);
        }
    }

    public IReadOnlyList<Watcher> Open => [.. _watchers.Values.SelectMany(w => w)];
}

/// <summary>One open watch: what it filters on and the queue its stream drains.</summary>
internal sealed class Watcher(ResourceType type, string namespaceFilter, Selector selector) : IDisposable
{
    public ResourceType Type { get; } = type;

    public Channel<WatchItem> Items { get; } = Channel.CreateUnbounded<WatchItem>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>Cancelled to drop the stream from the server side (fault injection).</summary>
    public CancellationTokenSource Dropped { get; } = new();

    /// <summary>Maps a stored change to what this watch reports, or null when it does not concern it.</summary>
    public (string Type, StoredObject Object)? Filter(ChangeEvent change)
    {
        if (namespaceFilter.Length > 0 && change.Object.Namespace != namespaceFilter)
        {
            return null;
        }

        var now = selector.Matches(change.Object);
        var before = change.Previous is not null && selector.Matches(change.Previous);
        return change.Type switch
        {
            "MODIFIED" when now && before => ("MODIFIED", change.Object),
            "MODIFIED" when now => ("ADDED", change.Object),
            "MODIFIED" when before => ("DELETED", change.Object),
            "ADDED" or "DELETED" when now => (change.Type, change.Object),
            _ => null,
        };
    }

    public void Dispose() => Dropped.Dispose();
}
