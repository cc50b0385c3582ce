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
/// Recording is safe from any number of reconciles at once: only the bookkeeping of recent events is locked, never a
/// request, and each is remembered by a 128-bit digest of its identity, so ten thousand first verdicts cost neither
/// a queue nor their notes' memory.
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
    private readonly Lock bookkeeping = new();
    private readonly Dictionary<UInt128, Recorded> recent = [];
    private DateTimeOffset lastSweep = DateTimeOffset.MinValue;

    /// <summary>Records that <paramref name="action"/> happened to <paramref name="regarding"/> for <paramref name="reason"/>.</summary>
    public async Task RecordAsync(
        V1ObjectReference regarding, EventType type, string reason, string action, string note, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(regarding);
        note = note.Length > MaxNoteLength ? note[..MaxNoteLength] : note;
        var ns = string.IsNullOrEmpty(regarding.NamespaceProperty) ? "default" : regarding.NamespaceProperty;
        var identity = Digest(regarding.Uid ?? string.Empty, regarding.Kind, ns, regarding.Name, type.ToString(), reason, action, note);
        var now = clock.GetUtcNow();
        try
        {
            if (Recent(identity, now) is { } seen && await RetryingAsync(() => TryBumpAsync(seen, now, cancellationToken), cancellationToken))
            {
                return;
            }

            var name = await RetryingAsync(() => CreateAsync(regarding, ns, type, reason, action, note, now, cancellationToken), cancellationToken);
            if (name is not null)
            {
                lock (bookkeeping)
                {
                    recent[identity] = new Recorded(name, ns, 1, now);
                }
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
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        lock (bookkeeping)
        {
            recent.Clear();
        }
    }

    /// <summary>The event recorded with this identity within the window, forgetting (at most every tenth of a window) those older.</summary>
    private Recorded? Recent(UInt128 identity, DateTimeOffset now)
    {
        lock (bookkeeping)
        {
            if (now - lastSweep > options.DeduplicationWindow / 10)
            {
                lastSweep = now;
                foreach (var stale in recent.Where(pair => now - pair.Value.FirstSeen > options.DeduplicationWindow).Select(pair => pair.Key).ToList())
                {
                    recent.Remove(stale);
                }
            }

            return recent.TryGetValue(identity, out var seen) && now - seen.FirstSeen <= options.DeduplicationWindow ? seen : null;
        }
    }

    /// <summary>A 128-bit digest of an event's identity: its parts, each length-prefixed so no two identities share one text.</summary>
    private static UInt128 Digest(params ReadOnlySpan<string> parts)
    {
        var text = new System.Text.StringBuilder();
        foreach (var part in parts)
        {
            text.Append(part.Length).Append(':').Append(part);
        }

        Span<byte> hash = stackalloc byte[32];
        System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text.ToString()), hash);
        return System.Buffers.Binary.BinaryPrimitives.ReadUInt128LittleEndian(hash);
    }

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
            seen.Bump();
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

        private int count = count;

        public int Count => Volatile.Read(ref count);

        public DateTimeOffset FirstSeen { get; } = firstSeen;

        public void Bump() => Interlocked.Increment(ref count);
    }
}
