using System.Text.Json;
using Json.Schema;

namespace AiBaseline.Cli.Tests.Report;

/// <summary>The committed JSON Schemas, loaded once, and a validation that lists every error it finds.</summary>
public static class ReportSchema
{
    private static readonly Lazy<JsonSchema> Report = new(() => Load(Path.Combine(RepositoryPaths.Root, "docs", "report", "report.schema.json")));

    private static readonly Lazy<JsonSchema> Oscal = new(() => Load(Path.Combine(AppContext.BaseDirectory, "Report", "Oscal", "oscal_assessment-results_schema.json")));

    /// <summary>The errors of <paramref name="document"/> against docs/report/report.schema.json; empty when valid.</summary>
    public static IReadOnlyList<string> ReportErrors(JsonElement document) => Errors(Report.Value, document);

    /// <summary>The errors of <paramref name="document"/> against the released OSCAL assessment-results schema.</summary>
    public static IReadOnlyList<string> OscalErrors(JsonElement document) => Errors(Oscal.Value, document);

    private static JsonSchema Load(string path) =>
        JsonSchema.FromText(File.ReadAllText(path), new BuildOptions { SchemaRegistry = new SchemaRegistry() });

    private static List<string> Errors(JsonSchema schema, JsonElement document)
    {
        var results = schema.Evaluate(document, new EvaluationOptions { OutputFormat = OutputFormat.List, RequireFormatValidation = true });
        return results.IsValid
            ? []
            : [.. (results.Details ?? []).Where(d => d.Errors is { Count: > 0 }).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Key}: {e.Value}")).Take(20)];
    }
}
