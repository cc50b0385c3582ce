using AiBaseline.Controller.Queue;
using Microsoft.Extensions.Time.Testing;

namespace AiBaseline.Controller.Tests;

public sealed class WorkQueueTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly RecordingMetrics metrics = new();

    private WorkQueue<string> NewQueue(RateLimiterOptions? limits = null) => new("test", limits, metrics, time);

    [Fact]
    public async Task A_key_added_many_times_is_handed_out_once()
    {
        using var queue = NewQueue();
        queue.Add("a");
        queue.Add("a");
        queue.Add("b");
        queue.Add("a");

        Assert.Equal(2, queue.Depth);
        Assert.Equal("a", await queue.GetAsync(TestContext.Current.CancellationToken));
        Assert.Equal("b", await queue.GetAsync(TestContext.Current.CancellationToken));
        Assert.Equal(0, queue.Depth);
        Assert.Equal(2, metrics.Adds);
    }

    [Fact]
    public async Task A_key_added_while_in_flight_waits_until_done_and_then_comes_back_once()
    {
        using var queue = NewQueue();
        queue.Add("a");
        var key = await queue.GetAsync(TestContext.Current.CancellationToken);
        queue.Add("a");
        queue.Add("a");

        // In flight: no second worker may get it.
        Assert.Equal(0, queue.Depth);
        var second = queue.GetAsync(TestContext.Current.CancellationToken);
        Assert.False(second.IsCompleted);

        queue.Done(key);
        Assert.Equal("a", await second.WaitAsync(Wait, TestContext.Current.CancellationToken));
        queue.Done("a");
        Assert.Equal(0, queue.Depth);
    }

    [Fact]
    public void A_delayed_key_arrives_when_its_time_comes_and_the_earliest_time_wins()
    {
        using var queue = NewQueue();
        queue.AddAfter("a", TimeSpan.FromSeconds(10));
        queue.AddAfter("a", TimeSpan.FromSeconds(30)); // later: must not postpone the first
        queue.AddAfter("b", TimeSpan.FromSeconds(30));
        queue.AddAfter("b", TimeSpan.FromSeconds(5)); // earlier: must bring it forward

        time.Advance(TimeSpan.FromSeconds(4));
        Assert.Equal(0, queue.Depth);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, queue.Depth); // b
        time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(2, queue.Depth); // a
        time.Advance(TimeSpan.FromSeconds(60));
        Assert.Equal(2, queue.Depth); // the replaced timers never fire
    }

    [Fact]
    public async Task Many_delayed_keys_arrive_in_the_order_of_their_times_and_a_key_can_wait_again_after_it_arrived()
    {
        using var queue = NewQueue();
        var ct = TestContext.Current.CancellationToken;
        foreach (var (key, seconds) in new[] { ("c", 30), ("a", 10), ("b", 20), ("d", 40) })
        {
            queue.AddAfter(key, TimeSpan.FromSeconds(seconds));
        }

        time.Advance(TimeSpan.FromSeconds(25));
        Assert.Equal(2, queue.Depth);
        Assert.Equal(["a", "b"], new[] { await queue.GetAsync(ct), await queue.GetAsync(ct) });
        queue.Done("a");
        queue.AddAfter("a", TimeSpan.FromSeconds(1));
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("a", await queue.GetAsync(ct));
        time.Advance(TimeSpan.FromSeconds(15));
        Assert.Equal(["c", "d"], new[] { await queue.GetAsync(ct), await queue.GetAsync(ct) });
        Assert.Equal(0, queue.Depth);
    }

    [Fact]
    public async Task Failures_back_off_exponentially_per_key_and_forget_resets_the_count()
    {
        using var queue = NewQueue(new RateLimiterOptions { BaseDelay = TimeSpan.FromSeconds(1), MaxDelay = TimeSpan.FromSeconds(8) });
        var expected = new[] { 1, 2, 4, 8, 8 };
        foreach (var seconds in expected)
        {
            queue.AddRateLimited("a");
            time.Advance(TimeSpan.FromSeconds(seconds) - TimeSpan.FromMilliseconds(1));
            Assert.Equal(0, queue.Depth);
            time.Advance(TimeSpan.FromMilliseconds(1));
            Assert.Equal(1, queue.Depth);
            queue.Done(await queue.GetAsync(TestContext.Current.CancellationToken));
        }

        Assert.Equal(5, queue.Requeues("a"));
        Assert.Equal(5, metrics.Retries);
        queue.Forget("a");
        Assert.Equal(0, queue.Requeues("a"));
        queue.AddRateLimited("a");
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, queue.Depth);
    }

    [Fact]
    public void Retries_across_all_keys_are_limited_by_the_shared_bucket_once_the_burst_is_spent()
    {
        using var queue = NewQueue(new RateLimiterOptions { BaseDelay = TimeSpan.Zero, RetriesPerSecond = 2, Burst = 3 });
        for (var i = 0; i < 7; i++)
        {
            queue.AddRateLimited($"k{i}");
        }

        // The burst of three goes now; the other four are spaced at two per second.
        Assert.Equal(3, queue.Depth);
        time.Advance(TimeSpan.FromMilliseconds(500));
        Assert.Equal(4, queue.Depth);
        time.Advance(TimeSpan.FromMilliseconds(1500));
        Assert.Equal(7, queue.Depth);
    }

    [Fact]
    public async Task Queue_time_is_measured_from_the_add_to_the_hand_out()
    {
        using var queue = NewQueue();
        queue.Add("a");
        time.Advance(TimeSpan.FromSeconds(3));
        queue.Add("a"); // a duplicate add must not restart the clock

        await queue.GetAsync(TestContext.Current.CancellationToken);

        Assert.Equal([TimeSpan.FromSeconds(3)], metrics.Waits);
        Assert.Equal([1, 0], metrics.Depths);
    }

    [Fact]
    public async Task Shutting_down_releases_waiting_workers_and_ignores_later_adds()
    {
        using var queue = NewQueue();
        var waiting = queue.GetAsync(TestContext.Current.CancellationToken);
        queue.AddAfter("late", TimeSpan.FromSeconds(1));

        queue.ShutDown();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitAsync(Wait, TestContext.Current.CancellationToken));
        queue.Add("a");
        time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(0, queue.Depth);
    }

    private sealed class RecordingMetrics : IWorkQueueMetrics
    {
        public int Adds { get; private set; }

        public int Retries { get; private set; }

        public List<int> Depths { get; } = [];

        public List<TimeSpan> Waits { get; } = [];

        public void Added() => Adds++;

        public void DepthChanged(int depth) => Depths.Add(depth);

        public void Waited(TimeSpan duration) => Waits.Add(duration);

        public void Retried() => Retries++;
    }

    [Fact]
    public void A_delayed_key_does_not_keep_what_the_caller_had_in_its_execution_context()
    {
        using var queue = new WorkQueue<string>("test", null, metrics, TimeProvider.System);
        var scope = new AsyncLocal<object?>();

        var held = ScheduleWithin(queue, scope);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        Assert.False(held.IsAlive, "a key waiting an hour kept its caller's logging scope (execution context) alive");
        Assert.True(queue.Depth == 0);
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static WeakReference ScheduleWithin(WorkQueue<string> queue, AsyncLocal<object?> scope)
    {
        WeakReference? held = null;
        ExecutionContext.Run(
            ExecutionContext.Capture()!,
            _ =>
            {
                var properties = new byte[64 * 1024];
                scope.Value = properties;
                held = new WeakReference(properties);
                queue.AddAfter("a", TimeSpan.FromHours(1));
            },
            null);
        return held!;
    }
}
