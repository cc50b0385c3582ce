using System.Buffers;
using System.Text.Json;
using k8s;

namespace AiBaseline.Controller.Api;

/// <summary>
/// Parts of every listed or watched object that are left out before it becomes a .NET object, so that what a cache
/// never keeps is never built: <c>metadata.managedFields</c> always; <c>metadata.annotations</c> unless kept (kubectl's
/// client-side apply stores a whole copy of the object in one); <c>metadata.uid</c> when not kept; and the <c>status</c>,
/// when asked, as an empty object, so that whether the server has one is still known.
/// </summary>
/// <param name="EmptyStatus">Decode a present status as an empty one.</param>
/// <param name="KeepAnnotations">Keep <c>metadata.annotations</c>.</param>
public sealed record DecodeFilter(bool EmptyStatus, bool KeepAnnotations)
{
    /// <summary>
    /// When annotations are left out, the few still kept: those whose key starts with one of these (a GitOps tool's
    /// tracking annotation, an ingress controller's rate limits), so a check can read them without the rest.
    /// </summary>
    public IReadOnlyList<string> KeptAnnotationPrefixes { get; init; } = [];

    /// <summary>
    /// Keep <c>metadata.uid</c>. Objects that are only ever read for what they grant or select, never named in an event or
    /// an owner reference, do without it: each uid is a string of its own, about 100 bytes.
    /// </summary>
    public bool KeepUid { get; init; } = true;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? scratch;

    /// <summary>The strings of every filtered object, shared (<see cref="SharedStrings"/>).</summary>
    public static SharedStrings Strings { get; } = new();

    /// <summary>The small string maps of every filtered object, shared (<see cref="SharedMaps"/>).</summary>
    public static SharedMaps Maps { get; } = new(Strings);

    /// <summary>The Kubernetes client's own JSON options, with equal strings and small maps shared.</summary>
    private static JsonSerializerOptions Options { get; } = SharingOptions();

    private static JsonSerializerOptions SharingOptions()
    {
        JsonSerializerOptions? options = null;
        KubernetesJson.AddJsonOptions(o => options = new JsonSerializerOptions(o));
        options!.Converters.Insert(0, Strings);
        options.Converters.Insert(1, Maps);
        options.MakeReadOnly();
        return options;
    }

    /// <summary>Decodes <paramref name="element"/>, a Kubernetes object, without the parts this filter leaves out.</summary>
    public T Decode<T>(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return element.Deserialize<T>(Options)!;
        }

        var buffer = scratch ??= new ArrayBufferWriter<byte>(16 * 1024);
        buffer.ResetWrittenCount();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var property in element.EnumerateObject())
            {
                if (EmptyStatus && property.NameEquals("status") && property.Value.ValueKind == JsonValueKind.Object)
                {
                    writer.WritePropertyName("status");
                    writer.WriteStartObject();
                    writer.WriteEndObject();
                }
                else if (property.NameEquals("metadata") && property.Value.ValueKind == JsonValueKind.Object)
                {
                    writer.WritePropertyName("metadata");
                    writer.WriteStartObject();
                    foreach (var field in property.Value.EnumerateObject())
                    {
                        if (!KeepAnnotations && field.NameEquals("annotations"))
                        {
                            WriteKeptAnnotations(field.Value, writer);
                        }
                        else if (!field.NameEquals("managedFields") && (KeepUid || !field.NameEquals("uid")))
                        {
                            field.WriteTo(writer);
                        }
                    }

                    writer.WriteEndObject();
                }
                else
                {
                    property.WriteTo(writer);
                }
            }

            writer.WriteEndObject();
        }

        var result = JsonSerializer.Deserialize<T>(buffer.WrittenSpan, Options)!;
        if (buffer.Capacity > 1024 * 1024)
        {
            scratch = null;
        }

        return result;
    }

    /// <summary>Writes the annotations whose keys <see cref="KeptAnnotationPrefixes"/> keep, and nothing when there are none.</summary>
    private void WriteKeptAnnotations(JsonElement annotations, Utf8JsonWriter writer)
    {
        if (KeptAnnotationPrefixes.Count == 0 || annotations.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        var started = false;
        foreach (var annotation in annotations.EnumerateObject())
        {
            if (!KeptAnnotationPrefixes.Any(p => annotation.Name.StartsWith(p, StringComparison.Ordinal)))
            {
                continue;
            }

            if (!started)
            {
                writer.WritePropertyName("annotations");
                writer.WriteStartObject();
                started = true;
            }

            annotation.WriteTo(writer);
        }

        if (started)
        {
            writer.WriteEndObject();
        }
    }
}
