using System.Text;

namespace AiBaseline.Controller.Api;

/// <summary>
/// Where a kind of resource lives in the Kubernetes API: group, version and plural. Works the same for built-in
/// and custom resources, which is what lets the runtime stay generic.
/// </summary>
/// <param name="Group">API group; empty for the core group (<c>/api/v1</c>).</param>
/// <param name="Version">API version, for example <c>v1</c>.</param>
/// <param name="Plural">Plural resource name, for example <c>deployments</c>.</param>
/// <param name="Namespaced">Whether objects of this resource live in a namespace.</param>
public sealed record ResourceType(string Group, string Version, string Plural, bool Namespaced)
{
    /// <summary><c>group/version</c>, or just <c>version</c> for the core group, as written in <c>apiVersion</c>.</summary>
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    /// <summary>The collection path, for one namespace or (when <paramref name="ns"/> is null) across all namespaces.</summary>
    public string CollectionPath(string? ns)
    {
        var path = new StringBuilder(Group.Length == 0 ? $"/api/{Version}" : $"/apis/{Group}/{Version}");
        if (Namespaced && ns is not null)
        {
            path.Append("/namespaces/").Append(Uri.EscapeDataString(ns));
        }

        return path.Append('/').Append(Plural).ToString();
    }

    /// <summary>The path of one object, optionally of a subresource such as <c>status</c>.</summary>
    public string ObjectPath(ObjectKey key, string? subresource = null)
    {
        if (Namespaced && key.Namespace is null)
        {
            throw new ArgumentException($"{Plural} are namespaced: the key '{key}' has no namespace.", nameof(key));
        }

        var path = CollectionPath(key.Namespace) + "/" + Uri.EscapeDataString(key.Name);
        return subresource is null ? path : path + "/" + subresource;
    }

    /// <inheritdoc/>
    public override string ToString() => Group.Length == 0 ? Plural : $"{Plural}.{Group}";
}
