using System.Collections.Immutable;
using AiBaseline.Controller.Informers;
using AiBaseline.Controller.Leadership;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AiBaseline.Controller.Hosting;

/// <summary>
/// Runs informers on every replica (so every replica is ready and its caches are warm) and controllers only on the
/// leader, after all informers have synced.
/// </summary>
public sealed class ControllerManager(LeaderElection? election = null, ILogger<ControllerManager>? logger = null)
{
    private readonly ILogger log = logger ?? NullLogger<ControllerManager>.Instance;
    private ImmutableArray<IInformer> informers = [];
    private ImmutableArray<Controller> controllers = [];
    private volatile bool running;

    /// <summary>The informers, for readiness and metrics.</summary>
    public ImmutableArray<IInformer> Informers => informers;

    /// <summary>Every informer has synced and its watch is healthy: the <c>/readyz</c> answer, independent of leadership.</summary>
    public bool IsReady => informers.All(informer => informer.IsHealthy);

    /// <summary>Whether this replica runs the controllers now.</summary>
    public bool IsLeader => election?.IsLeader ?? running;

    /// <summary>Every informer loop is running: the <c>/healthz</c> answer. It does not depend on the API server being reachable.</summary>
    public bool IsAlive => informers.All(informer => informer.IsRunning);

    /// <summary>Adds an informer; call before <see cref="RunAsync"/>.</summary>
    public void Add(IInformer informer) => informers = informers.Add(informer);

    /// <summary>Adds a controller; call before <see cref="RunAsync"/>.</summary>
    public void Add(Controller controller) => controllers = controllers.Add(controller);

    /// <summary>
    /// Starts the informers, waits until all have synced, then runs the controllers (under leader election when
    /// configured) until <paramref name="cancellationToken"/> is cancelled or the lease is lost.
    /// </summary>
    public async Task<LeadershipOutcome> RunAsync(CancellationToken cancellationToken)
    {
        using var stopInformers = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var informerTasks = informers.Select(informer => Task.Run(() => informer.RunAsync(stopInformers.Token), CancellationToken.None)).ToArray();
        try
        {
            await Task.WhenAll(informers.Select(informer => informer.WaitForSyncAsync(cancellationToken)));
            log.LogInformation("All {Count} informers synced", informers.Length);
            return election is null
                ? await RunControllersUntilStoppedAsync(cancellationToken)
                : await election.RunAsync(RunControllersAsync, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return LeadershipOutcome.Stopped;
        }
        finally
        {
            await stopInformers.CancelAsync();
            await Task.WhenAll(informerTasks);
        }
    }

    private async Task<LeadershipOutcome> RunControllersUntilStoppedAsync(CancellationToken cancellationToken)
    {
        await RunControllersAsync(cancellationToken);
        return LeadershipOutcome.Stopped;
    }

    private async Task RunControllersAsync(CancellationToken cancellationToken)
    {
        running = true;
        try
        {
            await Task.WhenAll(controllers.Select(controller => controller.RunAsync(cancellationToken)));
        }
        finally
        {
            running = false;
        }
    }
}
