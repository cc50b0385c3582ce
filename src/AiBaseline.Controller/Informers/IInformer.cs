namespace AiBaseline.Controller.Informers;

/// <summary>What a host needs of any informer, whatever its object type.</summary>
public interface IInformer
{
    /// <summary>Name used in logs, metrics and readiness.</summary>
    string Name { get; }

    /// <summary>True once the first list has been stored in the cache.</summary>
    bool HasSynced { get; }

    /// <summary>Whether the list-and-watch loop is running (it only stops when cancelled); liveness probes use it.</summary>
    bool IsRunning { get; }

    /// <summary>
    /// Synced, the watch loop is running, and the watch is connected or has been healthy within
    /// <see cref="InformerOptions.UnhealthyAfter"/>. Readiness probes use it.
    /// </summary>
    bool IsHealthy { get; }

    /// <summary>Why the last list or watch failed (for a refusal, the API server's own words), or null after a success.</summary>
    string? LastError { get; }

    /// <summary>Lists, then watches until <paramref name="cancellationToken"/> is cancelled.</summary>
    Task RunAsync(CancellationToken cancellationToken);

    /// <summary>Completes when the first list has been stored.</summary>
    Task WaitForSyncAsync(CancellationToken cancellationToken);
}
