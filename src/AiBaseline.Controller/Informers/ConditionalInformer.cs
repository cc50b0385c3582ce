namespace AiBaseline.Controller.Informers;

/// <summary>
/// An informer for a resource that may not be served, such as a custom resource of an optional add-on: it runs the
/// inner informer only once discovery says the API server serves the resource, and asks again every
/// <see cref="Recheck"/> until then. While the resource is not served the (empty) cache counts as synced and
/// healthy, so readiness does not wait for an add-on that is not installed; once it is installed, the inner
/// informer's list and watch take over, and so does its health.
/// </summary>
public sealed class ConditionalInformer : IInformer
{
    private readonly IInformer inner;
    private readonly Func<CancellationToken, Task<bool>> served;
    private readonly TimeProvider time;
    private readonly TaskCompletionSource settled = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool running;
    private volatile bool absent;
    private volatile bool started;

    /// <param name="inner">The informer to run once the resource is served.</param>
    /// <param name="served">Discovery: whether the API server serves the resource now.</param>
    /// <param name="time">The clock the rechecks wait on.</param>
    public ConditionalInformer(IInformer inner, Func<CancellationToken, Task<bool>> served, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(served);
        this.inner = inner;
        this.served = served;
        this.time = time;
    }

    /// <summary>How long to wait before asking discovery again while the resource is not served.</summary>
    public TimeSpan Recheck { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Whether the inner informer has been started: the resource is served.</summary>
    public bool IsServed => started;

    public string Name => inner.Name;

    public bool HasSynced => absent || inner.HasSynced;

    public bool IsRunning => running && (!started || inner.IsRunning);

    public bool IsHealthy => running && (absent || inner.IsHealthy);

    public string? LastError => started ? inner.LastError : LastDiscoveryError;

    /// <summary>Why the last discovery request failed, or null.</summary>
    public string? LastDiscoveryError { get; private set; }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        running = true;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                bool isServed;
                try
                {
                    isServed = await served(cancellationToken);
                    LastDiscoveryError = null;
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // Discovery failed (the server is unreachable, or refused): not known to be absent, so not synced yet.
                    LastDiscoveryError = e.Message;
                    await Task.Delay(TimeSpan.FromSeconds(5), time, cancellationToken);
                    continue;
                }

                if (isServed)
                {
                    absent = false;
                    started = true;
                    _ = inner.WaitForSyncAsync(cancellationToken).ContinueWith(_ => settled.TrySetResult(), TaskScheduler.Default);
                    await inner.RunAsync(cancellationToken);
                    return;
                }

                absent = true;
                settled.TrySetResult();
                await Task.Delay(Recheck, time, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            running = false;
        }
    }

    public Task WaitForSyncAsync(CancellationToken cancellationToken) => settled.Task.WaitAsync(cancellationToken);
}
