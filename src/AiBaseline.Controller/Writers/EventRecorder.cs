using System.Text.Json.Nodes;
using AiBaseline.Controller.Api;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AiBaseline.Controller.Writers;

/// <summary>Who reports events and how long repeats fold into one event.</summary>
/// <param name="ReportingController">Qualified controller name, for example <c>aibaseline.io/operator</c>.</param>
/// <param name="ReportingInstance">Unique per replica, usually the pod name.</param>
public sealed record EventRecorderOptions(string ReportingController, string ReportingInstance)
{
    /// <summary>The same event again within this window bumps the series count of the first instead of creating another.</summary>
    public TimeSpan DeduplicationWindow { get; init; } = TimeSpan.FromMinutes(10);
}

/// <summary>The <c>type</c> of an event.</summary>
public enum EventType
{
    Normal,
    Warning,
}

/// <summary>
/// Records <c>events.k8s.io/v1</c> events. A repeat (same object, type, reason, action and note) within the window
/// patches the series count of the existing event. Throttling and server errors are retried a few times within about
/// a second, as an event says what changed and a user reading <c>kubectl describe</c> should not miss it; after that
/// events are best effort: failures are logged, never thrown, since everything an event says is also in status.
/// </summary>
public sealed class EventRecorder(KubeApiClient api, EventRecorderOptions options, ILogger<EventRecorder>? logger = null, TimeProvider? time = null)
    : IDisposable
{
    /// <summary>Where events live in the API.</summary>
    public static readonly ResourceType Events = new("events.k8s.io", "v1", "events", Namespaced: true);

    private const int MaxNoteLength = 1024;
    private const int Attempts = 5;
    private readonly ILogger log = logger ?? NullLogger<EventRecorder>.Instance;
    private readonly TimeProvider clock = time ?? TimeProvider.System;
    private readonly SemaphoreSlim gate = new(1, 1);
    private readonly Dictionary<string, Recorded> recent = [];

    /// <summary>Records that <paramref name="action"/> happened to <paramref name="regarding"/> for <paramref name="reason"/>.</summary>
    public async Task RecordAsync(
        V1ObjectReference regarding, EventType type, string reason, string action, string note, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(regarding);
        note = note.Length > MaxNoteLength ? note[..MaxNoteLength] : note;
        var ns = string.IsNullOrEmpty(regarding.NamespaceProperty) ? "default" : regarding.NamespaceProperty;
        var identity = string.Join('\u001f', regarding.Uid ?? string.Empty, regarding.Kind, ns, regarding.Name, type, reason, action, note);
        var now = clock.GetUtcNow();
        await gate.WaitAsync(cancellationToken);
        try
        {
            foreach (var stale in recent.Where(pair => now - pair.Value.FirstSeen > options.DeduplicationWindow).Select(pair => pair.Key).ToList())
            {
                recent.Remove(stale);
            }

            if (recent.TryGetValue(identity, out var seen) && await RetryingAsync(() => TryBumpAsync(seen, now, cancellationToken), cancellationToken))
            {
                return;
            }

            var name = await RetryingAsync(() => CreateAsync(regarding, ns, type, reason, action, note, now, cancellationToken), cancellationToken);
            if (name is not null)
            {
                recent[identity] = new Recorded(name, ns, 1, now);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            log.LogWarning(e, "Could not record event {Reason} on {Kind} {Namespace}/{Name}", reason, regarding.Kind, ns, regarding.Name);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <inheritdoc/>
    public void Dispose() => gate.Dispose();

    private async Task<T> RetryingAsync<T>(Func<Task<T>> call, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await call();
            }
            catch (KubeApiException e) when (e.IsTransient && attempt < Attempts)
            {
                var delay = TimeSpan.FromMilliseconds((50 << attempt) * (0.5 + Random.Shared.NextDouble()));
                await Task.Delay(delay, clock, cancellationToken);
            }
        }
    }

    private async Task<bool> TryBumpAsync(Recorded seen, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var patch = new JsonObject
        {
            ["series"] = new JsonObject
            {
                ["count"] = seen.Count + 1,
                ["lastObservedTime"] = now.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ"),
            },
        };
        try
        {
            await api.PatchAsync<JsonNode>(Events, new ObjectKey(seen.Namespace, seen.Name), patch.ToJsonString(), "application/merge-patch+json", null, null, cancellationToken);
            seen.Count++;
            return true;
        }
        catch (KubeApiException e) when (e.IsNotFound)
        {
            // The event was garbage-collected: start a new one.
            return false;
        }
    }

    private async Task<string?> CreateAsync(
        V1ObjectReference regarding, string ns, EventType type, string reason, string action, string note, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var name = $"{regarding.Name}.{now.UtcTicks:x}";
        try
        {
            return (await api.CreateAsync<Eventsv1Event>(Events, ns, NewEvent(regarding, name, ns, type, reason, action, note, now), cancellationToken)).Metadata?.Name;
        }
        catch (KubeApiException e) when (e.StatusCode == System.Net.HttpStatusCode.Conflict)
        {
            // An earlier attempt did create it before its answer was lost.
            return name;
        }
    }

    private Eventsv1Event NewEvent(V1ObjectReference regarding, string name, string ns, EventType type, string reason, string action, string note, DateTimeOffset now) =>
        new()
        {
            ApiVersion = "events.k8s.io/v1",
            Kind = "Event",
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
            EventTime = now.UtcDateTime,
            ReportingController = options.ReportingController,
            ReportingInstance = options.ReportingInstance,
            Regarding = regarding,
            Type = type.ToString(),
            Reason = reason,
            Action = action,
            Note = note,
        };

    private sealed class Recorded(string name, string ns, int count, DateTimeOffset firstSeen)
    {
        public string Name { get; } = name;

        public string Namespace { get; } = ns;

        public int Count { get; set; } = count;

        public DateTimeOffset FirstSeen { get; } = firstSeen;
    }
}
