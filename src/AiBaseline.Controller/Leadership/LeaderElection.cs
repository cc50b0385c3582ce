using AiBaseline.Controller.Hosting;
using k8s;
using k8s.LeaderElection;
using k8s.LeaderElection.ResourceLock;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AiBaseline.Controller.Leadership;

/// <summary>Which Lease to hold and how.</summary>
/// <param name="LeaseName">Lease name, by convention <c>&lt;operator&gt;-leader</c>.</param>
/// <param name="LeaseNamespace">Namespace of the Lease, usually the operator's own.</param>
/// <param name="Identity">Unique per replica, usually the pod name.</param>
public sealed record LeaderElectionOptions(string LeaseName, string LeaseNamespace, string Identity)
{
    /// <summary>How long others wait after the last renewal before taking over; written into the Lease.</summary>
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How long the leader keeps trying to renew before it gives up leading.</summary>
    public TimeSpan RenewDeadline { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Wait between attempts to acquire or renew.</summary>
    public TimeSpan RetryPeriod { get; init; } = TimeSpan.FromSeconds(2);
}

/// <summary>How <see cref="LeaderElection.RunAsync"/> ended.</summary>
public enum LeadershipOutcome
{
    /// <summary>The caller stopped it; the lease was released if held.</summary>
    Stopped,

    /// <summary>This replica led and then lost the lease; the process should exit so it restarts clean.</summary>
    Lost,
}

/// <summary>
/// Runs work only while this replica holds a coordination.k8s.io Lease, through KubernetesClient's
/// <see cref="LeaderElector"/> and <see cref="LeaseLock"/>. Losing the lease cancels the work's token at once.
/// </summary>
public sealed class LeaderElection(
    IKubernetes kubernetes,
    LeaderElectionOptions options,
    ControllerMetrics metrics,
    ILogger<LeaderElection>? logger = null)
{
    private readonly ILogger log = logger ?? NullLogger<LeaderElection>.Instance;
    private volatile bool leading;

    /// <summary>Whether this replica currently leads.</summary>
    public bool IsLeader => leading;

    /// <summary>
    /// Campaigns for the lease and runs <paramref name="whileLeading"/> once it is held. Returns
    /// <see cref="LeadershipOutcome.Lost"/> when the lease was lost, <see cref="LeadershipOutcome.Stopped"/> when
    /// <paramref name="cancellationToken"/> was cancelled.
    /// </summary>
    public async Task<LeadershipOutcome> RunAsync(Func<CancellationToken, Task> whileLeading, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(whileLeading);
        var config = new LeaderElectionConfig(new LeaseLock(kubernetes, options.LeaseNamespace, options.LeaseName, options.Identity))
        {
            LeaseDuration = options.LeaseDuration,
            RenewDeadline = options.RenewDeadline,
            RetryPeriod = options.RetryPeriod,
        };
        config.Lock = new LeaseDurationLock(config.Lock, config, options.LeaseDuration);

        using var campaign = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var work = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var elector = new LeaderElector(config);
        Task? running = null;
        metrics.SetLeader(options.LeaseName, false);
        elector.OnNewLeader += leader => log.LogInformation("Lease {Lease} is held by {Leader}", options.LeaseName, leader);
        elector.OnError += e => log.LogWarning(e, "Leader election on lease {Lease} failed an attempt", options.LeaseName);
        elector.OnStartedLeading += () =>
        {
            leading = true;
            metrics.SetLeader(options.LeaseName, true);
            log.LogInformation("Became leader of lease {Lease} as {Identity}", options.LeaseName, options.Identity);
            running = Task.Run(() => whileLeading(work.Token), CancellationToken.None);
        };
        elector.OnStoppedLeading += () =>
        {
            // Stop the work before anything else: another replica may start as soon as the lease expires.
            work.Cancel();
            leading = false;
            metrics.SetLeader(options.LeaseName, false);
        };

        var led = false;
        try
        {
            await elector.RunUntilLeadershipLostAsync(campaign.Token);
            led = true;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            led = running is not null;
        }
        finally
        {
            // The elector leaves a renew attempt running in the background; cancelling the campaign ends it.
            await campaign.CancelAsync();
            await work.CancelAsync();
            leading = false;
            metrics.SetLeader(options.LeaseName, false);
            await AwaitQuietly(running);
        }

        if (cancellationToken.IsCancellationRequested)
        {
            if (led)
            {
                await ReleaseAsync();
            }

            return LeadershipOutcome.Stopped;
        }

        log.LogError("Lost lease {Lease}; stopped all controllers", options.LeaseName);
        return LeadershipOutcome.Lost;
    }

    private static async Task AwaitQuietly(Task? task)
    {
        if (task is null)
        {
            return;
        }

        try
        {
            await task;
        }
        catch (OperationCanceledException)
        {
            // The work ends by cancellation; that is the expected way out.
        }
    }

    /// <summary>
    /// Releases the held lease as client-go does with ReleaseOnCancel: no holder and a one-second duration, the rest
    /// kept, so a standby takes over at once and nobody reads a live holder of a stopped operator. An elector reading
    /// an empty holder (not a missing one) updates the Lease instead of trying to create it.
    /// </summary>
    private async Task ReleaseAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            for (var attempt = 1; ; attempt++)
            {
                var lease = await kubernetes.CoordinationV1.ReadNamespacedLeaseAsync(options.LeaseName, options.LeaseNamespace, cancellationToken: timeout.Token);
                if (lease.Spec?.HolderIdentity != options.Identity)
                {
                    return;
                }

                var now = DateTime.UtcNow;
                lease.Spec.HolderIdentity = "";
                lease.Spec.LeaseDurationSeconds = 1;
                lease.Spec.AcquireTime = now;
                lease.Spec.RenewTime = now;
                try
                {
                    await kubernetes.CoordinationV1.ReplaceNamespacedLeaseAsync(lease, options.LeaseName, options.LeaseNamespace, cancellationToken: timeout.Token);
                    log.LogInformation("Released lease {Lease}", options.LeaseName);
                    return;
                }
                catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.Conflict && attempt < 3)
                {
                    // Written in between (a standby's attempt); read it again and release only if still ours.
                }
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Best effort: without the release, a standby takes over once the lease expires.
            log.LogWarning(e, "Could not release lease {Lease}", options.LeaseName);
        }
    }
}
