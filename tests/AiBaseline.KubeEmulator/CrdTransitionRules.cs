using System.Text.Json;
using System.Text.Json.Nodes;

namespace AiBaseline.KubeEmulator;

/// <summary>
/// The one CEL rule of <c>x-kubernetes-validations</c> the emulator evaluates: <c>self == oldSelf</c>, the immutability
/// rule, on an update where the field existed before and exists now, as the real server checks transition rules. It is
/// followed through object properties only (not into list items, which the server correlates by map key). Other rules
/// are not evaluated: the emulator has no CEL interpreter.
/// </summary>
internal static class CrdTransitionRules
{
    /// <summary>The violations of immutability rules between <paramref name="old"/> and <paramref name="next"/>.</summary>
    public static IReadOnlyList<SchemaViolation> Check(JsonNode? schema, JsonNode? old, JsonNode? next)
    {
        var violations = new List<SchemaViolation>();
        Walk(schema, old, next, "", violations);
        return violations;
    }

    private static void Walk(JsonNode? schema, JsonNode? old, JsonNode? next, string path, List<SchemaViolation> violations)
    {
        if (schema is not JsonObject node || old is null || next is null)
        {
            return;
        }

        foreach (var rule in node["x-kubernetes-validations"] as JsonArray ?? [])
        {
            if (IsImmutability(rule?["rule"]) && !JsonNode.DeepEquals(old, next))
            {
                var message = rule?["message"]?.GetValue<string>() ?? $"failed rule: {rule?["rule"]?.GetValue<string>()}";
                violations.Add(new SchemaViolation(path.Length == 0 ? "<nil>" : path, $"Invalid value: \"{TypeName(next)}\": {message}"));
            }
        }

        if (node["properties"] is JsonObject properties && old is JsonObject oldObject && next is JsonObject nextObject)
        {
            foreach (var (name, child) in properties)
            {
                Walk(child, oldObject[name], nextObject[name], path.Length == 0 ? name : $"{path}.{name}", violations);
            }
        }
    }

    private static bool IsImmutability(JsonNode? rule) =>
        rule is JsonValue value && value.GetValueKind() == JsonValueKind.String
        && string.Concat(value.GetValue<string>().Where(c => !char.IsWhiteSpace(c))) is "self==oldSelf" or "oldSelf==self";

    // The server names the value's type in place of a large value.
    private static string TypeName(JsonNode node) => node.GetValueKind() switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        _ => "number",
    };
}
