using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AiBaseline.KubeEmulator;

/// <summary>Writes objects, lists, statuses and watch lines, full or metadata-only, straight from stored bytes.</summary>
internal static class ResponseWriter
{
    public static async Task Json(HttpContext context, int status, JsonNode body, IReadOnlyList<string>? warnings = null)
    {
        Prepare(context, status, warnings);
        await context.Response.Body.WriteAsync(JsonSerializer.SerializeToUtf8Bytes(body), context.RequestAborted);
    }

    public static async Task Object(HttpContext context, int status, StoredObject obj, bool metadataOnly, IReadOnlyList<string>? warnings = null)
    {
        Prepare(context, status, warnings);
        await context.Response.Body.WriteAsync(metadataOnly ? MetadataOnly(obj.Json) : obj.Json, context.RequestAborted);
    }

    public static async Task List(HttpContext context, ResourceType type, ListPage page, bool metadataOnly)
    {
        Prepare(context, 200, null);
        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("kind", metadataOnly ? "PartialObjectMetadataList" : $"{type.Kind}List");
            writer.WriteString("apiVersion", metadataOnly ? "meta.k8s.io/v1" : type.ApiVersion);
            writer.WriteStartObject("metadata");
            writer.WriteString("resourceVersion", page.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (page.Continue is not null)
            {
                writer.WriteString("continue", page.Continue);
            }

            writer.WriteEndObject();
            writer.WriteStartArray("items");
            foreach (var item in page.Items)
            {
                writer.WriteRawValue(metadataOnly ? MetadataOnly(item.Json) : item.Json, skipInputValidation: true);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        buffer.Position = 0;
        await buffer.CopyToAsync(context.Response.Body, context.RequestAborted);
    }

    /// <summary>A 200 body in a negotiated representation (a table, aggregated discovery), labelled with its content type.</summary>
    public static async Task Typed(HttpContext context, string contentType, byte[] body)
    {
        Prepare(context, 200, null);
        context.Response.ContentType = contentType;
        await context.Response.Body.WriteAsync(body, context.RequestAborted);
    }

    /// <summary>One newline-terminated watch event: <c>{"type":...,"object":...}</c>.</summary>
    public static byte[] WatchLine(string type, ReadOnlySpan<byte> obj)
    {
        var head = Encoding.UTF8.GetBytes($"{{\"type\":\"{type}\",\"object\":");
        var line = new byte[head.Length + obj.Length + 2];
        head.CopyTo(line, 0);
        obj.CopyTo(line.AsSpan(head.Length));
        line[^2] = (byte)'}';
        line[^1] = (byte)'\n';
        return line;
    }

    /// <summary>PartialObjectMetadata: only apiVersion, kind and metadata, so secret values never leave the server.</summary>
    public static byte[] MetadataOnly(byte[] json)
    {
        using var document = JsonDocument.Parse(json);
        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("kind", "PartialObjectMetadata");
            writer.WriteString("apiVersion", "meta.k8s.io/v1");
            writer.WritePropertyName("metadata");
            document.RootElement.GetProperty("metadata").WriteTo(writer);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    public static bool WantsMetadataOnly(HttpRequest request) =>
        request.Headers.Accept.Any(a => a is not null && a.Contains("as=PartialObjectMetadata", StringComparison.Ordinal));

    private static void Prepare(HttpContext context, int status, IReadOnlyList<string>? warnings)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        foreach (var warning in warnings ?? [])
        {
            context.Response.Headers.Append("Warning", $"299 - {JsonSerializer.Serialize(warning)}");
        }
    }
}
