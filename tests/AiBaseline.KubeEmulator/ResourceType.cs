using System.Text.Json.Nodes;

namespace AiBaseline.KubeEmulator;

/// <summary>One served resource: where it lives in the API and how the server treats writes to it.</summary>
/// <param name="Group">API group; empty for the core group.</param>
/// <param name="Version">Served version, for example <c>v1</c>.</param>
/// <param name="Plural">Lower-case plural used in paths.</param>
/// <param name="Kind">Object kind.</param>
/// <param name="Namespaced">Whether objects live in a namespace.</param>
/// <param name="HasStatus">Whether a <c>status</c> subresource isolates status writes from main-resource writes.</param>
/// <param name="Schema">The CRD's <c>openAPIV3Schema</c> for custom resources; <see langword="null"/> for built-ins.</param>
/// <param name="ShortNames">Short names shown in discovery.</param>
/// <param name="Categories">Groupings kubectl can get at once, such as <c>all</c>, shown in discovery.</param>
/// <param name="PrinterColumns">Table columns after Name for custom resources; <see langword="null"/> for built-ins, which get the default Name and Created At.</param>
public sealed record ResourceType(
    string Group,
    string Version,
    string Plural,
    string Kind,
    bool Namespaced,
    bool HasStatus = false,
    JsonNode? Schema = null,
    IReadOnlyList<string>? ShortNames = null,
    IReadOnlyList<PrinterColumn>? PrinterColumns = null,
    IReadOnlyList<string>? Categories = null)
{
    /// <summary><c>group/version</c>, or just the version for the core group.</summary>
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    /// <summary>Storage key shared by all versions of a resource: <c>plural</c> or <c>plural.group</c>, as RBAC names it.</summary>
    public string Name => Group.Length == 0 ? Plural : $"{Plural}.{Group}";

    /// <summary>Lower-case singular name.</summary>
    public string Singular => Kind.ToLowerInvariant();
}
