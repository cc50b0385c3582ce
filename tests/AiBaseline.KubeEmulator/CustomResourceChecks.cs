using System.Text.Json.Nodes;

namespace AiBaseline.KubeEmulator;

/// <summary>What the server does with a custom resource body before storing it: prune or reject unknown fields, then validate.</summary>
internal static class CustomResourceChecks
{
    /// <summary>Prunes (or, when strict, rejects) undeclared fields and throws 422 on schema violations; returns warnings.</summary>
    public static IReadOnlyList<string> Apply(ResourceType type, string name, JsonObject obj, FieldValidation validation)
    {
        if (type.Schema is null)
        {
            return [];
        }

        var unknown = OpenApiValidator.FindUnknownFields(type.Schema, obj);
        if (unknown.Count > 0 && validation == FieldValidation.Strict)
        {
            var fields = string.Join(", ", unknown.Select(u => $"unknown field \"{u}\""));
            throw ApiError.BadRequest($"{type.Kind} in version \"{type.Version}\" cannot be handled as a {type.Kind}: strict decoding error: {fields}");
        }

        OpenApiValidator.Prune(type.Schema, obj);
        var violations = OpenApiValidator.Validate(type.Schema, obj);
        if (violations.Count > 0)
        {
            throw ApiError.Invalid(type, name, violations);
        }

        return validation == FieldValidation.Warn ? [.. unknown.Select(u => $"unknown field \"{u}\"")] : [];
    }
}
