using System.Text.Json.Nodes;

namespace AiBaseline.KubeEmulator;

/// <summary>A failed API call, answered with a metav1.Status body exactly as the API server shapes it.</summary>
internal sealed class ApiError(int code, string reason, string message, JsonObject? details = null) : Exception(message)
{
    public int Code { get; } = code;

    public string Reason { get; } = reason;

    public JsonObject ToStatus() => new()
    {
        ["kind"] = "Status",
        ["apiVersion"] = "v1",
        ["metadata"] = new JsonObject(),
        ["status"] = "Failure",
        ["message"] = Message,
        ["reason"] = Reason,
        ["details"] = details?.DeepClone(),
        ["code"] = Code,
    };

    public static ApiError NotFound(ResourceType type, string name) =>
        new(404, "NotFound", $"{type.Name} \"{name}\" not found", Details(type, name));

    public static ApiError AlreadyExists(ResourceType type, string name) =>
        new(409, "AlreadyExists", $"{type.Name} \"{name}\" already exists", Details(type, name));

    public static ApiError Conflict(ResourceType type, string name) =>
        new(409, "Conflict", $"Operation cannot be fulfilled on {type.Name} \"{name}\": the object has been modified; please apply your changes to the latest version and try again", Details(type, name));

    public static ApiError Gone(long requested, long oldest) =>
        new(410, "Expired", $"too old resource version: {requested} ({oldest})");

    public static ApiError BadRequest(string message) => new(400, "BadRequest", message);

    public static ApiError Forbidden(ResourceType type, string name, string why) =>
        new(403, "Forbidden", $"{type.Name} \"{name}\" is forbidden: {why}", Details(type, name));

    public static ApiError Invalid(ResourceType type, string name, IReadOnlyList<SchemaViolation> violations)
    {
        var text = violations.Count == 1 ? violations[0].ToString() : $"[{string.Join(", ", violations)}]";
        var details = Details(type, name);
        details["kind"] = type.Kind;
        details["causes"] = new JsonArray([.. violations.Select(v => (JsonNode)new JsonObject
        {
            ["reason"] = v.Reason,
            ["message"] = v.Message,
            ["field"] = v.Path,
        })]);
        var kindName = type.Group.Length == 0 ? type.Kind : $"{type.Kind}.{type.Group}";
        return new(422, "Invalid", $"{kindName} \"{name}\" is invalid: {text}", details);
    }

    private static JsonObject Details(ResourceType type, string name) => new()
    {
        ["name"] = name,
        ["group"] = type.Group,
        ["kind"] = type.Plural,
    };
}
