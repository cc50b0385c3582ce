using AiBaseline.Controller.Hosting;
using AiBaseline.Controller.Leadership;
using k8s;
using Prometheus;

namespace AiBaseline.Controller.Tests;

public sealed class LeaderElectionTests
{
    private static LeaderElectionOptions Options(string identity, TimeSpan leaseDuration) => new("test-leader", "default", identity)
    {
        LeaseDuration = leaseDuration,
        RenewDeadline = TimeSpan.FromSeconds(1),
        RetryPeriod = TimeSpan.FromMilliseconds(200),
    };

    [Fact]
    public async Task Only_the_leader_runs_and_a_standby_takes_over_as_soon_as_the_leader_stops()
    {
        await using var env = await Emulated.StartAsync();
        var registry = Metrics.NewCustomRegistry();
        var running = new int[2];
        var overlap = 0;
        Func<CancellationToken, Task> Work(int me) => async token =>
        {
            Interlocked.Exchange(ref running[me], 1);
            if (Volatile.Read(ref running[1 - me]) == 1)
            {
                Interlocked.Increment(ref overlap);
            }

            try
            {
                await Task.Delay(Timeout.Infinite, token);
            }
            finally
            {
                Interlocked.Exchange(ref running[me], 0);
            }
        };

        // A long lease: without the release written into the Lease, the standby would wait out all 30 seconds.
        var a = new LeaderElection(env.Kubernetes, Options("a", TimeSpan.FromSeconds(30)), new ControllerMetrics(registry), new TestLog<LeaderElection>());
        var b = new LeaderElection(env.Kubernetes, Options("b", TimeSpan.FromSeconds(30)), new ControllerMetrics(Metrics.NewCustomRegistry()));
        using var stopA = new CancellationTokenSource();
        using var stopB = new CancellationTokenSource();
        var runA = a.RunAsync(Work(0), stopA.Token);
        await Emulated.EventuallyAsync(() => a.IsLeader && Volatile.Read(ref running[0]) == 1, "a leads");
        var runB = b.RunAsync(Work(1), stopB.Token);
        await Task.Delay(1500, TestContext.Current.CancellationToken);
        Assert.False(b.IsLeader);
        Assert.Equal(0, Volatile.Read(ref running[1]));
        Assert.Equal(1, await MetricsReader.ValueAsync(registry, """leader_election_master_status{name="test-leader"}"""));

        await stopA.CancelAsync();
        Assert.Equal(LeadershipOutcome.Stopped, await runA);
        Assert.Equal(0, Volatile.Read(ref running[0]));
        await Emulated.EventuallyAsync(() => b.IsLeader && Volatile.Read(ref running[1]) == 1, "b takes over long before the 30 s lease would expire", seconds: 10);

        await stopB.CancelAsync();
        await runB;
        Assert.Equal(0, overlap);
        Assert.Equal(0, await MetricsReader.ValueAsync(registry, """leader_election_master_status{name="test-leader"}"""));
    }

    [Fact]
    public async Task A_clean_stop_clears_the_holder_so_a_new_candidate_leads_at_once()
    {
        await using var env = await Emulated.StartAsync();
        var a = new LeaderElection(env.Kubernetes, Options("a", TimeSpan.FromSeconds(30)), new ControllerMetrics(Metrics.NewCustomRegistry()));
        using var stopA = new CancellationTokenSource();
        var runA = a.RunAsync(token => Task.Delay(Timeout.Infinite, token), stopA.Token);
        await Emulated.EventuallyAsync(() => a.IsLeader, "a leads");

        await stopA.CancelAsync();
        Assert.Equal(LeadershipOutcome.Stopped, await runA);

        // What `kubectl get lease` and a check for a live install see: nobody holds it, and it expires in a second.
        var released = await env.Kubernetes.CoordinationV1.ReadNamespacedLeaseAsync("test-leader", "default", cancellationToken: TestContext.Current.CancellationToken);
        Assert.True(string.IsNullOrEmpty(released.Spec.HolderIdentity), $"the stopped leader still holds the lease: '{released.Spec.HolderIdentity}'");
        Assert.Equal(1, released.Spec.LeaseDurationSeconds);

        // A candidate that never saw "a" lead takes the lease long before a's 30 s term would have run out.
        var b = new LeaderElection(env.Kubernetes, Options("b", TimeSpan.FromSeconds(30)), new ControllerMetrics(Metrics.NewCustomRegistry()));
        using var stopB = new CancellationTokenSource();
        var waited = System.Diagnostics.Stopwatch.StartNew();
        var runB = b.RunAsync(token => Task.Delay(Timeout.Infinite, token), stopB.Token);
        await Emulated.EventuallyAsync(() => b.IsLeader, "b takes the released lease", seconds: 10);
        Assert.True(waited.Elapsed < TimeSpan.FromSeconds(5), $"b waited {waited.Elapsed.TotalSeconds:0.0} s for a released lease");
        var taken = await env.Kubernetes.CoordinationV1.ReadNamespacedLeaseAsync("test-leader", "default", cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(("b", 30), (taken.Spec.HolderIdentity, taken.Spec.LeaseDurationSeconds));

        await stopB.CancelAsync();
        Assert.Equal(LeadershipOutcome.Stopped, await runB);
    }

    [Fact]
    public async Task Losing_the_lease_cancels_the_work_and_reports_the_loss()
    {
        await using var env = await Emulated.StartAsync();
        var election = new LeaderElection(env.Kubernetes, Options("a", TimeSpan.FromSeconds(2)), new ControllerMetrics(Metrics.NewCustomRegistry()));
        var workStopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var run = election.RunAsync(
            async token =>
            {
                try
                {
                    await Task.Delay(Timeout.Infinite, token);
                }
                finally
                {
                    workStopped.TrySetResult();
                }
            },
            TestContext.Current.CancellationToken);
        await Emulated.EventuallyAsync(() => election.IsLeader, "a leads");

        // Another replica takes the lease over (as after a network partition) and keeps renewing it.
        using var intruder = new CancellationTokenSource();
        var steal = Task.Run(async () =>
        {
            while (!intruder.IsCancellationRequested)
            {
                var lease = await env.Kubernetes.CoordinationV1.ReadNamespacedLeaseAsync("test-leader", "default", cancellationToken: intruder.Token);
                lease.Spec.HolderIdentity = "intruder";
                lease.Spec.LeaseDurationSeconds = 60;
                lease.Spec.RenewTime = DateTime.UtcNow;
                try
                {
                    await env.Kubernetes.CoordinationV1.ReplaceNamespacedLeaseAsync(lease, "test-leader", "default", cancellationToken: intruder.Token);
                }
                catch (k8s.Autorest.HttpOperationException)
                {
                    // Lost a race with the renewing leader; try again.
                }

                await Task.Delay(100, intruder.Token);
            }
        }, TestContext.Current.CancellationToken);

        await workStopped.Task.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        Assert.Equal(LeadershipOutcome.Lost, await run.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken));
        Assert.False(election.IsLeader);
        await intruder.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => steal);
    }
}
