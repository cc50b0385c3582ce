namespace AiBaseline.Engine.Controls;

/// <summary>
/// A container image reference split the way the container runtime reads it. A reference without a
/// registry host comes from docker.io, and a bare Docker Hub name lives under library/, so "nginx" and
/// "docker.io/library/nginx" name the same repository.
/// </summary>
/// <param name="Repository">Registry host and repository path, such as "docker.io/library/nginx".</param>
/// <param name="Tag">The tag, when one is written.</param>
/// <param name="Digest">What follows '@', when the reference is pinned.</param>
internal readonly record struct ImageReference(string Repository, string? Tag, string? Digest)
{
    private const string DockerHub = "docker.io";

    public static ImageReference Parse(string image)
    {
        var at = image.IndexOf('@', StringComparison.Ordinal);
        var name = at < 0 ? image : image[..at];
        var digest = at < 0 ? null : image[(at + 1)..];

        string? tag = null;
        var colon = name.LastIndexOf(':');
        if (colon > name.LastIndexOf('/'))
        {
            tag = name[(colon + 1)..];
            name = name[..colon];
        }

        return new ImageReference(Normalise(name), tag, digest);
    }

    /// <summary>
    /// True when <paramref name="repository"/> is <paramref name="prefix"/> or lies under it at a path boundary,
    /// so "ghcr.io/acme" covers "ghcr.io/acme/scorer" but not "ghcr.io/acme-evil/scorer".
    /// </summary>
    public static bool IsUnder(string repository, string prefix) =>
        repository.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)
        && (repository.Length == prefix.Length || repository[prefix.Length] == '/');

    /// <summary>A trusted-registry entry in the form <see cref="IsUnder"/> compares: no trailing slash, Docker Hub under one name.</summary>
    public static string NormalisePrefix(string entry)
    {
        var trimmed = entry.Trim().TrimEnd('/');
        return trimmed.StartsWith("index.docker.io", StringComparison.OrdinalIgnoreCase)
            ? DockerHub + trimmed["index.docker.io".Length..]
            : trimmed;
    }

    private static string Normalise(string name)
    {
        var slash = name.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            return $"{DockerHub}/library/{name}";
        }

        var first = name.AsSpan(0, slash);
        var isHost = first.Contains('.') || first.Contains(':') || first.SequenceEqual("localhost");
        if (!isHost)
        {
            return $"{DockerHub}/{name}";
        }

        var host = first.Equals("index.docker.io", StringComparison.OrdinalIgnoreCase) ? DockerHub : first.ToString().ToLowerInvariant();
        var path = name[(slash + 1)..];
        return host == DockerHub && !path.Contains('/', StringComparison.Ordinal)
            ? $"{DockerHub}/library/{path}"
            : $"{host}/{path}";
    }
}
