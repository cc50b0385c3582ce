namespace AiBaseline.Controller.Hosting;

/// <summary>What a reconcile asks of the queue afterwards. Throwing an exception means: retry with backoff.</summary>
public sealed record ReconcileResult
{
    /// <summary>Finished; come back only when something changes.</summary>
    public static ReconcileResult Done { get; } = new();

    /// <summary>Finished for now; come back after <see cref="RequeueAfter"/> (for example when evidence expires).</summary>
    public TimeSpan? RequeueAfter { get; init; }

    /// <summary>Not finished, without an error: come back after the key's backoff.</summary>
    public bool Requeue { get; init; }

    /// <summary>Finished for now; come back after <paramref name="delay"/>.</summary>
    public static ReconcileResult After(TimeSpan delay) => new() { RequeueAfter = delay };

    /// <summary>Come back after the key's backoff.</summary>
    public static ReconcileResult Again() => new() { Requeue = true };
}

/// <summary>Brings one object towards its desired state.</summary>
public interface IReconciler
{
    /// <summary>
    /// Reconciles the object with this key; it may no longer exist. <paramref name="cancellationToken"/> is
    /// cancelled when the process stops or loses leadership.
    /// </summary>
    Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken);
}
