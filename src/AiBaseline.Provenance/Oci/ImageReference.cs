using System.Text.RegularExpressions;

namespace AiBaseline.Provenance.Oci;

/// <summary>An image reference split into registry, repository, tag and digest, with Docker Hub defaults applied.</summary>
/// <param name="Registry">The registry host (and port) as written, "docker.io" when none was written.</param>
/// <param name="Repository">The repository path, with "library/" added for official Docker Hub images.</param>
/// <param name="Tag">The tag, or null when none was written.</param>
/// <param name="Digest">The pinned digest "sha256:&lt;hex&gt;", or null when none was written.</param>
public sealed partial record ImageReference(string Registry, string Repository, string? Tag, string? Digest)
{
    /// <summary>The registry Docker Hub's short names refer to.</summary>
    public const string DockerHub = "docker.io";

    /// <summary>The host that serves the distribution API for this registry (Docker Hub's API lives elsewhere).</summary>
    public string ApiHost => Registry == DockerHub ? "registry-1.docker.io" : Registry;

    /// <summary>The tag or digest to ask the registry for: the digest wins when both are written.</summary>
    public string ManifestReference => Digest ?? Tag ?? "latest";

    /// <summary>"registry/repository", the name cosign's payloads and the cache use.</summary>
    public string Name => $"{Registry}/{Repository}";

    /// <summary>Parses a reference such as "ghcr.io/acme/scorer:1.2@sha256:…"; null when it is not a valid reference.</summary>
    public static ImageReference? TryParse(string reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var text = reference.Trim();
        string? digest = null;
        var at = text.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            digest = text[(at + 1)..];
            text = text[..at];
            if (!Digests.IsValid(digest))
            {
                return null;
            }
        }

        string? tag = null;
        var lastSlash = text.LastIndexOf('/');
        var colon = text.LastIndexOf(':');
        if (colon > lastSlash)
        {
            tag = text[(colon + 1)..];
            text = text[..colon];
            if (!TagPattern().IsMatch(tag))
            {
                return null;
            }
        }

        var firstSlash = text.IndexOf('/', StringComparison.Ordinal);
        string registry;
        string repository;
        var first = firstSlash < 0 ? "" : text[..firstSlash];
        if (firstSlash >= 0 && (first.Contains('.', StringComparison.Ordinal) || first.Contains(':', StringComparison.Ordinal) || first == "localhost"))
        {
            registry = first;
            repository = text[(firstSlash + 1)..];
        }
        else
        {
            registry = DockerHub;
            repository = firstSlash < 0 ? "library/" + text : text;
        }

        if (registry is "index.docker.io" or "registry-1.docker.io")
        {
            registry = DockerHub;
        }

        return RepositoryPattern().IsMatch(repository) ? new ImageReference(registry, repository, tag, digest) : null;
    }

    /// <inheritdoc />
    public override string ToString() =>
        Name + (Tag is null ? "" : ":" + Tag) + (Digest is null ? "" : "@" + Digest);

    [GeneratedRegex("^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$")]
    private static partial Regex RepositoryPattern();

    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$")]
    private static partial Regex TagPattern();
}
