using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AiBaseline.Api.V1Alpha1;
using k8s;

namespace AiBaseline.Report;

/// <summary>
/// The identity of a BaselineProfile's settings: the sha256 of its spec in canonical JSON (object keys sorted by
/// code point, no insignificant whitespace, null members left out), so the same settings give the same digest
/// whichever order or layout the YAML was written in.
/// </summary>
public static class ProfileDigest
{
    /// <summary>"sha256:" and 64 lowercase hex digits of the canonical spec.</summary>
    public static string Of(BaselineProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var node = JsonNode.Parse(KubernetesJson.Serialize(profile.Spec ?? new BaselineProfileSpec()));
        return "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Canonical(node))));
    }

    /// <summary>The canonical JSON text of <paramref name="node"/>.</summary>
    public static string Canonical(JsonNode? node)
    {
        var builder = new StringBuilder();
        Write(node, builder);
        return builder.ToString();
    }

    private static void Write(JsonNode? node, StringBuilder builder)
    {
        switch (node)
        {
            case JsonObject obj:
                builder.Append('{');
                var first = true;
                foreach (var (key, value) in obj.Where(p => p.Value is not null).OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    builder.Append(first ? "" : ",").Append(JsonSerializer.Serialize(key)).Append(':');
                    Write(value, builder);
                    first = false;
                }

                builder.Append('}');
                break;
            case JsonArray array:
                builder.Append('[');
                for (var i = 0; i < array.Count; i++)
                {
                    builder.Append(i == 0 ? "" : ",");
                    Write(array[i], builder);
                }

                builder.Append(']');
                break;
            case null:
                builder.Append("null");
                break;
            default:
                builder.Append(node.ToJsonString());
                break;
        }
    }
}
