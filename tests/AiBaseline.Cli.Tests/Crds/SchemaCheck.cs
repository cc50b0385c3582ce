using System.Text.Json.Nodes;
using AiBaseline.Api.V1Alpha1;
using AiBaseline.Crds;
using AiBaseline.KubeEmulator;

namespace AiBaseline.Cli.Tests.Crds;

/// <summary>
/// Checks an object the way <c>kubectl apply</c> with the default strict field validation sees it against the
/// generated CRDs: schema violations plus fields the schema does not declare.
/// </summary>
internal static class SchemaCheck
{
    private static readonly Dictionary<string, JsonObject> Schemas = CrdGenerator.GenerateAll()
        .ToDictionary(c => c.Definition.Spec.Names.Kind, c => CrdGenerator.SchemaOf(c.Definition));

    public static bool IsOurs(JsonNode? document) =>
        (string?)document?["apiVersion"] == ApiGroup.GroupVersion && Schemas.ContainsKey((string?)document?["kind"] ?? "");

    // The API server validates and keeps the root metadata itself whatever the CRD schema says; the
    // emulator's unknown-field walk does not make that exception yet, so its metadata paths are left out.
    public static IReadOnlyList<SchemaViolation> Check(JsonNode document)
    {
        var schema = Schemas[(string)document["kind"]!];
        return
        [
            .. OpenApiValidator.Validate(schema, document),
            .. OpenApiValidator.FindUnknownFields(schema, document)
                .Where(path => !path.StartsWith("metadata.", StringComparison.Ordinal))
                .Select(path => new SchemaViolation(path, "field not declared in schema", "FieldValueInvalid")),
        ];
    }
}
