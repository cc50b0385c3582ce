using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AiBaseline.Provenance;
using k8s.Models;

namespace AiBaseline.Verification;

/// <summary>
/// Registry logins from image pull secrets, chosen as the kubelet chooses them: the pod's <c>imagePullSecrets</c>,
/// then its ServiceAccount's. Shared by <c>audit --verify</c> (Secrets from the manifests) and the operator
/// (Secrets read from the API with <c>--read-pull-secrets</c>). Nothing here logs or prints a Secret's value.
/// </summary>
public static class PullSecretLogins
{
    /// <summary>The type of Secrets whose <c>.dockerconfigjson</c> key holds a docker config with an <c>auths</c> object.</summary>
    public const string DockerConfigJsonType = "kubernetes.io/dockerconfigjson";

    /// <summary>The legacy type whose <c>.dockercfg</c> key holds the <c>auths</c> object itself.</summary>
    public const string DockerCfgType = "kubernetes.io/dockercfg";

    private const string DockerConfigJsonKey = ".dockerconfigjson";
    private const string DockerCfgKey = ".dockercfg";

    /// <summary>The pull secret names of the pod, then of its ServiceAccount, each once, in that order (first match wins).</summary>
    public static ImmutableArray<string> NamesOf(V1PodSpec? pod, V1ServiceAccount? serviceAccount) =>
        [.. (pod?.ImagePullSecrets ?? []).Select(s => s.Name)
            .Concat((serviceAccount?.ImagePullSecrets ?? []).Select(s => s.Name))
            .OfType<string>().Where(n => n.Length > 0).Distinct(StringComparer.Ordinal)];

    /// <summary>Credentials from the docker configs found (null entries are secrets that were not available); null when none was.</summary>
    public static RegistryCredentials? CredentialsOf(IEnumerable<ReadOnlyMemory<byte>?> dockerConfigs)
    {
        var found = dockerConfigs.OfType<ReadOnlyMemory<byte>>().ToList();
        return found.Count == 0 ? null : RegistryCredentials.FromDockerConfigJson(found);
    }

    /// <summary>
    /// The docker config of a pull secret read from the API, in the <c>.dockerconfigjson</c> shape (a legacy
    /// <c>.dockercfg</c> is wrapped in <c>auths</c>); null when the Secret is of another type or its key is
    /// missing or not a docker config.
    /// </summary>
    public static ReadOnlyMemory<byte>? DockerConfigOf(V1Secret secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        var (key, legacy) = secret.Type switch
        {
            DockerConfigJsonType => (DockerConfigJsonKey, false),
            DockerCfgType => (DockerCfgKey, true),
            _ => (null, false),
        };
        if (key is null || secret.Data is null || !secret.Data.TryGetValue(key, out var bytes) || bytes is null)
        {
            return null;
        }

        ReadOnlyMemory<byte> config = bytes;
        if (legacy)
        {
            try
            {
                if (JsonNode.Parse(bytes) is not JsonObject auths)
                {
                    return null;
                }

                config = Encoding.UTF8.GetBytes(new JsonObject { ["auths"] = auths }.ToJsonString());
            }
            catch (JsonException)
            {
                return null;
            }
        }

        // Not a conditional expression: `cond ? config : null` would turn null into an empty, non-null config.
        if (!Parses(config))
        {
            return null;
        }

        return config;
    }

    /// <summary>
    /// Whether the registry client will be able to read the logins: checked here, with the same parser, so a
    /// malformed entry (bad base64, no <c>auths</c>) is this Secret's problem and not an error in a later verification.
    /// </summary>
    private static bool Parses(ReadOnlyMemory<byte> config)
    {
        try
        {
            _ = RegistryCredentials.FromDockerConfigJson(config).Find(string.Empty);
            return true;
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException)
        {
            return false;
        }
    }
}
