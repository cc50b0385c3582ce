namespace AiBaseline.Api.V1Alpha1;

/// <summary>
/// The ids of the 72 provisions of ETSI EN 304 223 V2.1.1, in the standard's order. The engine's catalog
/// (provisions.yaml) describes each; a test keeps this list equal to it, and the CRDs refuse any other id.
/// </summary>
public static class ProvisionIds
{
    /// <summary>Every provision id, in the standard's order.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        "5.1.1-1", "5.1.1-1.1", "5.1.1-2", "5.1.1-2.1", "5.1.1-2.2", "5.1.2-1", "5.1.2-1.1", "5.1.2-2",
        "5.1.2-3", "5.1.2-4", "5.1.2-5", "5.1.2-5.1", "5.1.2-6", "5.1.2-7", "5.1.3-1", "5.1.3-1.1",
        "5.1.3-1.2", "5.1.3-1.3", "5.1.3-2", "5.1.3-3", "5.1.3-4", "5.1.4-1", "5.1.4-2", "5.1.4-3",
        "5.1.4-4", "5.1.4-5", "5.2.1-1", "5.2.1-2", "5.2.1-3", "5.2.1-3.1", "5.2.1-4", "5.2.1-4.1",
        "5.2.1-4.2", "5.2.2-1", "5.2.2-2", "5.2.2-3", "5.2.2-4", "5.2.2-5", "5.2.2-6", "5.2.3-1",
        "5.2.3-2", "5.2.3-2.1", "5.2.3-2.2", "5.2.3-3", "5.2.3-4", "5.2.4-1", "5.2.4-1.1", "5.2.4-1.2",
        "5.2.4-2", "5.2.4-2.1", "5.2.4-3", "5.2.5-1", "5.2.5-2", "5.2.5-2.1", "5.2.5-3", "5.2.5-4",
        "5.2.5-4.1", "5.3.1-1", "5.3.1-2", "5.3.1-2.1", "5.3.1-2.2", "5.3.1-3", "5.4.1-1", "5.4.1-1.1",
        "5.4.1-2", "5.4.1-3", "5.4.2-1", "5.4.2-2", "5.4.2-3", "5.4.2-4", "5.5.1-1", "5.5.1-2",
    ];

    private static readonly HashSet<string> Known = new(All, StringComparer.Ordinal);

    /// <summary>True when <paramref name="id"/> is a provision of the standard.</summary>
    public static bool IsKnown(string id) => Known.Contains(id);
}

/// <summary>
/// On a list of strings: each item must be one of <see cref="ProvisionIds.All"/>. The CRD generator turns it into an
/// enum on the items, and the audit checks it the same way.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ProvisionIdItemsAttribute : Attribute;

/// <summary>On a string: it must be one of <see cref="ProvisionIds.All"/>, as an enum in the CRD and in the audit.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ProvisionIdAttribute : Attribute;
