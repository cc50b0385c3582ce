namespace AiBaseline.Controller.Queue;

/// <summary>
/// A keyed work queue. A key waiting once is waiting once however often it is added. A key is handed to one worker
/// at a time: added while in flight, it is processed again after <see cref="Done"/>. Delayed and rate-limited adds
/// keep only the earliest pending time per key.
/// </summary>
public sealed class WorkQueue<TKey> : IDisposable
    where TKey : notnull
{
    private readonly Lock gate = new();
    private readonly Queue<TKey> queue = new();
    private readonly HashSet<TKey> dirty = [];
    private readonly HashSet<TKey> processing = [];
    private readonly Dictionary<TKey, long> addedAt = [];
    private readonly Dictionary<TKey, DateTimeOffset> waiting = [];
    private readonly PriorityQueue<TKey, DateTimeOffset> due = new();
    private readonly SemaphoreSlim available = new(0);
    private readonly RateLimiter<TKey> limiter;
    private readonly IWorkQueueMetrics? metrics;
    private readonly TimeProvider time;
    private ITimer? wakeUp;
    private DateTimeOffset wakeUpAt = DateTimeOffset.MaxValue;
    private bool shutDown;

    public WorkQueue(string name, RateLimiterOptions? rateLimits = null, IWorkQueueMetrics? metrics = null, TimeProvider? time = null)
    {
        Name = name;
        this.time = time ?? TimeProvider.System;
        this.metrics = metrics;
        limiter = new RateLimiter<TKey>(rateLimits ?? new RateLimiterOptions(), this.time);
    }

    /// <summary>Name used in metrics and logs.</summary>
    public string Name { get; }

    /// <summary>Keys waiting to be handed out (not counting delayed keys).</summary>
    public int Depth
    {
        get
        {
            lock (gate)
            {
                return queue.Count;
            }
        }
    }

    /// <summary>Adds a key now.</summary>
    public void Add(TKey key)
    {
        lock (gate)
        {
            if (shutDown || !dirty.Add(key))
            {
                return;
            }

            metrics?.Added();
            addedAt[key] = time.GetTimestamp();
            if (processing.Contains(key))
            {
                return;
            }

            Enqueue(key);
        }
    }

    /// <summary>Adds a key once <paramref name="delay"/> has passed (now, if it is not positive).</summary>
    public void AddAfter(TKey key, TimeSpan delay)
    {
        if (delay <= TimeSpan.Zero)
        {
            Add(key);
            return;
        }

        lock (gate)
        {
            if (shutDown)
            {
                return;
            }

            var at = time.GetUtcNow() + delay;
            if (waiting.TryGetValue(key, out var pending) && pending <= at)
            {
                return;
            }

            // One timer for every delayed key, set to the earliest: at 10,000 deployments each waiting for its next
            // check, a timer per key (with its callback and the execution context it captured) was megabytes. A key
            // brought forward is pushed again; its later entry is skipped when it comes up.
            waiting[key] = at;
            due.Enqueue(key, at);
            if (at < wakeUpAt)
            {
                WakeUpAt(at);
            }
        }
    }

    /// <summary>Adds a key after its backoff: each call without <see cref="Forget"/> in between doubles the wait.</summary>
    public void AddRateLimited(TKey key)
    {
        TimeSpan delay;
        lock (gate)
        {
            if (shutDown)
            {
                return;
            }

            delay = limiter.When(key);
        }

        metrics?.Retried();
        AddAfter(key, delay);
    }

    /// <summary>Clears the failure count of a key, after it was processed successfully.</summary>
    public void Forget(TKey key)
    {
        lock (gate)
        {
            limiter.Forget(key);
        }
    }

    /// <summary>How many times the key was put back by <see cref="AddRateLimited"/> since it was last forgotten.</summary>
    public int Requeues(TKey key)
    {
        lock (gate)
        {
            return limiter.Failures(key);
        }
    }

    /// <summary>
    /// Waits for a key and marks it in flight; call <see cref="Done"/> when finished with it. Throws
    /// <see cref="OperationCanceledException"/> when cancelled or when the queue is shut down.
    /// </summary>
    public async Task<TKey> GetAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            await available.WaitAsync(cancellationToken);
            lock (gate)
            {
                if (shutDown)
                {
                    // Wake the next waiting worker too.
                    available.Release();
                    throw new OperationCanceledException($"The work queue {Name} is shut down.");
                }

                if (!queue.TryDequeue(out var key))
                {
                    continue;
                }

                dirty.Remove(key);
                processing.Add(key);
                if (addedAt.Remove(key, out var added))
                {
                    metrics?.Waited(time.GetElapsedTime(added));
                }

                metrics?.DepthChanged(queue.Count);
                return key;
            }
        }
    }

    /// <summary>Marks a key finished; if it was added while in flight it is queued again.</summary>
    public void Done(TKey key)
    {
        lock (gate)
        {
            processing.Remove(key);
            if (!shutDown && dirty.Contains(key))
            {
                Enqueue(key);
            }
        }
    }

    /// <summary>Stops accepting keys, drops delayed ones and releases waiting workers.</summary>
    public void ShutDown()
    {
        lock (gate)
        {
            if (shutDown)
            {
                return;
            }

            shutDown = true;
            wakeUp?.Dispose();
            waiting.Clear();
            due.Clear();
            available.Release();
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        ShutDown();
        available.Dispose();
    }

    /// <summary>Sets the one timer to <paramref name="at"/>; called under the lock.</summary>
    private void WakeUpAt(DateTimeOffset at)
    {
        wakeUpAt = at;
        var delay = at - time.GetUtcNow();
        delay = delay < TimeSpan.Zero ? TimeSpan.Zero : delay;
        if (wakeUp is null)
        {
            // The timer adds keys only: it must not keep the execution context (logging scope) of the first caller.
            var suppress = !ExecutionContext.IsFlowSuppressed();
            if (suppress)
            {
                ExecutionContext.SuppressFlow();
            }

            try
            {
                wakeUp = time.CreateTimer(_ => Release(), null, delay, Timeout.InfiniteTimeSpan);
            }
            finally
            {
                if (suppress)
                {
                    ExecutionContext.RestoreFlow();
                }
            }
        }
        else
        {
            wakeUp.Change(delay, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>Adds every delayed key that is due and sets the timer to the next one.</summary>
    private void Release()
    {
        var ready = new List<TKey>();
        lock (gate)
        {
            if (shutDown)
            {
                return;
            }

            var now = time.GetUtcNow();
            wakeUpAt = DateTimeOffset.MaxValue;
            while (due.TryPeek(out var key, out var at))
            {
                if (!waiting.TryGetValue(key, out var current) || current != at)
                {
                    // Brought forward (and already added) or added since: this entry is out of date.
                    due.Dequeue();
                    continue;
                }

                if (at > now)
                {
                    WakeUpAt(at);
                    break;
                }

                due.Dequeue();
                waiting.Remove(key);
                ready.Add(key);
            }
        }

        foreach (var key in ready)
        {
            Add(key);
        }
    }

    private void Enqueue(TKey key)
    {
        queue.Enqueue(key);
        metrics?.DepthChanged(queue.Count);
        available.Release();
    }
}
