using AiBaseline.Controller.Informers;
using AiBaseline.Controller.Queue;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AiBaseline.Controller.Hosting;

/// <summary>How a controller runs.</summary>
public sealed record ControllerOptions
{
    /// <summary>Keys reconciled at the same time (never the same key twice at once).</summary>
    public int MaxConcurrentReconciles { get; init; } = 1;

    /// <summary>Backoff of failed keys.</summary>
    public RateLimiterOptions RateLimits { get; init; } = new();
}

/// <summary>
/// A work queue and the workers that drain it into <see cref="IReconciler.ReconcileAsync"/>. Informer handlers add
/// keys at any time (also before this replica leads); workers run only inside <see cref="RunAsync"/>.
/// </summary>
public sealed class Controller : IDisposable
{
    private readonly IReconciler reconciler;
    private readonly ControllerOptions options;
    private readonly ControllerMetrics metrics;
    private readonly ILogger logger;
    private readonly TimeProvider time;

    public Controller(
        string name,
        IReconciler reconciler,
        ControllerOptions options,
        ControllerMetrics metrics,
        ILogger<Controller>? logger = null,
        TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxConcurrentReconciles, 1);
        Name = name;
        this.reconciler = reconciler;
        this.options = options;
        this.metrics = metrics;
        this.logger = logger ?? NullLogger<Controller>.Instance;
        this.time = time ?? TimeProvider.System;
        Queue = new WorkQueue<ObjectKey>(name, options.RateLimits, metrics.ForQueue(name), this.time);
    }

    /// <summary>Name used in metrics and logs.</summary>
    public string Name { get; }

    /// <summary>The keys waiting to be reconciled.</summary>
    public WorkQueue<ObjectKey> Queue { get; }

    /// <summary>
    /// An informer handler that enqueues the keys <paramref name="keysOf"/> returns for each changed object, for
    /// example the object itself, or the objects that reference it.
    /// </summary>
    public Action<InformerEvent<T>> Enqueue<T>(Func<InformerEvent<T>, IEnumerable<ObjectKey>> keysOf)
        where T : class, IKubernetesObject<V1ObjectMeta> =>
        change =>
        {
            foreach (var key in keysOf(change))
            {
                Queue.Add(key);
            }
        };

    /// <summary>Runs the workers until <paramref name="cancellationToken"/> is cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        metrics.SetMaxConcurrentReconciles(Name, options.MaxConcurrentReconciles);
        logger.LogInformation("Starting {Workers} workers of controller {Controller}", options.MaxConcurrentReconciles, Name);
        var workers = Enumerable.Range(0, options.MaxConcurrentReconciles).Select(_ => Task.Run(() => WorkAsync(cancellationToken), CancellationToken.None));
        await Task.WhenAll(workers);
        logger.LogInformation("Stopped workers of controller {Controller}", Name);
    }

    /// <inheritdoc/>
    public void Dispose() => Queue.Dispose();

    private async Task WorkAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            ObjectKey key;
            try
            {
                key = await Queue.GetAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            await ProcessAsync(key, cancellationToken);
        }
    }

    private async Task ProcessAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        metrics.WorkerStarted(Name);
        var started = time.GetTimestamp();
        using var scope = logger.BeginScope(new Dictionary<string, object?>
        {
            ["Controller"] = Name,
            ["Namespace"] = key.Namespace,
            ["Name"] = key.Name,
            ["ReconcileId"] = Guid.NewGuid().ToString("N"),
        });
        try
        {
            var result = await reconciler.ReconcileAsync(key, cancellationToken);
            string outcome;
            if (result.RequeueAfter is { } after && after > TimeSpan.Zero)
            {
                Queue.Forget(key);
                Queue.AddAfter(key, after);
                outcome = ReconcileOutcome.RequeueAfter;
            }
            else if (result.Requeue)
            {
                Queue.AddRateLimited(key);
                outcome = ReconcileOutcome.Requeue;
            }
            else
            {
                Queue.Forget(key);
                outcome = ReconcileOutcome.Success;
            }

            metrics.Reconciled(Name, outcome, time.GetElapsedTime(started));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping or no longer leading: the key stays in the queue for whoever reconciles next.
            Queue.Add(key);
        }
        catch (Exception e)
        {
            metrics.Reconciled(Name, ReconcileOutcome.Error, time.GetElapsedTime(started));
            logger.LogError(e, "Reconcile of {Key} failed; retrying after backoff ({Retries} retries so far)", key, Queue.Requeues(key));
            Queue.AddRateLimited(key);
        }
        finally
        {
            Queue.Done(key);
            metrics.WorkerFinished(Name);
        }
    }
}
