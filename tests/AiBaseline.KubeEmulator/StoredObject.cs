using System.Collections.Frozen;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AiBaseline.KubeEmulator;

/// <summary>
/// One immutable revision of an object. <see cref="Node"/> is never mutated once stored and is only read under the
/// store lock; everything read outside it (responses, watch fan-out, selectors) uses the serialized bytes and the
/// fields extracted at write time, so concurrent readers never touch a <see cref="JsonNode"/>.
/// </summary>
internal sealed class StoredObject
{
    public StoredObject(ResourceType type, JsonObject node)
    {
        Type = type;
        Json = JsonSerializer.SerializeToUtf8Bytes(node);

        // Re-read from the bytes so every stored number is JSON-backed and compares and converts uniformly.
        Node = JsonNode.Parse(Json)!.AsObject();
        var metadata = Node["metadata"]!;
        Name = metadata["name"]!.GetValue<string>();
        Namespace = metadata["namespace"]?.GetValue<string>() ?? "";
        ResourceVersion = long.Parse(metadata["resourceVersion"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        Labels = (metadata["labels"] as JsonObject)?
            .Where(l => l.Value is not null)
            .ToFrozenDictionary(l => l.Key, l => l.Value!.ToString()) ?? FrozenDictionary<string, string>.Empty;
    }

    public ResourceType Type { get; }

    public JsonObject Node { get; }

    public string Name { get; }

    public string Namespace { get; }

    public long ResourceVersion { get; }

    public IReadOnlyDictionary<string, string> Labels { get; }

    public byte[] Json { get; }

    /// <summary>A detached, writable copy of the object.</summary>
    public JsonObject Copy() => JsonNode.Parse(Json)!.AsObject();
}
