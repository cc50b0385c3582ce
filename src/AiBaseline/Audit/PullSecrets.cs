using System.Text;
using System.Text.Json;

namespace AiBaseline.Audit;

/// <summary>
/// Reads the <c>.dockerconfigjson</c> of <c>kubernetes.io/dockerconfigjson</c> Secrets for <c>--verify</c>.
/// Problems name the Secret and the field, never the value.
/// </summary>
internal static class PullSecrets
{
    public const string DockerConfigJsonType = Verification.PullSecretLogins.DockerConfigJsonType;

    private const string Key = ".dockerconfigjson";

    /// <summary>The decoded contents from stringData or (base64) data; null, with a problem, when unusable.</summary>
    public static byte[]? Read(ManifestDocument document, string label, List<InputProblem> problems)
    {
        var node = document.Node;
        byte[]? config = null;
        var field = "stringData." + Key;
        if (YamlDocuments.Mapping(node, "stringData") is { } stringData && YamlDocuments.Scalar(stringData, Key) is { Length: > 0 } text)
        {
            config = Encoding.UTF8.GetBytes(text);
        }
        else if (YamlDocuments.Mapping(node, "data") is { } data && YamlDocuments.Scalar(data, Key) is { Length: > 0 } encoded)
        {
            field = "data." + Key;
            try
            {
                config = Convert.FromBase64String(encoded);
            }
            catch (FormatException)
            {
                problems.Add(new InputProblem(document.File, document.Line, label, field, "is not valid base64: encode the docker config JSON"));
                return null;
            }
        }

        if (config is null)
        {
            problems.Add(new InputProblem(document.File, document.Line, label, "data." + Key, $"is missing: a Secret of type {DockerConfigJsonType} needs it"));
            return null;
        }

        if (!HasAuths(config))
        {
            problems.Add(new InputProblem(document.File, document.Line, label, field, "is not a docker config: it needs a JSON object with an \"auths\" object"));
            return null;
        }

        return config;
    }

    private static bool HasAuths(byte[] config)
    {
        try
        {
            using var json = JsonDocument.Parse(config);
            return json.RootElement.ValueKind == JsonValueKind.Object
                && json.RootElement.TryGetProperty("auths", out var auths) && auths.ValueKind == JsonValueKind.Object;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
