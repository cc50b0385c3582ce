using System.Collections.Concurrent;
using AiBaseline.Controller.Hosting;
using AiBaseline.Controller.Queue;
using Microsoft.Extensions.Time.Testing;
using Prometheus;

namespace AiBaseline.Controller.Tests;

public sealed class ControllerTests
{
    private static readonly ObjectKey Key = new("ns", "model");
    private readonly CollectorRegistry registry = Metrics.NewCustomRegistry();
    private readonly FakeTimeProvider time = new();

    [Fact]
    public async Task A_failing_reconcile_is_retried_with_backoff_and_counted_as_an_error()
    {
        var reconciler = new ScriptedReconciler(_ => throw new InvalidOperationException("boom"), _ => ReconcileResult.Done);
        using var controller = NewController(reconciler, workers: 1);
        using var stop = new CancellationTokenSource();
        var run = controller.RunAsync(stop.Token);

        controller.Queue.Add(Key);
        await reconciler.WaitForCallsAsync(1);
        await WaitUntilAsync(() => controller.Queue.Requeues(Key) == 1);

        // The retry timer is set just after the count; stepping the clock until the retry runs covers both orders.
        await WaitUntilAsync(() =>
        {
            time.Advance(TimeSpan.FromSeconds(1));
            return reconciler.Calls >= 2;
        });
        await WaitUntilAsync(() => controller.Queue.Requeues(Key) == 0);

        await stop.CancelAsync();
        await run;
        Assert.Equal(1, await MetricsReader.ValueAsync(registry, """controller_runtime_reconcile_total{controller="test",result="error"}"""));
        Assert.Equal(1, await MetricsReader.ValueAsync(registry, """controller_runtime_reconcile_total{controller="test",result="success"}"""));
        Assert.Equal(1, await MetricsReader.ValueAsync(registry, """controller_runtime_reconcile_errors_total{controller="test"}"""));
        Assert.Equal(2, await MetricsReader.ValueAsync(registry, """controller_runtime_reconcile_time_seconds_count{controller="test"}"""));
        Assert.Equal(1, await MetricsReader.ValueAsync(registry, """workqueue_retries_total{name="test"}"""));
    }

    [Fact]
    public async Task A_requested_requeue_comes_back_after_the_delay_even_if_the_object_changed_in_between()
    {
        var reconciler = new ScriptedReconciler(_ => ReconcileResult.After(TimeSpan.FromMinutes(5)), _ => ReconcileResult.Done, _ => ReconcileResult.Done);
        using var controller = NewController(reconciler, workers: 1);
        using var stop = new CancellationTokenSource();
        var run = controller.RunAsync(stop.Token);

        controller.Queue.Add(Key);
        await reconciler.WaitForCallsAsync(1);

        // A status write triggers a watch event; that reconcile must not swallow the timed requeue.
        await WaitUntilAsync(() => reconciler.Finished == 1);
        controller.Queue.Add(Key);
        await reconciler.WaitForCallsAsync(2);
        await WaitUntilAsync(() => reconciler.Finished == 2);
        time.Advance(TimeSpan.FromMinutes(4));
        Assert.Equal(2, reconciler.Calls);
        time.Advance(TimeSpan.FromMinutes(1));
        await reconciler.WaitForCallsAsync(3);

        await stop.CancelAsync();
        await run;
        Assert.Equal(1, await MetricsReader.ValueAsync(registry, """controller_runtime_reconcile_total{controller="test",result="requeue_after"}"""));
    }

    [Fact]
    public async Task Workers_run_different_keys_in_parallel_but_never_the_same_key_twice_at_once()
    {
        var inFlight = new ConcurrentDictionary<ObjectKey, int>();
        var overlaps = 0;
        var maxParallel = 0;
        var reconciler = new DelegateReconciler(async (key, ct) =>
        {
            if (inFlight.AddOrUpdate(key, 1, (_, n) => n + 1) > 1)
            {
                Interlocked.Increment(ref overlaps);
            }

            var parallel = inFlight.Values.Sum();
            InterlockedMax(ref maxParallel, parallel);
            await Task.Delay(5, ct);
            inFlight.AddOrUpdate(key, 0, (_, n) => n - 1);
            return ReconcileResult.Done;
        });
        using var controller = NewController(reconciler, workers: 4);
        using var stop = new CancellationTokenSource();
        var run = controller.RunAsync(stop.Token);

        for (var round = 0; round < 50; round++)
        {
            for (var i = 0; i < 4; i++)
            {
                controller.Queue.Add(new ObjectKey("ns", $"m{i}"));
            }

            await Task.Delay(1, TestContext.Current.CancellationToken);
        }

        await WaitUntilAsync(() => controller.Queue.Depth == 0 && inFlight.Values.Sum() == 0);
        await stop.CancelAsync();
        await run;
        Assert.Equal(0, overlaps);
        Assert.True(maxParallel > 1, $"expected parallel reconciles of different keys, saw at most {maxParallel}");
    }

    private Hosting.Controller NewController(IReconciler reconciler, int workers) => new(
        "test",
        reconciler,
        new ControllerOptions { MaxConcurrentReconciles = workers, RateLimits = new RateLimiterOptions { BaseDelay = TimeSpan.FromSeconds(1) } },
        new ControllerMetrics(registry),
        time: time);

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not reached within 10 s");
            await Task.Delay(5, TestContext.Current.CancellationToken);
        }
    }

    private sealed class DelegateReconciler(Func<ObjectKey, CancellationToken, Task<ReconcileResult>> reconcile) : IReconciler
    {
        public Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken) => reconcile(key, cancellationToken);
    }

    /// <summary>Answers each call with the next step of a script and counts calls.</summary>
    private sealed class ScriptedReconciler(params Func<ObjectKey, ReconcileResult>[] steps) : IReconciler
    {
        private int calls;
        private int finished;

        public int Calls => Volatile.Read(ref calls);

        public int Finished => Volatile.Read(ref finished);

        public Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken)
        {
            var n = Interlocked.Increment(ref calls);
            try
            {
                return Task.FromResult(steps[Math.Min(n, steps.Length) - 1](key));
            }
            finally
            {
                Interlocked.Increment(ref finished);
            }
        }

        public Task WaitForCallsAsync(int count) => WaitUntilAsync(() => Calls >= count);
    }
}
