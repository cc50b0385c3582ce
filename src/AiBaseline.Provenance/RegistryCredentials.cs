using System.Text;
using System.Text.Json;

namespace AiBaseline.Provenance;

/// <summary>A username and secret for one registry. <see cref="ToString"/> never shows the secret.</summary>
public sealed record RegistryLogin(string Username, string Password)
{
    /// <inheritdoc />
    public override string ToString() => $"RegistryLogin {{ Username = {Username} }}";
}

/// <summary>
/// Credentials for registries, from explicit logins or from the pod's imagePullSecrets
/// (<c>kubernetes.io/dockerconfigjson</c> contents). The secrets' bytes are parsed only when a registry asks
/// for credentials, so anonymous registries never cause a secret to be read.
/// </summary>
public sealed class RegistryCredentials
{
    private readonly IReadOnlyDictionary<string, RegistryLogin> explicitLogins;
    private readonly IReadOnlyList<ReadOnlyMemory<byte>> dockerConfigs;
    private readonly Lazy<Dictionary<string, RegistryLogin>> parsed;

    private RegistryCredentials(IReadOnlyDictionary<string, RegistryLogin> logins, IReadOnlyList<ReadOnlyMemory<byte>> configs)
    {
        explicitLogins = logins;
        dockerConfigs = configs;
        parsed = new Lazy<Dictionary<string, RegistryLogin>>(ParseDockerConfigs);
    }

    /// <summary>Whether the pull secrets have been parsed (they are parsed at the first credential lookup).</summary>
    public bool SecretsRead => parsed.IsValueCreated;

    /// <summary>One login for one registry host ("host:port").</summary>
    public static RegistryCredentials ForRegistry(string registry, RegistryLogin login) =>
        new(new Dictionary<string, RegistryLogin>(StringComparer.OrdinalIgnoreCase) { [NormalizeHost(registry)] = login }, []);

    /// <summary>The contents of <c>.dockerconfigjson</c> keys of image pull secrets, first match wins.</summary>
    public static RegistryCredentials FromDockerConfigJson(params IReadOnlyList<ReadOnlyMemory<byte>> dockerConfigJson) =>
        new(new Dictionary<string, RegistryLogin>(), dockerConfigJson);

    /// <summary>The login for <paramref name="registry"/>, or null when none is known.</summary>
    public RegistryLogin? Find(string registry)
    {
        var host = NormalizeHost(registry);
        if (explicitLogins.TryGetValue(host, out var login))
        {
            return login;
        }

        return dockerConfigs.Count > 0 && parsed.Value.TryGetValue(host, out login) ? login : null;
    }

    private Dictionary<string, RegistryLogin> ParseDockerConfigs()
    {
        var result = new Dictionary<string, RegistryLogin>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < dockerConfigs.Count; i++)
        {
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(dockerConfigs[i]);
            }
            catch (JsonException)
            {
                throw new FormatException($"image pull secret {i}: .dockerconfigjson is not valid JSON");
            }

            using (document)
            {
                if (!document.RootElement.TryGetProperty("auths", out var auths) || auths.ValueKind != JsonValueKind.Object)
                {
                    throw new FormatException($"image pull secret {i}: .dockerconfigjson has no \"auths\" object");
                }

                foreach (var entry in auths.EnumerateObject())
                {
                    var login = ReadLogin(entry.Value);
                    if (login is not null)
                    {
                        result.TryAdd(NormalizeHost(entry.Name), login);
                    }
                }
            }
        }

        return result;
    }

    private static RegistryLogin? ReadLogin(JsonElement entry)
    {
        if (entry.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        if (entry.TryGetProperty("auth", out var auth) && auth.GetString() is { Length: > 0 } encoded)
        {
            var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(encoded));
            var colon = decoded.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                return new RegistryLogin(decoded[..colon], decoded[(colon + 1)..]);
            }
        }

        var user = entry.TryGetProperty("username", out var u) ? u.GetString() : null;
        var password = entry.TryGetProperty("password", out var p) ? p.GetString() : null;
        return user is { Length: > 0 } && password is not null ? new RegistryLogin(user, password) : null;
    }

    /// <summary>"https://index.docker.io/v1/" and "docker.io" name the same registry; scheme and path are dropped.</summary>
    private static string NormalizeHost(string registry)
    {
        var host = registry;
        var scheme = host.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0)
        {
            host = host[(scheme + 3)..];
        }

        var slash = host.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0)
        {
            host = host[..slash];
        }

        return host.ToLowerInvariant() is "index.docker.io" or "registry-1.docker.io" or "docker.io" ? "docker.io" : host.ToLowerInvariant();
    }
}
