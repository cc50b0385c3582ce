using System.Text.Json.Nodes;
using static AiBaseline.KubeEmulator.CrdSchemaRules;

namespace AiBaseline.KubeEmulator;

/// <summary>
/// A schema node's <c>default</c>: forbidden in the top-level metadata (the server owns it), otherwise it must carry
/// no field its schema would prune and must pass the schema's own validation. A null default is left alone, as the
/// server leaves it. Violations inside the value are paths below the default (<c>…default.b</c>) with messages whose
/// own path starts at the default, as the server validates it as a document of its own.
/// </summary>
internal static class CrdDefaultRules
{
    public static void Check(JsonNode schema, JsonNode value, string path, bool insideMetadata, List<SchemaViolation> violations)
    {
        if (insideMetadata)
        {
            violations.Add(Forbidden(path, "must not be set in top-level metadata"));
            return;
        }

        if (value.GetValueKind() == System.Text.Json.JsonValueKind.Null)
        {
            return;
        }

        var copy = schema.DeepClone().AsObject();
        copy.Remove("default");
        if (OpenApiValidator.FindUnknownFields(copy, value, "default").Count > 0)
        {
            violations.Add(Invalid(path, value.ToJsonString(), "must not have unknown fields"));
            return;
        }

        foreach (var violation in OpenApiValidator.Validate(copy, value))
        {
            violations.Add(violation with { Path = violation.Path.Length == 0 ? path : $"{path}.{violation.Path}" });
        }
    }
}
