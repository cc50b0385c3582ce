using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AiBaseline.KubeEmulator;

/// <summary>What each table row carries besides its cells (the <c>includeObject</c> query parameter).</summary>
internal enum IncludeObject
{
    None,
    Metadata,
    Object,
}

/// <summary>A client's request for server-side table output: the <c>meta.k8s.io</c> version and what rows carry.</summary>
internal sealed record TableRequest(string Version, IncludeObject Include)
{
    /// <summary>The content type the server answers a table with.</summary>
    public string ContentType => $"application/json;as=Table;v={Version};g=meta.k8s.io";

    /// <summary>
    /// The table request in the Accept header, or null when the first media type the emulator can serve is a plain or
    /// metadata-only object. kubectl sends <c>as=Table;v=v1</c>, then <c>as=Table;v=v1beta1</c>, then plain JSON.
    /// </summary>
    public static TableRequest? From(HttpRequest request)
    {
        foreach (var range in MediaRange.Of(request).Where(r => r.IsJson))
        {
            if (range["as"] != "Table")
            {
                return null;
            }

            // A table version the emulator does not know is skipped, as the server skips media types it cannot serve.
            if (range["g"] == "meta.k8s.io" && range["v"] is "v1" or "v1beta1")
            {
                return new TableRequest(range["v"]!, IncludeOf(request.Query["includeObject"].ToString()));
            }
        }

        return null;
    }

    private static IncludeObject IncludeOf(string value) => value switch
    {
        "" or "Metadata" => IncludeObject.Metadata,
        "None" => IncludeObject.None,
        "Object" => IncludeObject.Object,
        _ => throw ApiError.BadRequest($"Unsupported value: \"{value}\": supported values: \"Metadata\", \"None\", \"Object\" (includeObject)"),
    };
}

/// <summary>
/// Server-side table output (<c>meta.k8s.io Table</c>) as the API server builds it: a Name column first, then for
/// custom resources the served version's printer columns evaluated by JSONPath, for built-ins the default
/// Created At column. A cell whose value is missing or of the wrong type is null.
/// </summary>
internal static class TableConverter
{
    public const string NameDescription = "The object's name, unique within its namespace (or the cluster for cluster-scoped kinds).";

    public const string CreationTimestampDescription = "When the server created the object, in RFC 3339 form and UTC.";

    private static readonly string[] Rfc3339 =
        ["yyyy-MM-dd'T'HH:mm:ss'Z'", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", "yyyy-MM-dd'T'HH:mm:sszzz", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz"];

    /// <summary>
    /// The table for a list page or (with <paramref name="continueToken"/> null) one object; without
    /// <paramref name="headers"/> the column definitions are null, as in every watch event after the first.
    /// </summary>
    public static byte[] Convert(ResourceType type, IReadOnlyList<StoredObject> items, string resourceVersion, string? continueToken, TableRequest request, DateTimeOffset now, bool headers = true)
    {
        // Built-ins use the server's default convertor: its Created At cell is the RFC 3339 time, not an age.
        var builtIn = type.PrinterColumns is null;
        var columns = type.PrinterColumns ?? [new PrinterColumn("Created At", "date", "", CreationTimestampDescription, 0, ".metadata.creationTimestamp")];
        var paths = columns.Select(c => PrinterJsonPath.Parse(c.JsonPath)).ToList();
        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("kind", "Table");
            writer.WriteString("apiVersion", $"meta.k8s.io/{request.Version}");
            writer.WriteStartObject("metadata");
            writer.WriteString("resourceVersion", resourceVersion);
            if (continueToken is not null)
            {
                writer.WriteString("continue", continueToken);
            }

            writer.WriteEndObject();
            if (headers)
            {
                writer.WriteStartArray("columnDefinitions");
                WriteColumn(writer, new PrinterColumn("Name", "string", "name", NameDescription, 0, ".metadata.name"));
                foreach (var column in columns)
                {
                    WriteColumn(writer, column);
                }

                writer.WriteEndArray();
            }
            else
            {
                writer.WriteNull("columnDefinitions");
            }

            writer.WriteStartArray("rows");
            foreach (var item in items)
            {
                var node = JsonNode.Parse(item.Json)!;
                writer.WriteStartObject();
                writer.WriteStartArray("cells");
                writer.WriteStringValue(item.Name);
                for (var i = 0; i < columns.Count; i++)
                {
                    var value = paths[i].Evaluate(node) is [var first, ..] ? first : null;
                    var cell = builtIn
                        ? JsonValue.Create(value?.GetValueKind() == JsonValueKind.String ? CreatedAt(value.GetValue<string>()) : null)
                        : Cell(columns[i].Type, value, now);
                    if (cell is not null)
                    {
                        cell.WriteTo(writer);
                    }
                    else
                    {
                        writer.WriteNullValue();
                    }
                }

                writer.WriteEndArray();
                writer.WritePropertyName("object");
                WriteObject(writer, request, item, node);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>A cell as the apiextensions server types it: null when missing or of another type, except that <c>string</c> columns print any value as text.</summary>
    public static JsonNode? Cell(string type, JsonNode? value, DateTimeOffset now) =>
        (type, value?.GetValueKind()) switch
        {
            (_, null or JsonValueKind.Null) => null,
            ("string", JsonValueKind.String) => JsonValue.Create(value!.GetValue<string>()),
            ("string", _) => JsonValue.Create(Text(value)),
            ("integer", JsonValueKind.Number) => JsonValue.Create(long.TryParse(value!.ToJsonString(), CultureInfo.InvariantCulture, out var whole) ? whole : (long)Number(value)),
            ("number", JsonValueKind.Number) => JsonValue.Create(Number(value!)),
            ("boolean", JsonValueKind.True or JsonValueKind.False) => JsonValue.Create(value!.GetValue<bool>()),
            ("date", JsonValueKind.String) => JsonValue.Create(Age(value!.GetValue<string>(), now)),
            _ => null,
        };

    /// <summary>A non-string value in a string column, printed as the server's Go formatting prints it: <c>[a b]</c>, <c>map[k:v]</c>.</summary>
    private static string Text(JsonNode? value) => value switch
    {
        null => "<nil>",
        JsonArray array => $"[{string.Join(' ', array.Select(Text))}]",
        JsonObject obj => $"map[{string.Join(' ', obj.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}:{Text(p.Value)}"))}]",
        _ when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
        _ => value.ToJsonString(),
    };

    private static string Age(string timestamp, DateTimeOffset now)
    {
        if (timestamp.Length == 0 || timestamp == "null")
        {
            return "<unknown>";
        }

        // The server parses RFC 3339 strictly: a bare date such as 2026-03-02 is "<invalid>", not midnight.
        return DateTimeOffset.TryParseExact(timestamp, Rfc3339, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var created)
            ? HumanDuration.Format(now - created)
            : "<invalid>";
    }

    private static string CreatedAt(string timestamp) =>
        DateTimeOffset.TryParse(timestamp, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var created)
            ? created.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)
            : timestamp;

    private static double Number(JsonNode value) => double.Parse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture);

    private static void WriteColumn(Utf8JsonWriter writer, PrinterColumn column)
    {
        writer.WriteStartObject();
        writer.WriteString("name", column.Name);
        writer.WriteString("type", column.Type);
        writer.WriteString("format", column.Format);
        writer.WriteString("description", column.Description);
        writer.WriteNumber("priority", column.Priority);
        writer.WriteEndObject();
    }

    private static void WriteObject(Utf8JsonWriter writer, TableRequest request, StoredObject item, JsonNode node)
    {
        switch (request.Include)
        {
            case IncludeObject.Object:
                writer.WriteRawValue(item.Json, skipInputValidation: true);
                break;
            case IncludeObject.Metadata:
                writer.WriteStartObject();
                writer.WriteString("kind", "PartialObjectMetadata");
                writer.WriteString("apiVersion", $"meta.k8s.io/{request.Version}");
                writer.WritePropertyName("metadata");
                node["metadata"]!.WriteTo(writer);
                writer.WriteEndObject();
                break;
            default:
                writer.WriteNullValue();
                break;
        }
    }
}

/// <summary>Watch events as one-row tables; only the first carries column definitions, as the server sends them.</summary>
internal sealed class TableWatchRows(ResourceType type, TableRequest request)
{
    private bool _headersSent;

    public byte[] Row(StoredObject obj)
    {
        var version = obj.ResourceVersion.ToString(CultureInfo.InvariantCulture);
        var table = TableConverter.Convert(type, [obj], version, null, request, DateTimeOffset.UtcNow, headers: !_headersSent);
        _headersSent = true;
        return table;
    }
}
