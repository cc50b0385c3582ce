namespace AiBaseline.Controller.Api;

/// <summary>
/// client-go's token bucket: <see cref="Burst"/> requests may go at once, then one every 1/<see cref="Qps"/> seconds.
/// Each caller takes a token at once, running into debt when there is none, and waits until the debt is paid, so
/// callers go in the order they asked and the rate never exceeds the limit (golang.org/x/time/rate's reservations).
/// </summary>
public sealed class ClientRateLimiter
{
    private readonly Lock gate = new();
    private readonly TimeProvider time;
    private double tokens;
    private long refilledAt;

    /// <param name="qps">Tokens added per second; more than zero.</param>
    /// <param name="burst">Tokens the bucket holds, and holds at the start; at least one.</param>
    /// <param name="time">The clock.</param>
    public ClientRateLimiter(double qps, int burst, TimeProvider? time = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(qps);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(burst);
        Qps = qps;
        Burst = burst;
        this.time = time ?? TimeProvider.System;
        tokens = burst;
        refilledAt = this.time.GetTimestamp();
    }

    public double Qps { get; }

    public int Burst { get; }

    /// <summary>Takes a token, waiting until one is due; returns how long it waited.</summary>
    public async ValueTask<TimeSpan> WaitAsync(CancellationToken cancellationToken)
    {
        TimeSpan wait;
        lock (gate)
        {
            var now = time.GetTimestamp();
            tokens = Math.Min(Burst, tokens + (time.GetElapsedTime(refilledAt, now).TotalSeconds * Qps));
            refilledAt = now;
            tokens -= 1;
            wait = tokens >= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(-tokens / Qps);
        }

        if (wait <= TimeSpan.Zero)
        {
            return TimeSpan.Zero;
        }

        try
        {
            await Task.Delay(wait, time, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // A request that never went out gives its token back.
            lock (gate)
            {
                tokens = Math.Min(Burst, tokens + 1);
            }

            throw;
        }

        return wait;
    }
}
