using AiBaseline.Api.V1Alpha1;
using Microsoft.Extensions.Logging.Abstractions;

namespace AiBaseline.Operator.Tests.Scenarios;

/// <summary>
/// One operator process, run in-process against a scenario's namespace (as <c>--namespace</c> would), with every
/// call its client makes recorded.
/// </summary>
internal sealed class OperatorRun : IAsyncDisposable
{
    private const string Deployments = ApiGroup.AIModelDeploymentPlural + "." + ApiGroup.Group;

    private readonly CancellationTokenSource stop = new();
    private Task<int>? run;

    private OperatorRun(OperatorHost host, ApiCallLog calls, string ns)
    {
        Host = host;
        Calls = calls;
        Namespace = ns;
    }

    public OperatorHost Host { get; }

    public ApiCallLog Calls { get; }

    public string Namespace { get; }

    /// <summary>Whether the process has ended (stopped, or lost its lease).</summary>
    public bool Exited => run?.IsCompleted == true;

    public static OperatorRun Start(ClusterTarget target, string ns, string identity, bool leaderElect)
    {
        var calls = new ApiCallLog();
        var settings = new OperatorSettings
        {
            Namespaces = [ns],
            LeaderElect = leaderElect,
            LeaseNamespace = ns,
            Identity = identity,
            MetricsBindAddress = "0",
            HealthProbeBindAddress = "0",
            MaxConcurrentReconciles = 4,

            // Short terms, so a take-over happens within a test's patience.
            LeaseDuration = TimeSpan.FromSeconds(6),
            RenewDeadline = TimeSpan.FromSeconds(4),
            RetryPeriod = TimeSpan.FromSeconds(1),
        };
        var host = new OperatorHost(
            settings,
            target.Configuration(),
            NullLoggerFactory.Instance,
            TimeProvider.System,
            new FakeVerifier(_ => throw new InvalidOperationException("the scenario profiles ask for no registry verification")),
            handlers: calls);
        var started = new OperatorRun(host, calls, ns);
        started.run = Task.Run(() => host.RunAsync(started.stop.Token), TestContext.Current.CancellationToken);
        return started;
    }

    /// <summary>Reads of one deployment: each reconcile reads it once before deciding whether to write its status.</summary>
    public int Reads(string name) => Calls.Count(c => c.Verb == "get" && c.Resource == Deployments && c.Namespace == Namespace && c.Name == name && c.Subresource is null);

    /// <summary>Status writes to one deployment.</summary>
    public int StatusWrites(string name) => Calls.Count(c => c.Writes && c.Resource == Deployments && c.Name == name && c.Subresource == "status");

    /// <summary>Every status write, to any deployment.</summary>
    public int StatusWrites() => Calls.Count(c => c.Writes && c.Resource == Deployments && c.Subresource == "status");

    /// <summary>Writes other than those to the Lease that elects the leader: what only a leader may do.</summary>
    public int WritesBesidesTheLease() => Calls.Count(c => c.Writes && c.Resource != "leases.coordination.k8s.io");

    /// <summary>Stops the operator as SIGTERM would and returns its exit code.</summary>
    public async Task<int> StopAsync()
    {
        if (run is null)
        {
            return 0;
        }

        await stop.CancelAsync();
        var code = await run;
        run = null;
        return code;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        stop.Dispose();
        Host.Dispose();
    }
}
