using System.Net;
using System.Text.Json.Nodes;
using AiBaseline.Controller.Api;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AiBaseline.Controller.Writers;

/// <summary>
/// Adds and removes finalizers with JSON patches that first test the resourceVersion read, so a concurrent change
/// to the list is never overwritten; on a conflict the object is read again and the patch rebuilt.
/// </summary>
public sealed class FinalizerWriter(KubeApiClient api, ILogger<FinalizerWriter>? logger = null)
{
    private const string JsonPatch = "application/json-patch+json";
    private readonly ILogger log = logger ?? NullLogger<FinalizerWriter>.Instance;

    /// <summary>Attempts before a conflict is given up on (and the reconcile retried with backoff).</summary>
    public int MaxAttempts { get; init; } = 5;

    /// <summary>Adds <paramref name="finalizer"/> unless present. Returns whether the object changed.</summary>
    public Task<bool> AddAsync(ResourceType type, ObjectKey key, string finalizer, CancellationToken cancellationToken) =>
        PatchAsync(type, key, finalizer, add: true, cancellationToken);

    /// <summary>Removes <paramref name="finalizer"/> if present. Returns whether the object changed; a missing object is unchanged.</summary>
    public Task<bool> RemoveAsync(ResourceType type, ObjectKey key, string finalizer, CancellationToken cancellationToken) =>
        PatchAsync(type, key, finalizer, add: false, cancellationToken);

    private async Task<bool> PatchAsync(ResourceType type, ObjectKey key, string finalizer, bool add, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            PartialObjectMetadata current;
            try
            {
                current = await api.GetAsync<PartialObjectMetadata>(type, key, cancellationToken);
            }
            catch (KubeApiException e) when (e.IsNotFound && !add)
            {
                return false;
            }

            var finalizers = current.Metadata.Finalizers;
            var index = finalizers?.IndexOf(finalizer) ?? -1;
            if (add == index >= 0)
            {
                return false;
            }

            var ops = new JsonArray(Op("test", "/metadata/resourceVersion", current.Metadata.ResourceVersion));
            if (add)
            {
                ops.Add(finalizers is null
                    ? Op("add", "/metadata/finalizers", new JsonArray(finalizer))
                    : Op("add", "/metadata/finalizers/-", finalizer));
            }
            else
            {
                ops.Add(Op("test", $"/metadata/finalizers/{index}", finalizer));
                ops.Add(Op("remove", $"/metadata/finalizers/{index}", null));
            }

            try
            {
                await api.PatchAsync<PartialObjectMetadata>(type, key, ops.ToJsonString(), JsonPatch, null, null, cancellationToken);
                return true;
            }
            catch (KubeApiException e) when (IsStale(e) && attempt < MaxAttempts)
            {
                log.LogDebug("Finalizers of {Resource} {Key} changed while they were patched; reading them again", type, key);
            }
        }
    }

    /// <summary>A failed resourceVersion test comes back as 409 or, from some servers, as 422.</summary>
    private static bool IsStale(KubeApiException e) => e.IsConflict || e.StatusCode == HttpStatusCode.UnprocessableEntity;

    private static JsonObject Op(string op, string path, JsonNode? value)
    {
        var node = new JsonObject { ["op"] = op, ["path"] = path };
        if (op != "remove")
        {
            node["value"] = value;
        }

        return node;
    }
}
