using AiBaseline.Controller.Queue;
using Prometheus;

namespace AiBaseline.Controller.Hosting;

/// <summary>
/// Every metric of the runtime, under controller-runtime's names and labels so that existing dashboards work.
/// Labels carry controller and queue names only, never object names.
/// </summary>
public sealed class ControllerMetrics
{
    private readonly Counter reconcileTotal;
    private readonly Counter reconcileErrors;
    private readonly Histogram reconcileTime;
    private readonly Gauge activeWorkers;
    private readonly Gauge maxConcurrentReconciles;
    private readonly Gauge queueDepth;
    private readonly Counter queueAdds;
    private readonly Histogram queueDuration;
    private readonly Counter queueRetries;
    private readonly Gauge leaderStatus;
    private readonly Counter requests;
    private readonly Histogram requestDuration;
    private readonly Histogram rateLimiterDuration;

    /// <summary>Registers the metrics in <paramref name="registry"/> (the default registry when null).</summary>
    public ControllerMetrics(CollectorRegistry? registry = null)
    {
        var factory = Metrics.WithCustomRegistry(registry ?? Metrics.DefaultRegistry);
        reconcileTotal = factory.CreateCounter(
            "controller_runtime_reconcile_total", "Total number of reconciliations per controller.", "controller", "result");
        reconcileErrors = factory.CreateCounter(
            "controller_runtime_reconcile_errors_total", "Total number of reconciliation errors per controller.", "controller");
        reconcileTime = factory.CreateHistogram(
            "controller_runtime_reconcile_time_seconds",
            "Length of time per reconciliation per controller.",
            ["controller"],
            new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.005, 2, 15) });
        activeWorkers = factory.CreateGauge(
            "controller_runtime_active_workers", "Number of currently used workers per controller.", "controller");
        maxConcurrentReconciles = factory.CreateGauge(
            "controller_runtime_max_concurrent_reconciles", "Maximum number of concurrent reconciles per controller.", "controller");
        queueDepth = factory.CreateGauge("workqueue_depth", "Current depth of workqueue.", "name");
        queueAdds = factory.CreateCounter("workqueue_adds_total", "Total number of adds handled by workqueue.", "name");
        queueDuration = factory.CreateHistogram(
            "workqueue_queue_duration_seconds",
            "How long in seconds an item stays in workqueue before being requested.",
            ["name"],
            new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(1e-8, 10, 11) });
        queueRetries = factory.CreateCounter("workqueue_retries_total", "Total number of retries handled by workqueue.", "name");
        leaderStatus = factory.CreateGauge(
            "leader_election_master_status", "Gauge of if the reporter is master of the relevant lease, 0 indicates backup, 1 indicates master.", "name");

        // client-go's REST client metrics, with its labels and buckets.
        requests = factory.CreateCounter(
            "rest_client_requests_total", "Number of HTTP requests, partitioned by status code, method, and host.", "code", "method", "host");
        var clientBuckets = new HistogramConfiguration { Buckets = [0.005, 0.025, 0.1, 0.25, 0.5, 1, 2, 4, 8, 15, 30, 60] };
        requestDuration = factory.CreateHistogram(
            "rest_client_request_duration_seconds", "Request latency in seconds. Broken down by verb, and host.", ["verb", "host"], clientBuckets);
        rateLimiterDuration = factory.CreateHistogram(
            "rest_client_rate_limiter_duration_seconds", "Client side rate limiter latency in seconds. Broken down by verb, and host.", ["verb", "host"], clientBuckets);
    }

    /// <summary>The hooks a work queue named <paramref name="name"/> reports through.</summary>
    public IWorkQueueMetrics ForQueue(string name) => new QueueMetrics(this, name);

    /// <summary>Records whether this process holds the lease <paramref name="name"/>.</summary>
    public void SetLeader(string name, bool leading) => leaderStatus.WithLabels(name).Set(leading ? 1 : 0);

    /// <summary>Records one request to the API server: its status code (or <c>&lt;error&gt;</c>), method, host and time to the response.</summary>
    internal void Requested(string code, string method, string host, TimeSpan elapsed)
    {
        requests.WithLabels(code, method, host).Inc();
        requestDuration.WithLabels(method, host).Observe(elapsed.TotalSeconds);
    }

    /// <summary>Records how long a request waited for the client-side rate limiter.</summary>
    internal void RateLimited(string method, string host, TimeSpan waited) =>
        rateLimiterDuration.WithLabels(method, host).Observe(waited.TotalSeconds);

    internal void Reconciled(string controller, string result, TimeSpan elapsed)
    {
        reconcileTotal.WithLabels(controller, result).Inc();
        if (result == ReconcileOutcome.Error)
        {
            reconcileErrors.WithLabels(controller).Inc();
        }

        reconcileTime.WithLabels(controller).Observe(elapsed.TotalSeconds);
    }

    internal void WorkerStarted(string controller) => activeWorkers.WithLabels(controller).Inc();

    internal void WorkerFinished(string controller) => activeWorkers.WithLabels(controller).Dec();

    /// <summary>
    /// Records a controller's worker count and publishes its reconcile series at zero, as controller-runtime does,
    /// so that rate() and alerts over errors see a series before the first error happens.
    /// </summary>
    internal void SetMaxConcurrentReconciles(string controller, int workers)
    {
        maxConcurrentReconciles.WithLabels(controller).Set(workers);
        foreach (var outcome in ReconcileOutcome.All)
        {
            reconcileTotal.WithLabels(controller, outcome).Publish();
        }

        reconcileErrors.WithLabels(controller).Publish();
        activeWorkers.WithLabels(controller).Publish();
    }

    private sealed class QueueMetrics : IWorkQueueMetrics
    {
        private readonly ControllerMetrics owner;
        private readonly string name;

        public QueueMetrics(ControllerMetrics owner, string name)
        {
            this.owner = owner;
            this.name = name;

            // Published at zero from the start, so a queue that never retried still shows the series.
            owner.queueAdds.WithLabels(name).Publish();
            owner.queueRetries.WithLabels(name).Publish();
            owner.queueDepth.WithLabels(name).Publish();
        }

        public void Added() => owner.queueAdds.WithLabels(name).Inc();

        public void DepthChanged(int depth) => owner.queueDepth.WithLabels(name).Set(depth);

        public void Waited(TimeSpan duration) => owner.queueDuration.WithLabels(name).Observe(duration.TotalSeconds);

        public void Retried() => owner.queueRetries.WithLabels(name).Inc();
    }
}

/// <summary>The <c>result</c> label values of <c>controller_runtime_reconcile_total</c>.</summary>
public static class ReconcileOutcome
{
    public const string Success = "success";
    public const string Error = "error";
    public const string Requeue = "requeue";
    public const string RequeueAfter = "requeue_after";

    /// <summary>Every result, in the order they are published.</summary>
    public static IReadOnlyList<string> All { get; } = [Success, Error, Requeue, RequeueAfter];
}
