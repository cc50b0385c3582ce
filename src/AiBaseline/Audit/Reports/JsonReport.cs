using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AiBaseline.Api.V1Alpha1;

namespace AiBaseline.Audit.Reports;

/// <summary>
/// The JSON report: <c>{"apiVersion":"aibaseline.io/v1alpha1","kind":"AuditReport","metadata":{…},"items":[{"metadata":{…},"profile":{…},"status":{…}}]}</c>,
/// the top metadata saying when, by which tool version, against which catalog edition and profiles; each status
/// serialized by KubernetesJson exactly as the operator writes it to the cluster.
/// </summary>
public static class JsonReport
{
    /// <summary>The kind of the report document.</summary>
    public const string Kind = "AuditReport";

    private static readonly JsonWriterOptions Indented = new() { Indented = true };

    /// <summary>The report as indented JSON; with --discover, an <c>undeclared</c> list of model servers no deployment declares.</summary>
    public static string Render(IEnumerable<DeploymentVerdict> verdicts, AuditHeader header, JsonArray? undeclared = null)
    {
        using var text = new StringWriter();
        Write(verdicts, header, text, undeclared);
        return text.ToString();
    }

    /// <summary>
    /// Writes the report to <paramref name="output"/> item by item, so a report of many deployments is never held
    /// whole, neither as a tree nor as one string; with --discover, the <paramref name="undeclared"/> model servers last.
    /// </summary>
    public static void Write(IEnumerable<DeploymentVerdict> verdicts, AuditHeader header, TextWriter output, JsonArray? undeclared = null)
    {
        ArgumentNullException.ThrowIfNull(header);
        var buffer = new ArrayBufferWriter<byte>(1 << 16);
        using var json = new Utf8JsonWriter(buffer, Indented);
        json.WriteStartObject();
        json.WriteString("apiVersion", ApiGroup.GroupVersion);
        json.WriteString("kind", Kind);
        json.WritePropertyName("metadata");
        header.ToJson().WriteTo(json);
        json.WriteStartArray("items");
        // The items are rendered a batch at a time on every core, each exactly as this writer would indent it, and
        // written in order.
        var batch = new List<DeploymentVerdict>(ItemBatch);
        var rendered = new ArrayBufferWriter<byte>[ItemBatch];
        var starts = new int[ItemBatch];
        void Flush()
        {
            Parallelism.For(batch.Count, i => starts[i] = batch[i].JsonItem is null ? Item(batch[i], rendered[i] ??= new ArrayBufferWriter<byte>(16 << 10)) : -1);
            for (var i = 0; i < batch.Count; i++)
            {
                json.WriteRawValue(starts[i] < 0 ? batch[i].JsonItem : rendered[i].WrittenSpan[starts[i]..], skipInputValidation: true);
                if (buffer.WrittenCount > 1 << 15)
                {
                    Drain(json, buffer, output);
                }
            }

            batch.Clear();
        }

        foreach (var verdict in verdicts)
        {
            batch.Add(verdict);
            if (batch.Count == ItemBatch)
            {
                Flush();
            }
        }

        Flush();
        json.WriteEndArray();
        if (undeclared is not null)
        {
            json.WritePropertyName("undeclared");
            undeclared.WriteTo(json);
        }

        json.WriteEndObject();
        Drain(json, buffer, output);
    }

    private const int ItemBatch = 256;

    /// <summary>
    /// The verdict with its report item rendered, and its status cut to the conditions and summary that the exit code
    /// and the report's header read: what the audit keeps of a deployment until the report is written is then bytes,
    /// not the status's objects.
    /// </summary>
    public static DeploymentVerdict Rendered(DeploymentVerdict verdict)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        var buffer = itemBuffer ??= new ArrayBufferWriter<byte>(16 << 10);
        var start = Item(verdict, buffer);
        return verdict with
        {
            JsonItem = buffer.WrittenSpan[start..].ToArray(),
            Status = new AIModelDeploymentStatus { Conditions = verdict.Status.Conditions, Summary = verdict.Status.Summary },
        };
    }

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? itemBuffer;

    // One item of the items list, written to the end of a reused buffer as the report's writer renders it there: the line
    // break and indentation before it included, the separating comma left to the writer. Returns where the item starts.
    private static int Item(DeploymentVerdict verdict, ArrayBufferWriter<byte> buffer)
    {
        buffer.ResetWrittenCount();
        using var json = new Utf8JsonWriter(buffer, Indented);
        json.WriteStartObject();
        json.WriteStartArray("items");
        json.Flush();
        var start = buffer.WrittenCount;
        var metadata = verdict.Deployment.Object.Metadata;
        json.WriteStartObject();
        json.WriteStartObject("metadata");
        json.WriteString("name", metadata.Name);
        json.WriteString("namespace", metadata.NamespaceProperty);
        json.WriteEndObject();
        json.WritePropertyName("profile");
        AuditHeader.Profile(new(verdict.ProfileName, verdict.ProfileSource, verdict.ProfileSha256)).WriteTo(json);
        json.WritePropertyName("status");
        JsonSerializer.Serialize(json, verdict.Status, KubernetesJsonOptions.Shared);
        json.WriteEndObject();
        json.Flush();
        return start;
    }

    private static void Drain(Utf8JsonWriter json, ArrayBufferWriter<byte> buffer, TextWriter output)
    {
        json.Flush();
        if (output is StreamWriter { Encoding: UTF8Encoding } file)
        {
            // Written to a file or a pipe (Program.cs): the UTF-8 bytes go out as they are, not decoded and encoded again.
            file.Flush();
            file.BaseStream.Write(buffer.WrittenSpan);
        }
        else
        {
            output.Write(Encoding.UTF8.GetString(buffer.WrittenSpan));
        }

        buffer.ResetWrittenCount();
    }
}
