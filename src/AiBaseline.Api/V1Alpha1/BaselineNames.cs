using System.Collections.Immutable;

namespace AiBaseline.Api.V1Alpha1;

/// <summary>
/// The names a waiver or a profile may use: the 72 provision ids of EN 304 223, in the standard's order, and the
/// controls that judge them. The CRD schemas list them as enums, so the API server refuses a name that means nothing.
/// </summary>
public static class BaselineNames
{
    /// <summary>Every provision id of EN 304 223, as the engine's catalog lists them (a test keeps both equal).</summary>
    public static ImmutableArray<string> ProvisionIds { get; } =
    [
        "5.1.1-1", "5.1.1-1.1", "5.1.1-2", "5.1.1-2.1", "5.1.1-2.2", "5.1.2-1", "5.1.2-1.1", "5.1.2-2", "5.1.2-3",
        "5.1.2-4", "5.1.2-5", "5.1.2-5.1", "5.1.2-6", "5.1.2-7", "5.1.3-1", "5.1.3-1.1", "5.1.3-1.2", "5.1.3-1.3",
        "5.1.3-2", "5.1.3-3", "5.1.3-4", "5.1.4-1", "5.1.4-2", "5.1.4-3", "5.1.4-4", "5.1.4-5", "5.2.1-1", "5.2.1-2",
        "5.2.1-3", "5.2.1-3.1", "5.2.1-4", "5.2.1-4.1", "5.2.1-4.2", "5.2.2-1", "5.2.2-2", "5.2.2-3", "5.2.2-4",
        "5.2.2-5", "5.2.2-6", "5.2.3-1", "5.2.3-2", "5.2.3-2.1", "5.2.3-2.2", "5.2.3-3", "5.2.3-4", "5.2.4-1",
        "5.2.4-1.1", "5.2.4-1.2", "5.2.4-2", "5.2.4-2.1", "5.2.4-3", "5.2.5-1", "5.2.5-2", "5.2.5-2.1", "5.2.5-3",
        "5.2.5-4", "5.2.5-4.1", "5.3.1-1", "5.3.1-2", "5.3.1-2.1", "5.3.1-2.2", "5.3.1-3", "5.4.1-1", "5.4.1-1.1",
        "5.4.1-2", "5.4.1-3", "5.4.2-1", "5.4.2-2", "5.4.2-3", "5.4.2-4", "5.5.1-1", "5.5.1-2",
    ];

    /// <summary>Every control, in the order status lists them (a test keeps this equal to the engine's control set).</summary>
    public static ImmutableArray<string> Controls { get; } =
    [
        "ImageProvenance", "ModelIntegrity", "NetworkIsolation", "SecretsHandling", "RuntimeHardening", "LeastPrivilege",
        "KnownGoodState", "ApiRateLimit", "MetricsScraping", "PerformanceTracking", "VulnerabilityFixes", "AssetInventory", "Retirement", "Evidence",
    ];

    /// <summary>Control names, then provision ids: what a profile's neverWaive may list.</summary>
    public static ImmutableArray<string> ControlsAndProvisionIds { get; } = [.. Controls, .. ProvisionIds];
}

/// <summary>A closed set of names a string field may hold.</summary>
public interface IAllowedNames
{
    static abstract IReadOnlyList<string> All { get; }

    /// <summary>What a value must be, for messages: "a provision of EN 304 223".</summary>
    static abstract string What { get; }
}

/// <summary>Provision ids of EN 304 223.</summary>
public sealed class ProvisionIdNames : IAllowedNames
{
    public static IReadOnlyList<string> All => BaselineNames.ProvisionIds;

    public static string What => "a provision of EN 304 223";
}

/// <summary>Control names.</summary>
public sealed class ControlNames : IAllowedNames
{
    public static IReadOnlyList<string> All => BaselineNames.Controls;

    public static string What => "a control";
}

/// <summary>Control names and provision ids.</summary>
public sealed class ControlOrProvisionNames : IAllowedNames
{
    public static IReadOnlyList<string> All => BaselineNames.ControlsAndProvisionIds;

    public static string What => "a control or a provision of EN 304 223";
}

/// <summary>What the CRD generator and the audit read from <see cref="AllowedNamesAttribute{TNames}"/>.</summary>
public interface IAllowedNamesAttribute
{
    IReadOnlyList<string> Values { get; }

    string What { get; }
}

/// <summary>Marks a string, or a list of strings, whose values must come from <typeparamref name="TNames"/>: the CRD lists them as an enum.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class AllowedNamesAttribute<TNames> : Attribute, IAllowedNamesAttribute
    where TNames : IAllowedNames
{
    public IReadOnlyList<string> Values => TNames.All;

    public string What => TNames.What;
}
