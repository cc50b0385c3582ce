using System.Text.Json.Nodes;

namespace AiBaseline.Crds;

/// <summary>
/// The schema of a Kubernetes <c>metav1.Condition</c>, with the same required fields and limits the API
/// server applies to built-in conditions, so tools that read standard conditions (kstatus, Argo CD, Flux)
/// can rely on them.
/// </summary>
internal static class ConditionSchema
{
    public static JsonObject Create() => new()
    {
        ["type"] = "object",
        ["description"] = "One aspect of the object's current state, in the standard Kubernetes condition shape.",
        ["properties"] = new JsonObject
        {
            ["lastTransitionTime"] = new JsonObject
            {
                ["type"] = "string",
                ["format"] = "date-time",
                ["description"] = "When the condition last changed status.",
            },
            ["message"] = new JsonObject
            {
                ["type"] = "string",
                ["maxLength"] = 32768,
                ["description"] = "A sentence for people saying what was found and, when not met, what to fix. May be empty.",
            },
            ["observedGeneration"] = new JsonObject
            {
                ["type"] = "integer",
                ["format"] = "int64",
                ["minimum"] = 0,
                ["description"] = "The metadata.generation the condition was set from.",
            },
            ["reason"] = new JsonObject
            {
                ["type"] = "string",
                ["minLength"] = 1,
                ["maxLength"] = 1024,
                ["pattern"] = "^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$",
                ["description"] = "A one-word CamelCase reason for the condition's last transition.",
            },
            ["status"] = new JsonObject
            {
                ["type"] = "string",
                ["enum"] = new JsonArray("True", "False", "Unknown"),
                ["description"] = "Whether the condition holds: True, False or Unknown.",
            },
            ["type"] = new JsonObject
            {
                ["type"] = "string",
                ["maxLength"] = 316,
                ["pattern"] = "^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$",
                ["description"] = "The condition type in CamelCase, such as Ready.",
            },
        },
        ["required"] = new JsonArray("lastTransitionTime", "message", "reason", "status", "type"),
    };
}
