namespace AiBaseline.Controller.Queue;

/// <summary>How long a failed key waits before its next attempt.</summary>
public sealed record RateLimiterOptions
{
    /// <summary>Wait after the first failure of a key; doubles per further failure.</summary>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromMilliseconds(5);

    /// <summary>Longest wait of a single key.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(1000);

    /// <summary>Retries allowed per second over all keys, after the burst is spent.</summary>
    public double RetriesPerSecond { get; init; } = 10;

    /// <summary>Retries allowed at once over all keys.</summary>
    public int Burst { get; init; } = 100;
}

/// <summary>
/// Per-key exponential backoff combined with a token bucket over all keys: one broken object backs off on its own,
/// and a failure storm across many objects cannot flood the API server. Not thread-safe; the queue locks around it.
/// </summary>
internal sealed class RateLimiter<TKey>(RateLimiterOptions options, TimeProvider time)
    where TKey : notnull
{
    private readonly Dictionary<TKey, int> failures = [];
    private double tokens = options.Burst;
    private DateTimeOffset refilledAt = time.GetUtcNow();

    public TimeSpan When(TKey key)
    {
        var count = failures.GetValueOrDefault(key);
        failures[key] = count + 1;
        var perKey = options.BaseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(count, 40));
        var backoff = TimeSpan.FromMilliseconds(Math.Min(perKey, options.MaxDelay.TotalMilliseconds));
        var bucket = BucketDelay();
        return backoff > bucket ? backoff : bucket;
    }

    public int Failures(TKey key) => failures.GetValueOrDefault(key);

    public void Forget(TKey key) => failures.Remove(key);

    private TimeSpan BucketDelay()
    {
        var now = time.GetUtcNow();
        tokens = Math.Min(options.Burst, tokens + ((now - refilledAt).TotalSeconds * options.RetriesPerSecond));
        refilledAt = now;
        tokens -= 1;

        // A negative balance is a reservation: this retry waits until the bucket has refilled that far.
        return tokens >= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(-tokens / options.RetriesPerSecond);
    }
}
