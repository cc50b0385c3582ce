using System.Buffers;
using System.Text.Json;

namespace AiBaseline.Admission;

/// <summary>The parts of an AdmissionReview v1 request the webhook reads.</summary>
/// <param name="Uid">request.uid, echoed in the response.</param>
/// <param name="Group">request.kind.group ("" for the core group).</param>
/// <param name="Kind">request.kind.kind, such as Deployment.</param>
/// <param name="SubResource">request.subResource, such as status or scale; empty for the object itself.</param>
/// <param name="Namespace">request.namespace.</param>
/// <param name="Name">request.name; empty on a create with generateName.</param>
/// <param name="Operation">CREATE, UPDATE, DELETE or CONNECT.</param>
/// <param name="DryRun">request.dryRun: judged the same, nothing else differs.</param>
/// <param name="Object">request.object; undefined on DELETE.</param>
/// <param name="OldObject">request.oldObject; set on UPDATE.</param>
internal sealed record AdmissionRequest(
    string Uid,
    string Group,
    string Kind,
    string SubResource,
    string Namespace,
    string Name,
    string Operation,
    bool DryRun,
    JsonElement Object,
    JsonElement OldObject);

/// <summary>A request that is not an AdmissionReview v1 the webhook can answer: the API server gets a 400 with this message.</summary>
internal sealed class MalformedReviewException(string message) : Exception(message);

/// <summary>Reads AdmissionReview v1 requests and writes their responses (admission.k8s.io/v1, as the API server sends them).</summary>
internal static class AdmissionReview
{
    public const string ApiVersion = "admission.k8s.io/v1";

    /// <summary>Parses a request body; the document must outlive the returned request, whose elements point into it.</summary>
    /// <exception cref="MalformedReviewException">The body is not JSON or lacks what an AdmissionReview v1 request must hold; the message names the field.</exception>
    public static AdmissionRequest Parse(JsonDocument document)
    {
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new MalformedReviewException("the body is not a JSON object: send an AdmissionReview");
        }

        var apiVersion = String(root, "apiVersion");
        var kind = String(root, "kind");
        if (apiVersion != ApiVersion || kind != "AdmissionReview")
        {
            throw new MalformedReviewException($"apiVersion/kind is \"{apiVersion}/{kind}\": this webhook answers {ApiVersion} AdmissionReview only; set admissionReviewVersions: [v1]");
        }

        if (!root.TryGetProperty("request", out var request) || request.ValueKind != JsonValueKind.Object)
        {
            throw new MalformedReviewException("request is missing: an AdmissionReview sent to a webhook holds one");
        }

        var uid = String(request, "uid");
        if (string.IsNullOrEmpty(uid))
        {
            throw new MalformedReviewException("request.uid is missing");
        }

        var operation = String(request, "operation");
        if (operation is not ("CREATE" or "UPDATE" or "DELETE" or "CONNECT"))
        {
            throw new MalformedReviewException($"request.operation is \"{operation}\": expected CREATE, UPDATE, DELETE or CONNECT");
        }

        if (!request.TryGetProperty("kind", out var gvk) || gvk.ValueKind != JsonValueKind.Object || String(gvk, "kind") is not { Length: > 0 } objectKind)
        {
            throw new MalformedReviewException("request.kind.kind is missing");
        }

        var obj = Element(request, "object");
        if (operation is "CREATE" or "UPDATE" && obj.ValueKind != JsonValueKind.Object)
        {
            throw new MalformedReviewException($"request.object is missing or not an object on {operation}");
        }

        return new AdmissionRequest(
            uid,
            String(gvk, "group") ?? "",
            objectKind,
            String(request, "subResource") ?? "",
            String(request, "namespace") ?? "",
            String(request, "name") ?? "",
            operation,
            request.TryGetProperty("dryRun", out var dryRun) && dryRun.ValueKind == JsonValueKind.True,
            obj,
            Element(request, "oldObject"));
    }

    /// <summary>Writes the response review: allowed or denied with a 403 status and message, and warnings.</summary>
    public static void WriteResponse(IBufferWriter<byte> output, string uid, bool allowed, string? message, IReadOnlyList<string> warnings)
    {
        using var json = new Utf8JsonWriter(output);
        json.WriteStartObject();
        json.WriteString("apiVersion", ApiVersion);
        json.WriteString("kind", "AdmissionReview");
        json.WriteStartObject("response");
        json.WriteString("uid", uid);
        json.WriteBoolean("allowed", allowed);
        if (!allowed)
        {
            json.WriteStartObject("status");
            json.WriteNumber("code", 403);
            json.WriteString("reason", "Forbidden");
            json.WriteString("message", message ?? "denied");
            json.WriteEndObject();
        }

        if (warnings.Count > 0)
        {
            json.WriteStartArray("warnings");
            foreach (var warning in warnings)
            {
                json.WriteStringValue(warning);
            }

            json.WriteEndArray();
        }

        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static string? String(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static JsonElement Element(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) ? value : default;
}
