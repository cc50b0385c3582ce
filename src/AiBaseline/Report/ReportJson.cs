using System.Text.Json;
using System.Text.Json.Serialization;

namespace AiBaseline.Report;

/// <summary>The JSON form of a report: the <see cref="EvidenceReport"/> record in camelCase, without null members.</summary>
public static class ReportJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The report as indented JSON.</summary>
    public static string Render(EvidenceReport report) => JsonSerializer.Serialize(report, Options);

    /// <summary>The report as UTF-8 JSON bytes, the exact bytes a signature covers.</summary>
    public static byte[] RenderUtf8(EvidenceReport report) => JsonSerializer.SerializeToUtf8Bytes(report, Options);
}
