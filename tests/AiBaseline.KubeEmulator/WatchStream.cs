using System.Globalization;
using System.Text.Json;

namespace AiBaseline.KubeEmulator;

/// <summary>What a watch request asked for.</summary>
internal sealed record WatchRequest(
    ResourceType Type,
    string Namespace,
    Selector Selector,
    string? ResourceVersion,
    bool Bookmarks,
    TimeSpan? Timeout,
    bool MetadataOnly,
    TableRequest? Table = null);

/// <summary>
/// Serves one watch as the API server does: HTTP 200 with a chunked body of newline-delimited JSON events, an ERROR
/// event carrying a 410 status when the requested resourceVersion is compacted, optional BOOKMARK events, and a clean
/// end when <c>timeoutSeconds</c> passes or the stream is dropped.
/// </summary>
internal static class WatchStream
{
    public static async Task Serve(HttpContext context, ObjectStore store, EmulatorFaults faults, WatchRequest request, TimeSpan bookmarkInterval)
    {
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        context.Response.Headers.CacheControl = "no-cache, private";
        using var watcher = new Watcher(request.Type, request.Namespace, request.Selector);
        var tables = request.Table is { } table ? new TableWatchRows(request.Type, table) : null;
        IReadOnlyList<WatchItem> initial;
        try
        {
            if (faults.TakeForcedGone())
            {
                var requested = string.IsNullOrEmpty(request.ResourceVersion) ? 0 : ObjectStore.ParseVersion(request.ResourceVersion);
                throw ApiError.Gone(requested, store.ResourceVersion);
            }

            initial = store.Subscribe(watcher, request.Namespace, request.Selector, request.ResourceVersion);
        }
        catch (ApiError gone) when (gone.Code == 410)
        {
            await context.Response.Body.WriteAsync(ResponseWriter.WatchLine("ERROR", JsonSerializer.SerializeToUtf8Bytes(gone.ToStatus())), context.RequestAborted);
            return;
        }

        try
        {
            await context.Response.StartAsync(context.RequestAborted);
            using var timeout = new CancellationTokenSource(request.Timeout ?? Timeout.InfiniteTimeSpan);
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, watcher.Dropped.Token, timeout.Token);
            using var bookmarks = request.Bookmarks
                ? new Timer(_ => store.PostBookmark(watcher), null, bookmarkInterval, bookmarkInterval)
                : null;
            foreach (var item in initial)
            {
                await Write(context, watcher, request, tables, item, stop.Token);
            }

            await context.Response.Body.FlushAsync(stop.Token);
            var reader = watcher.Items.Reader;
            while (await reader.WaitToReadAsync(stop.Token))
            {
                while (reader.TryRead(out var item))
                {
                    await Write(context, watcher, request, tables, item, stop.Token);
                }

                await context.Response.Body.FlushAsync(stop.Token);
            }
        }
        catch (OperationCanceledException)
        {
            // Timeout, a dropped stream or the client going away all end the stream; nothing is owed to the client.
        }
        finally
        {
            store.Unsubscribe(watcher);
        }
    }

    private static async Task Write(HttpContext context, Watcher watcher, WatchRequest request, TableWatchRows? tables, WatchItem item, CancellationToken token)
    {
        byte[] line;
        if (item.Change is null)
        {
            line = ResponseWriter.WatchLine("BOOKMARK", Bookmark(request, item.BookmarkVersion));
        }
        else if (watcher.Filter(item.Change) is var (type, obj))
        {
            line = ResponseWriter.WatchLine(type, tables?.Row(obj) ?? (request.MetadataOnly ? ResponseWriter.MetadataOnly(obj.Json) : obj.Json));
        }
        else
        {
            return;
        }

        await context.Response.Body.WriteAsync(line, token);
    }

    private static byte[] Bookmark(WatchRequest request, long version) => JsonSerializer.SerializeToUtf8Bytes(new
    {
        kind = request.MetadataOnly ? "PartialObjectMetadata" : request.Type.Kind,
        apiVersion = request.MetadataOnly ? "meta.k8s.io/v1" : request.Type.ApiVersion,
        metadata = new { resourceVersion = version.ToString(CultureInfo.InvariantCulture) },
    });
}
