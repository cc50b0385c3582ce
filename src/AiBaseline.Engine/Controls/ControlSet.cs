using System.Collections.Immutable;

namespace AiBaseline.Engine.Controls;

/// <summary>The registered controls, in the order status lists them.</summary>
public static class ControlSet
{
    /// <summary>Every control, in a stable order.</summary>
    public static ImmutableArray<IControl> All { get; } =
    [
        new ImageProvenanceControl(),
        new ModelIntegrityControl(),
        new NetworkIsolationControl(),
        new SecretsHandlingControl(),
        new RuntimeHardeningControl(),
        new LeastPrivilegeControl(),
        new KnownGoodStateControl(),
        new ApiRateLimitControl(),
        new MetricsScrapingControl(),
        new PerformanceTrackingControl(),
        new VulnerabilityFixesControl(),
        new AssetInventoryControl(),
        new RetirementControl(),
        new EvidenceControl(),
    ];
}
