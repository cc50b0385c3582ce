using System.Text.Json.Nodes;

namespace AiBaseline.Engine;

/// <summary>
/// Reading objects of other projects' kinds (serving stacks, monitors, reports, routes) as JSON, safely on any shape a
/// manifest or the cluster gives them.
/// </summary>
internal static class JsonReading
{
    /// <summary>The node at <paramref name="path"/>, or null where a step is missing or not an object (input may be any shape).</summary>
    public static JsonNode? At(JsonNode? node, params string[] path)
    {
        foreach (var step in path)
        {
            node = node is JsonObject o ? o[step] : null;
        }

        return node;
    }

    /// <summary>A scalar as text, whatever YAML made of it (a name of digits is a number there); null for anything else.</summary>
    public static string? Text(JsonNode? node) =>
        node is JsonValue value ? (value.TryGetValue<string>(out var text) ? text : value.ToJsonString()) : null;
}
