using System.Collections.Immutable;
using System.Text.Json.Nodes;

namespace AiBaseline.KubeEmulator;

/// <summary>Every served resource: the built-ins plus one entry per served version of each registered CRD.</summary>
internal sealed class ResourceRegistry
{
    /// <summary>The cell types a printer column may declare, as the server validates them.</summary>
    private static readonly string[] ColumnTypes = ["boolean", "date", "integer", "number", "string"];

    private ImmutableDictionary<(string Group, string Version, string Plural), ResourceType> _byPath =
        BuiltInResources.All.ToImmutableDictionary(t => (t.Group, t.Version, t.Plural));

    public IEnumerable<ResourceType> All => _byPath.Values;

    public ResourceType? Find(string group, string version, string plural) =>
        _byPath.GetValueOrDefault((group, version, plural));

    public ResourceType? FindKind(string apiVersion, string kind) =>
        _byPath.Values.FirstOrDefault(t => t.ApiVersion == apiVersion && t.Kind == kind);

    /// <summary>Serves every version a CRD marks served, replacing what an earlier revision of the CRD served.</summary>
    public void Register(JsonObject crd)
    {
        var types = Describe(crd);
        ImmutableInterlocked.Update(ref _byPath, map =>
        {
            var first = types[0];
            var kept = map.Where(e => !(e.Key.Group == first.Group && e.Key.Plural == first.Plural));
            return kept.Concat(types.Select(t => KeyValuePair.Create((t.Group, t.Version, t.Plural), t))).ToImmutableDictionary();
        });
    }

    public void Unregister(JsonObject crd)
    {
        var group = crd["spec"]?["group"]?.GetValue<string>();
        var plural = crd["spec"]?["names"]?["plural"]?.GetValue<string>();
        ImmutableInterlocked.Update(ref _byPath, map => map.RemoveRange(map.Keys.Where(k => k.Group == group && k.Plural == plural)));
    }

    /// <summary>Reads the served versions of a CRD; throws a 422 naming the field a CRD lacks.</summary>
    public static IReadOnlyList<ResourceType> Describe(JsonObject crd)
    {
        var name = crd["metadata"]?["name"]?.GetValue<string>() ?? "";
        var crdType = BuiltInResources.All.Single(t => t.Kind == "CustomResourceDefinition");
        string Need(JsonNode? node, string path) => node?.GetValue<string>() is { Length: > 0 } text
            ? text
            : throw ApiError.Invalid(crdType, name, [new SchemaViolation(path, "Required value", "FieldValueRequired")]);

        var spec = crd["spec"];
        var group = Need(spec?["group"], "spec.group");
        var plural = Need(spec?["names"]?["plural"], "spec.names.plural");
        var kind = Need(spec?["names"]?["kind"], "spec.names.kind");
        var namespaced = Need(spec?["scope"], "spec.scope") == "Namespaced";
        var shortNames = (spec?["names"]?["shortNames"] as JsonArray)?.Select(s => s!.GetValue<string>()).ToImmutableArray() ?? [];
        var categories = (spec?["names"]?["categories"] as JsonArray)?.Select(s => s!.GetValue<string>()).ToImmutableArray() ?? [];
        var expected = $"{plural}.{group}";
        if (name != expected)
        {
            throw ApiError.Invalid(crdType, name, [new SchemaViolation("metadata.name", $"Invalid value: \"{name}\": must be spec.names.plural+\".\"+spec.group")]);
        }

        var versions = spec?["versions"] as JsonArray ?? [];
        var violations = CrdSchemaRules.Check(versions);
        if (violations.Count > 0)
        {
            throw ApiError.Invalid(crdType, name, violations);
        }

        var types = versions
            .Select((v, i) => (Version: v as JsonObject, Index: i))
            .Where(e => e.Version?["served"]?.GetValue<bool>() ?? false)
            .Select(e => (v: e.Version!, i: e.Index))
            .Select(e => new ResourceType(
                group,
                Need(e.v["name"], "spec.versions[].name"),
                plural,
                kind,
                namespaced,
                HasStatus: e.v["subresources"]?["status"] is not null,
                Schema: e.v["schema"]?["openAPIV3Schema"]?.DeepClone(),
                ShortNames: shortNames,
                PrinterColumns: Columns(crdType, name, e.v["additionalPrinterColumns"] as JsonArray, $"spec.versions[{e.i}].additionalPrinterColumns"),
                Categories: categories))
            .ToList();
        return types.Count > 0
            ? types
            : throw ApiError.Invalid(crdType, name, [new SchemaViolation("spec.versions", "Required value: must have at least one served version", "FieldValueRequired")]);
    }

    /// <summary>
    /// A version's printer columns; without any, the server shows Age as its only column after Name. A column whose
    /// JSONPath does not parse is refused at CRD write time, as the server validates it then.
    /// </summary>
    private static ImmutableArray<PrinterColumn> Columns(ResourceType crdType, string crdName, JsonArray? declared, string path)
    {
        var columns = (declared ?? []).OfType<JsonObject>().Select((c, i) =>
        {
            var column = new PrinterColumn(
                c["name"]?.GetValue<string>() ?? "",
                c["type"]?.GetValue<string>() ?? "",
                c["format"]?.GetValue<string>() ?? "",
                c["description"]?.GetValue<string>() ?? "",
                c["priority"]?.GetValue<int>() ?? 0,
                c["jsonPath"]?.GetValue<string>() ?? "");
            if (!ColumnTypes.Contains(column.Type))
            {
                var supported = string.Join(", ", ColumnTypes.Select(t => $"\"{t}\""));
                throw ApiError.Invalid(crdType, crdName, [new SchemaViolation($"{path}[{i}].type", $"Unsupported value: \"{column.Type}\": supported values: {supported}", "FieldValueNotSupported")]);
            }

            try
            {
                PrinterJsonPath.Parse(column.JsonPath);
            }
            catch (FormatException e)
            {
                throw ApiError.Invalid(crdType, crdName, [new SchemaViolation($"{path}[{i}].JSONPath", $"Invalid value: \"{column.JsonPath}\": {e.Message}")]);
            }

            return column;
        }).ToImmutableArray();
        return columns.Length > 0
            ? columns
            : [new PrinterColumn("Age", "date", "", TableConverter.CreationTimestampDescription, 0, ".metadata.creationTimestamp")];
    }
}
