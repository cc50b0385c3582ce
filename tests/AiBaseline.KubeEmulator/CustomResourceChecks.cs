using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace AiBaseline.KubeEmulator;

/// <summary>What the server does with a custom resource body before storing it: prune or reject unknown fields, then validate.</summary>
internal static partial class CustomResourceChecks
{
    private const string DnsSubdomainRule = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

    /// <summary>Prunes (or, when strict, rejects) undeclared fields and throws 422 on schema violations; returns warnings.</summary>
    public static IReadOnlyList<string> Apply(ResourceType type, string name, JsonObject obj, FieldValidation validation)
    {
        if (type.Schema is null)
        {
            return [];
        }

        if (!IsDnsSubdomain(name))
        {
            throw ApiError.Invalid(type, name, [new SchemaViolation("metadata.name", $"Invalid value: \"{name}\": {DnsSubdomainRule}")]);
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
            // The server skips CEL rules after an error that leaves the object's shape in doubt, and says so when the schema has any.
            var blocking = violations.Any(v => BlockingReasons.Contains(v.Reason));
            throw ApiError.Invalid(type, name, blocking && HasValidationRules(type.Schema) ? [.. violations, RulesNotChecked] : violations);
        }

        return validation == FieldValidation.Warn ? [.. unknown.Select(u => $"unknown field \"{u}\"")] : [];
    }

    private static readonly string[] BlockingReasons =
        ["FieldValueNotSupported", "FieldValueRequired", "FieldValueTooLong", "FieldValueTooMany", "FieldValueTypeInvalid"];

    private static readonly SchemaViolation RulesNotChecked = new(
        "<nil>", "Invalid value: null: some validation rules were not checked because the object was invalid; correct the existing errors to complete validation");

    private static bool HasValidationRules(JsonNode? schema) => schema switch
    {
        JsonObject node => node.ContainsKey("x-kubernetes-validations") || node.Any(p => HasValidationRules(p.Value)),
        JsonArray list => list.Any(HasValidationRules),
        _ => false,
    };

    /// <summary>Custom resource names are DNS subdomains, as the server checks them.</summary>
    private static bool IsDnsSubdomain(string name) => name.Length <= 253 && DnsSubdomain().IsMatch(name);

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex DnsSubdomain();
}
