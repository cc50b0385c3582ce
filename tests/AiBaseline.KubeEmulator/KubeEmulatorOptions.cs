namespace AiBaseline.KubeEmulator;

/// <summary>How a <see cref="KubeEmulator"/> behaves; the defaults follow a real API server where that is practical in tests.</summary>
public sealed record KubeEmulatorOptions
{
    /// <summary>How many changes the server keeps for watch replay; a watch from an older resourceVersion gets 410 Gone.</summary>
    public int EventHistoryCapacity { get; init; } = 100_000;

    /// <summary>How often a watch that asked for bookmarks receives one.</summary>
    public TimeSpan BookmarkInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Namespaces that exist from the start.</summary>
    public IReadOnlyList<string> InitialNamespaces { get; init; } = ["default", "kube-system"];

    /// <summary>
    /// When true, creating an object in a missing namespace creates the namespace; when false (as a real server),
    /// it fails with 404 NotFound naming the namespace.
    /// </summary>
    public bool AutoCreateNamespaces { get; init; }

    /// <summary>The loopback port to listen on; 0 (the default) takes any free port, which parallel tests need.</summary>
    public int Port { get; init; }
}
