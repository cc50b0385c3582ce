using System.Text.Json.Nodes;
using AiBaseline.Controller.Api;
using k8s;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AiBaseline.Controller.Writers;

/// <summary>What a status write did.</summary>
public enum StatusWriteOutcome
{
    /// <summary>The stored status already was the desired one; nothing was sent.</summary>
    Unchanged,

    /// <summary>The status was written.</summary>
    Written,

    /// <summary>The object no longer exists.</summary>
    NotFound,
}

/// <summary>
/// Writes the <c>status</c> subresource of any resource. Conflicts (409) are retried by reading again and
/// recomputing, so they never reach users.
/// </summary>
public sealed class StatusWriter(KubeApiClient api, ILogger<StatusWriter>? logger = null)
{
    private const string MergePatch = "application/merge-patch+json";
    private const string ApplyPatch = "application/apply-patch+yaml";
    private readonly ILogger log = logger ?? NullLogger<StatusWriter>.Instance;

    /// <summary>Attempts before a conflict is given up on (and the reconcile retried with backoff).</summary>
    public int MaxAttempts { get; init; } = 5;

    /// <summary>
    /// Reads the object, asks <paramref name="desiredStatus"/> for the status it should have (null: leave it), and
    /// writes the difference as a JSON merge patch guarded by the resourceVersion read. Keys missing from the desired
    /// status are removed. Nothing is sent when the stored status already matches.
    /// </summary>
    /// <param name="type">The resource.</param>
    /// <param name="key">The object.</param>
    /// <param name="desiredStatus">The status the object as read should have, or null to leave it as it is.</param>
    /// <param name="cancellationToken">Stops the write.</param>
    /// <param name="withoutStatus">
    /// The object as a watch delivered it, when that copy had no status at all (a first verdict): the first attempt
    /// judges it and writes guarded by its resourceVersion without reading it again. Had anything changed since, the
    /// server answers 409 and the next attempt reads, as without it. One request instead of two per new object.
    /// </param>
    public async Task<StatusWriteOutcome> UpdateAsync<T>(
        ResourceType type, ObjectKey key, Func<T, object?> desiredStatus, CancellationToken cancellationToken, T? withoutStatus = null)
        where T : class, k8s.Models.IMetadata<k8s.Models.V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(desiredStatus);
        for (var attempt = 1; ; attempt++)
        {
            T subject;
            JsonNode? stored;
            string? resourceVersion;
            if (attempt == 1 && withoutStatus?.Metadata?.ResourceVersion is { Length: > 0 } known)
            {
                (subject, stored, resourceVersion) = (withoutStatus, null, known);
            }
            else
            {
                JsonNode current;
                try
                {
                    current = await api.GetAsync<JsonNode>(type, key, cancellationToken);
                }
                catch (KubeApiException e) when (e.IsNotFound)
                {
                    return StatusWriteOutcome.NotFound;
                }

                (subject, stored, resourceVersion) = (KubernetesJson.Deserialize<T>(current), current["status"], (string?)current["metadata"]?["resourceVersion"]);
            }

            var desired = desiredStatus(subject);
            if (desired is null)
            {
                return StatusWriteOutcome.Unchanged;
            }

            var desiredNode = JsonNode.Parse(KubernetesJson.Serialize(desired));
            if (JsonNode.DeepEquals(stored, desiredNode))
            {
                return StatusWriteOutcome.Unchanged;
            }

            var patch = new JsonObject
            {
                ["metadata"] = new JsonObject { ["resourceVersion"] = resourceVersion },
                ["status"] = MergePatchOf(stored, desiredNode),
            };
            try
            {
                await api.PatchDiscardingAsync(type, key, patch.ToJsonString(), MergePatch, "status", null, cancellationToken);
                return StatusWriteOutcome.Written;
            }
            catch (KubeApiException e) when (e.IsNotFound && stored is null && attempt == 1 && withoutStatus is not null)
            {
                // Deleted since the watch delivered it; the next attempt's read says so.
            }
            catch (KubeApiException e) when (e.IsConflict && attempt < MaxAttempts)
            {
                log.LogDebug("Status of {Resource} {Key} changed while it was written; reading it again", type, key);
            }
        }
    }

    /// <summary>
    /// Writes <paramref name="status"/> by server-side apply with <paramref name="fieldManager"/>, forcing ownership
    /// of the fields. Conflicts are retried.
    /// </summary>
    public async Task ApplyAsync(
        ResourceType type, ObjectKey key, string kind, object status, string fieldManager, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(type);
        var metadata = new JsonObject { ["name"] = key.Name };
        if (key.Namespace is not null)
        {
            metadata["namespace"] = key.Namespace;
        }

        var body = new JsonObject
        {
            ["apiVersion"] = type.ApiVersion,
            ["kind"] = kind,
            ["metadata"] = metadata,
            ["status"] = JsonNode.Parse(KubernetesJson.Serialize(status)),
        };
        var query = "?fieldManager=" + Uri.EscapeDataString(fieldManager) + "&force=true";
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await api.PatchDiscardingAsync(type, key, body.ToJsonString(), ApplyPatch, "status", query, cancellationToken);
                return;
            }
            catch (KubeApiException e) when (e.IsConflict && attempt < MaxAttempts)
            {
                log.LogDebug("Applying status of {Resource} {Key} conflicted; retrying", type, key);
            }
        }
    }

    /// <summary>The JSON merge patch (RFC 7386) that turns <paramref name="from"/> into <paramref name="to"/>.</summary>
    internal static JsonNode? MergePatchOf(JsonNode? from, JsonNode? to)
    {
        if (from is not JsonObject source || to is not JsonObject target)
        {
            return to?.DeepClone();
        }

        var patch = new JsonObject();
        foreach (var (name, value) in target)
        {
            if (!source.TryGetPropertyValue(name, out var old) || !JsonNode.DeepEquals(old, value))
            {
                patch[name] = value is null ? null : MergePatchOf(old, value);
            }
        }

        foreach (var (name, _) in source)
        {
            if (!target.ContainsKey(name))
            {
                patch[name] = null;
            }
        }

        return patch;
    }
}
