using k8s.LeaderElection;
using k8s.LeaderElection.ResourceLock;
using k8s.Models;

namespace AiBaseline.KubeEmulator.Tests;

public sealed class LeaderElectionTests
{
    private static LeaderElector Elector(KubeEmulator api, string identity) =>
        new(new LeaderElectionConfig(new LeaseLock(api.CreateClient(), "default", "aibaseline-leader", identity))
        {
            LeaseDuration = TimeSpan.FromSeconds(2),
            RenewDeadline = TimeSpan.FromMilliseconds(1500),
            RetryPeriod = TimeSpan.FromMilliseconds(200),
        });

    [Fact]
    public async Task A_LeaseLock_elector_acquires_the_lease_and_a_second_one_takes_over_after_the_first_stops()
    {
        await using var api = await TestCluster.StartAsync();
        using var first = Elector(api, "first");
        using var second = Elector(api, "second");
        var firstLeads = new TaskCompletionSource();
        var secondLeads = new TaskCompletionSource();
        first.OnStartedLeading += () => firstLeads.TrySetResult();
        second.OnStartedLeading += () => secondLeads.TrySetResult();
        using var stopFirst = new CancellationTokenSource();
        using var stopSecond = new CancellationTokenSource();

        var runFirst = first.RunUntilLeadershipLostAsync(stopFirst.Token);
        await firstLeads.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var runSecond = second.RunUntilLeadershipLostAsync(stopSecond.Token);
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        var holderWhileFirstRuns = api.Get<V1Lease>("default", "aibaseline-leader")!.Spec.HolderIdentity;
        var secondLedEarly = second.IsLeader();
        await stopFirst.CancelAsync();
        await Stopped(runFirst);
        await secondLeads.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var lease = api.Get<V1Lease>("default", "aibaseline-leader")!;
        await stopSecond.CancelAsync();
        await Stopped(runSecond);

        Assert.Equal(("first", false), (holderWhileFirstRuns, secondLedEarly));
        Assert.Equal(("second", 1), (lease.Spec.HolderIdentity, lease.Spec.LeaseTransitions));
    }

    /// <summary>An elector ends either by returning or by throwing the cancellation it was given.</summary>
    private static async Task Stopped(Task run)
    {
        try
        {
            await run.WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (OperationCanceledException)
        {
            // Cancellation is how the test stops it.
        }
    }
}
