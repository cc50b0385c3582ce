namespace AiBaseline.KubeEmulator;

/// <summary>
/// Failures a test can switch on while an operator runs. Every knob takes effect on the next request; counters say how
/// many faults were actually injected, so a test can assert the operator saw them.
/// </summary>
public sealed class EmulatorFaults : IDisposable
{
    private readonly Lock _gate = new();
    private readonly Action _dropWatches;
    private Random _random = new();
    private Timer? _dropTimer;
    private int _forcedGone;

    /// <summary>
    /// Requests carrying this header are never answered with an injected error or conflict: a test's own client,
    /// standing for a user whose calls are not what the test is about, while the operator's calls fail.
    /// </summary>
    public const string SpareHeader = "X-Emulator-Spare-From-Faults";

    internal EmulatorFaults(Action dropWatches) => _dropWatches = dropWatches;

    /// <summary>Fraction (0..1) of non-watch resource calls answered with one of <see cref="ErrorCodes"/>.</summary>
    public double ErrorRate { get; set; }

    /// <summary>Status codes an injected error picks from (500, 503 and 429 by default; 429 carries Retry-After: 1).</summary>
    public IReadOnlyList<int> ErrorCodes { get; set; } = [500, 503, 429];

    /// <summary>Delay added before every resource call is answered (and before a watch starts streaming).</summary>
    public TimeSpan Latency { get; set; }

    /// <summary>Fraction (0..1) of updates and patches answered 409 Conflict as if another writer had won.</summary>
    public double ConflictRate { get; set; }

    /// <summary>How many errors were injected by <see cref="ErrorRate"/>.</summary>
    public int InjectedErrors { get; private set; }

    /// <summary>How many conflicts were injected by <see cref="ConflictRate"/>.</summary>
    public int InjectedConflicts { get; private set; }

    /// <summary>How many watches were answered 410 Gone by <see cref="ForceGoneOnNextWatches"/>.</summary>
    public int InjectedGone { get; private set; }

    /// <summary>How many times open watch streams were dropped.</summary>
    public int WatchDrops { get; private set; }

    /// <summary>Makes injected faults repeatable.</summary>
    public void UseSeed(int seed)
    {
        lock (_gate)
        {
            _random = new Random(seed);
        }
    }

    /// <summary>Ends every open watch stream now, as an API server restart or a load balancer would.</summary>
    public void DropWatchesNow()
    {
        lock (_gate)
        {
            WatchDrops++;
        }

        _dropWatches();
    }

    /// <summary>Ends every open watch stream every <paramref name="interval"/>; <see langword="null"/> stops it.</summary>
    public void DropWatchesEvery(TimeSpan? interval)
    {
        lock (_gate)
        {
            _dropTimer?.Dispose();
            _dropTimer = interval is { } every ? new Timer(_ => DropWatchesNow(), null, every, every) : null;
        }
    }

    /// <summary>The next <paramref name="count"/> watches get an ERROR event with a 410 Gone status instead of events.</summary>
    public void ForceGoneOnNextWatches(int count)
    {
        lock (_gate)
        {
            _forcedGone = count;
        }
    }

    /// <summary>Switches every fault off; counters are kept.</summary>
    public void Reset()
    {
        DropWatchesEvery(null);
        lock (_gate)
        {
            ErrorRate = 0;
            ConflictRate = 0;
            Latency = TimeSpan.Zero;
            _forcedGone = 0;
        }
    }

    public void Dispose() => DropWatchesEvery(null);

    internal int? NextError()
    {
        lock (_gate)
        {
            if (ErrorRate <= 0 || _random.NextDouble() >= ErrorRate || ErrorCodes.Count == 0)
            {
                return null;
            }

            InjectedErrors++;
            return ErrorCodes[_random.Next(ErrorCodes.Count)];
        }
    }

    internal bool NextConflict()
    {
        lock (_gate)
        {
            if (ConflictRate <= 0 || _random.NextDouble() >= ConflictRate)
            {
                return false;
            }

            InjectedConflicts++;
            return true;
        }
    }

    internal bool TakeForcedGone()
    {
        lock (_gate)
        {
            if (_forcedGone <= 0)
            {
                return false;
            }

            _forcedGone--;
            InjectedGone++;
            return true;
        }
    }
}
