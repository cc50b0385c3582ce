using System.Text.Json;
using k8s;
using k8s.Models;

namespace AiBaseline.Controller.Api;

/// <summary>The kinds of event a watch stream carries.</summary>
public enum WatchEventKind
{
    Added,
    Modified,
    Deleted,
    Bookmark,
    Error,
}

/// <summary>The items of a list and the resourceVersion to watch from.</summary>
public sealed record ListResult<T>(IReadOnlyList<T> Items, string ResourceVersion);

/// <summary>One line of a watch stream: an object, a bookmark (only its resourceVersion matters) or an error status.</summary>
public sealed record WatchEvent<T>(WatchEventKind Kind, T? Object, V1Status? Error, string? ResourceVersion);

/// <summary>Reads the lines of a watch response.</summary>
public static class WatchEventParser
{
    /// <summary>Parses one JSON line of a watch response, leaving out of its object what <paramref name="filter"/> says.</summary>
    public static WatchEvent<T> Parse<T>(string line, DecodeFilter? filter = null)
    {
        using var document = JsonDocument.Parse(line);
        var root = document.RootElement;
        var type = root.GetProperty("type").GetString();
        var element = root.GetProperty("object");
        var kind = type switch
        {
            "ADDED" => WatchEventKind.Added,
            "MODIFIED" => WatchEventKind.Modified,
            "DELETED" => WatchEventKind.Deleted,
            "BOOKMARK" => WatchEventKind.Bookmark,
            "ERROR" => WatchEventKind.Error,
            _ => throw new JsonException($"Unknown watch event type '{type}'."),
        };
        if (kind == WatchEventKind.Error)
        {
            return new WatchEvent<T>(kind, default, KubernetesJson.Deserialize<V1Status>(element), null);
        }

        var resourceVersion = element.TryGetProperty("metadata", out var meta) && meta.TryGetProperty("resourceVersion", out var rv)
            ? rv.GetString()
            : null;
        var obj = kind == WatchEventKind.Bookmark ? default : filter is null ? KubernetesJson.Deserialize<T>(element) : filter.Decode<T>(element);
        return new WatchEvent<T>(kind, obj, null, resourceVersion);
    }
}
