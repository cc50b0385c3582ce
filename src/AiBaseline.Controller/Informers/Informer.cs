using System.Collections.Immutable;
using System.Net;
using AiBaseline.Controller.Api;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AiBaseline.Controller.Informers;

/// <summary>
/// Keeps <see cref="Cache"/> in step with one collection: lists it, then watches from the list's resourceVersion
/// with bookmarks. A dropped stream resumes from the last resourceVersion seen; a 410 Gone lists again; other
/// errors back off with jitter. Every <see cref="InformerOptions.ResyncPeriod"/> it lists again and delivers every
/// object, so a lost event cannot stay lost.
/// </summary>
public sealed class Informer<T> : IInformer
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly KubeApiClient api;
    private readonly InformerOptions options;
    private readonly ILogger logger;
    private readonly TimeProvider time;
    private readonly TaskCompletionSource synced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ImmutableArray<Action<InformerEvent<T>>> handlers = [];
    private string? resourceVersion;
    private volatile bool running;
    private volatile bool connected;
    private long lastHealthyTicks;

    public Informer(KubeApiClient api, InformerOptions options, ILogger<Informer<T>>? logger = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.Resource.Namespaced && options.Namespace is not null)
        {
            throw new ArgumentException($"{options.Resource} is cluster-scoped and cannot be watched in namespace '{options.Namespace}'.", nameof(options));
        }

        this.api = api;
        this.options = options;
        this.logger = logger ?? NullLogger<Informer<T>>.Instance;
        this.time = time ?? TimeProvider.System;
    }

    /// <inheritdoc/>
    public string Name => options.Name;

    public string? LastError { get; private set; }

    /// <summary>
    /// Applied to every listed or watched object before it is cached or delivered, to drop what the process never
    /// reads (a status it rewrites from a fresh read, managedFields): at ten thousand objects that is most of the
    /// cache's memory. Null keeps objects as received.
    /// </summary>
    public Func<T, T>? Transform { get; init; }

    /// <summary>
    /// Which listed or watched objects the process needs at all, decided on the object as received: the others are neither
    /// cached nor delivered, and one that stops being needed is removed and delivered as deleted. Null keeps every object.
    /// </summary>
    public Func<T, bool>? Keep { get; init; }

    /// <summary>
    /// The objects seen so far, with indexes. Informers of one resource in different namespaces may share one
    /// (<see cref="InformerSet{T}"/>): each adds and removes objects of its own namespace only.
    /// </summary>
    public InformerCache<T> Cache { get; init; } = new();

    /// <inheritdoc/>
    public bool HasSynced => synced.Task.IsCompletedSuccessfully;

    /// <inheritdoc/>
    public bool IsRunning => running;

    /// <inheritdoc/>
    public bool IsHealthy =>
        running && HasSynced && (connected || time.GetUtcNow().UtcTicks - Interlocked.Read(ref lastHealthyTicks) < options.UnhealthyAfter.Ticks);

    /// <summary>
    /// Calls <paramref name="handler"/> for every change, on the informer's loop: keep it quick (enqueue a key).
    /// Register handlers before <see cref="RunAsync"/> so none misses the first list.
    /// </summary>
    public void AddHandler(Action<InformerEvent<T>> handler) => ImmutableInterlocked.Update(ref handlers, list => list.Add(handler));

    /// <inheritdoc/>
    public Task WaitForSyncAsync(CancellationToken cancellationToken) => synced.Task.WaitAsync(cancellationToken);

    /// <inheritdoc/>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        running = true;
        var failures = 0;
        var nextResync = DateTimeOffset.MaxValue;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                if (resourceVersion is null)
                {
                    if (!await TryAsync(() => RelistAsync(cancellationToken), ++failures, cancellationToken))
                    {
                        continue;
                    }

                    failures = 0;
                    nextResync = options.ResyncPeriod > TimeSpan.Zero ? time.GetUtcNow() + options.ResyncPeriod : DateTimeOffset.MaxValue;
                }

                var untilResync = nextResync - time.GetUtcNow();
                if (untilResync <= TimeSpan.Zero)
                {
                    logger.LogDebug("Resyncing {Informer} by listing again", Name);
                    resourceVersion = null;
                    continue;
                }

                if (await TryAsync(() => WatchAsync(untilResync, cancellationToken), failures + 1, cancellationToken))
                {
                    failures = 0;
                }
                else
                {
                    failures++;
                }
            }
        }
        finally
        {
            connected = false;
            running = false;
        }
    }

    private async Task<bool> TryAsync(Func<Task> attempt, int failures, CancellationToken cancellationToken)
    {
        try
        {
            await attempt();
            return true;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return false;
        }
        catch (KubeApiException e) when (e.IsGone)
        {
            logger.LogInformation("Watch of {Informer} expired at resourceVersion {ResourceVersion}; listing again", Name, resourceVersion);
            resourceVersion = null;
            return true;
        }
        catch (Exception e)
        {
            connected = false;
            var delay = Backoff(failures);
            if (e is KubeApiException { IsForbidden: true } refused)
            {
                // A missing RBAC rule: the server's message names the verb, resource and scope; a stack trace adds nothing.
                LastError = $"forbidden: {refused.Status?.Message ?? refused.Message}";
                logger.LogError(
                    "List or watch of {Informer} is forbidden: {Reason}; grant this ServiceAccount get, list and watch on it (docs/install.md lists every rule); retrying in {DelayMs} ms",
                    Name,
                    refused.Status?.Message ?? refused.Message,
                    (long)delay.TotalMilliseconds);
            }
            else
            {
                LastError = e.Message;
                logger.LogWarning(e, "List or watch of {Informer} failed ({Failures} in a row); retrying in {DelayMs} ms", Name, failures, (long)delay.TotalMilliseconds);
            }

            try
            {
                await Task.Delay(delay, time, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                // Stopping: the loop condition ends the run.
            }

            return false;
        }
    }

    private async Task RelistAsync(CancellationToken cancellationToken)
    {
        var list = await api.ListAsync<T>(options.Resource, options.Namespace, options.MetadataOnly, cancellationToken, options.Decode, options.LabelSelector);
        var seen = new HashSet<ObjectKey>();
        foreach (var item in list.Items.Where(Kept).Select(Trimmed))
        {
            seen.Add(ObjectKey.Of(item));
            var old = Cache.Upsert(item);
            Deliver(old is null ? new(InformerEventType.Added, item, null) : new(InformerEventType.Updated, item, old));
        }

        foreach (var key in Cache.Keys().Where(key => !seen.Contains(key) && (options.Namespace is null || key.Namespace == options.Namespace)))
        {
            if (Cache.Remove(key) is { } gone)
            {
                Deliver(new(InformerEventType.Deleted, gone, null));
            }
        }

        resourceVersion = list.ResourceVersion;
        MarkHealthy();
        LastError = null;
        if (synced.TrySetResult())
        {
            logger.LogInformation("Informer {Informer} synced with {Count} objects", Name, list.Items.Count);
        }
    }

    private async Task WatchAsync(TimeSpan untilResync, CancellationToken cancellationToken)
    {
        // The server ends each watch after a random time so that many informers do not reconnect in step.
        var serverTimeout = options.WatchTimeout * (1 + Random.Shared.NextDouble());
        // Timers take at most ~49 days; a longer wait (resync turned off) means never.
        using var resync = new CancellationTokenSource(untilResync < TimeSpan.FromDays(30) ? untilResync : Timeout.InfiniteTimeSpan, time);
        using var idle = new CancellationTokenSource(serverTimeout + options.UnhealthyAfter, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, resync.Token, idle.Token);
        try
        {
            var events = api.WatchAsync<T>(
                options.Resource, options.Namespace, resourceVersion!, options.MetadataOnly, serverTimeout, OnConnected, linked.Token, options.Decode, options.LabelSelector);
            await foreach (var watchEvent in events)
            {
                Apply(watchEvent);
                MarkHealthy();
                idle.CancelAfter(serverTimeout + options.UnhealthyAfter);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && (resync.IsCancellationRequested || idle.IsCancellationRequested))
        {
            if (idle.IsCancellationRequested)
            {
                logger.LogWarning("Watch of {Informer} went silent; reconnecting from resourceVersion {ResourceVersion}", Name, resourceVersion);
            }
        }
        finally
        {
            connected = false;
        }
    }

    private void OnConnected()
    {
        connected = true;
        LastError = null;
        MarkHealthy();
    }

    private void Apply(WatchEvent<T> watchEvent)
    {
        switch (watchEvent.Kind)
        {
            case WatchEventKind.Added or WatchEventKind.Modified when watchEvent.Object is { } received && !Kept(received):
                if (Cache.Remove(ObjectKey.Of(received)) is { } dropped)
                {
                    Deliver(new(InformerEventType.Deleted, dropped, null));
                }

                break;
            case WatchEventKind.Added or WatchEventKind.Modified when watchEvent.Object is { } received:
                var obj = Trimmed(received);
                var old = Cache.Upsert(obj);
                Deliver(old is null ? new(InformerEventType.Added, obj, null) : new(InformerEventType.Updated, obj, old));
                break;
            case WatchEventKind.Deleted when watchEvent.Object is { } gone:
                var removed = Cache.Remove(ObjectKey.Of(gone));
                if (removed is not null || Kept(gone))
                {
                    Deliver(new(InformerEventType.Deleted, removed ?? Trimmed(gone), null));
                }

                break;
            case WatchEventKind.Error:
                var code = watchEvent.Error?.Code ?? 500;
                throw new KubeApiException((HttpStatusCode)code, $"Watch of {Name} failed: {watchEvent.Error?.Message}", watchEvent.Error);
        }

        if (watchEvent.ResourceVersion is { Length: > 0 } rv)
        {
            resourceVersion = rv;
        }
    }

    private T Trimmed(T received) => Transform is { } transform ? transform(received) : received;

    private bool Kept(T received) => Keep?.Invoke(received) ?? true;

    private void Deliver(InformerEvent<T> change)
    {
        foreach (var handler in handlers)
        {
            try
            {
                handler(change);
            }
            catch (Exception e)
            {
                logger.LogError(e, "Event handler of {Informer} failed on {EventType} of {Key}", Name, change.Type, ObjectKey.Of(change.Object));
            }
        }
    }

    private void MarkHealthy() => Interlocked.Exchange(ref lastHealthyTicks, time.GetUtcNow().UtcTicks);

    private TimeSpan Backoff(int failures)
    {
        var exponent = Math.Min(Math.Max(failures - 1, 0), 20);
        var delay = Math.Min(options.MinBackoff.TotalMilliseconds * Math.Pow(2, exponent), options.MaxBackoff.TotalMilliseconds);

        // Jitter spreads the retries of many informers (and many replicas) after a shared outage.
        return TimeSpan.FromMilliseconds(delay * (0.75 + (0.5 * Random.Shared.NextDouble())));
    }
}
