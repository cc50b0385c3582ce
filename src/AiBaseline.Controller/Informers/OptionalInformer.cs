using System.Collections.Immutable;
using k8s;
using k8s.Models;

namespace AiBaseline.Controller.Informers;

/// <summary>
/// An informer over a resource that may not exist yet, such as a custom resource whose CustomResourceDefinition is
/// installed later. While the resource is unavailable it holds an empty, synced cache and makes no request; when
/// <see cref="SetAvailable"/> says it is served it starts fresh <see cref="Informer{T}"/>s (one per watched namespace)
/// on the same cache and handlers; when the resource goes away it stops that informer and delivers a deletion for every cached object.
/// Whoever decides availability (a watch of CustomResourceDefinitions, for instance) is outside: no API call is made
/// to find out.
/// </summary>
public sealed class OptionalInformer<T> : IInformer
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly Func<InformerCache<T>, IReadOnlyList<Informer<T>>> create;
    private readonly Func<CancellationToken, Task> decided;
    private readonly object gate = new();
    private ImmutableArray<Action<InformerEvent<T>>> handlers = [];
    private TaskCompletionSource changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool available;
    private volatile IReadOnlyList<Informer<T>>? current;
    private volatile bool running;

    /// <param name="name">Name in logs, metrics and readiness.</param>
    /// <param name="create">Makes the informers for one period of availability; they must write to the cache they are given.</param>
    /// <param name="decided">Completes once availability is known (the first list of whatever decides it), so the first sync waits for it.</param>
    public OptionalInformer(string name, Func<InformerCache<T>, IReadOnlyList<Informer<T>>> create, Func<CancellationToken, Task> decided)
    {
        Name = name;
        this.create = create;
        this.decided = decided;
    }

    /// <inheritdoc/>
    public string Name { get; }

    /// <summary>The objects while the resource is served; empty otherwise.</summary>
    public InformerCache<T> Cache { get; } = new();

    /// <summary>Whether the resource is served now (the last <see cref="SetAvailable"/>).</summary>
    public bool IsAvailable
    {
        get
        {
            lock (gate)
            {
                return available;
            }
        }
    }

    /// <inheritdoc/>
    public bool HasSynced => current is not { } informers || informers.All(i => i.HasSynced);

    /// <inheritdoc/>
    public bool IsRunning => running;

    /// <inheritdoc/>
    public bool IsHealthy => running && (current is not { } informers || informers.All(i => i.IsHealthy));

    /// <inheritdoc/>
    public string? LastError => current?.Select(i => i.LastError).FirstOrDefault(e => e is not null);

    /// <summary>Calls <paramref name="handler"/> for every change; register before <see cref="RunAsync"/>.</summary>
    public void AddHandler(Action<InformerEvent<T>> handler) => ImmutableInterlocked.Update(ref handlers, list => list.Add(handler));

    /// <summary>Says whether the resource is served; the informer starts or stops accordingly.</summary>
    public void SetAvailable(bool served)
    {
        TaskCompletionSource signal;
        lock (gate)
        {
            if (available == served)
            {
                return;
            }

            available = served;
            signal = changed;
            changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        signal.TrySetResult();
    }

    /// <inheritdoc/>
    public async Task WaitForSyncAsync(CancellationToken cancellationToken)
    {
        await decided(cancellationToken).ConfigureAwait(false);
        if (IsAvailable)
        {
            IReadOnlyList<Informer<T>>? informers;
            while ((informers = current) is null)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(20), cancellationToken).ConfigureAwait(false);
            }

            await Task.WhenAll(informers.Select(i => i.WaitForSyncAsync(cancellationToken))).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        running = true;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                Task next;
                bool served;
                lock (gate)
                {
                    next = changed.Task;
                    served = available;
                }

                if (!served)
                {
                    await next.WaitAsync(cancellationToken).ConfigureAwait(false);
                    continue;
                }

                var informers = create(Cache);
                foreach (var informer in informers)
                {
                    foreach (var handler in handlers)
                    {
                        informer.AddHandler(handler);
                    }
                }

                using var period = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                current = informers;
                var run = Task.WhenAll(informers.Select(i => i.RunAsync(period.Token)));
                try
                {
                    await next.WaitAsync(cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    await period.CancelAsync().ConfigureAwait(false);
                    await run.ConfigureAwait(false);
                }

                if (!IsAvailable)
                {
                    current = null;
                    Forget();
                }
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

    // The resource is gone, and its objects with it: deliver their deletion so what depended on them is judged again.
    private void Forget()
    {
        foreach (var key in Cache.Keys())
        {
            if (Cache.Remove(key) is { } gone)
            {
                foreach (var handler in handlers)
                {
                    handler(new InformerEvent<T>(InformerEventType.Deleted, gone, null));
                }
            }
        }
    }
}
