using System.Collections.Immutable;
using System.Text.Json;

namespace AiBaseline.Provenance.Oci;

/// <summary>A content descriptor from a manifest or index.</summary>
public sealed record OciDescriptor(string MediaType, string Digest, long Size, string? ArtifactType, ImmutableDictionary<string, string> Annotations);

/// <summary>The parts of an image manifest or index the verifier reads: layers (manifest) or manifests (index).</summary>
public sealed record OciManifest(string MediaType, ImmutableArray<OciDescriptor> Layers, ImmutableArray<OciDescriptor> Manifests)
{
    /// <summary>Parses manifest bytes; null when they are not a JSON object.</summary>
    public static OciManifest? TryParse(OciContent content)
    {
        try
        {
            using var json = JsonDocument.Parse(content.Bytes);
            var root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            var mediaType = root.TryGetProperty("mediaType", out var m) && m.GetString() is { } declared ? declared : content.MediaType;
            return new OciManifest(mediaType, Descriptors(root, "layers"), Descriptors(root, "manifests"));
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static ImmutableArray<OciDescriptor> Descriptors(JsonElement root, string property)
    {
        if (!root.TryGetProperty(property, out var list) || list.ValueKind != JsonValueKind.Array)
        {
            return [];
        }

        var result = ImmutableArray.CreateBuilder<OciDescriptor>();
        foreach (var item in list.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            var annotations = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
            if (item.TryGetProperty("annotations", out var a) && a.ValueKind == JsonValueKind.Object)
            {
                foreach (var pair in a.EnumerateObject())
                {
                    if (pair.Value.ValueKind == JsonValueKind.String)
                    {
                        annotations[pair.Name] = pair.Value.GetString()!;
                    }
                }
            }

            result.Add(new OciDescriptor(
                String(item, "mediaType") ?? "",
                String(item, "digest") ?? "",
                item.TryGetProperty("size", out var s) && s.TryGetInt64(out var size) ? size : 0,
                String(item, "artifactType"),
                annotations.ToImmutable()));
        }

        return result.ToImmutable();
    }

    private static string? String(JsonElement item, string name) =>
        item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
