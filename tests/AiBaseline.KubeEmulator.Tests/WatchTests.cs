using k8s;
using k8s.Models;

namespace AiBaseline.KubeEmulator.Tests;

public sealed class WatchTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private delegate IAsyncEnumerable<(WatchEventType, V1ConfigMap)> WatchCall(Action<Exception> onError, CancellationToken cancel);

    private static WatchCall Watch(IKubernetes client, string? resourceVersion = null, int? timeoutSeconds = null, string? labelSelector = null, bool bookmarks = false) =>
        (onError, cancel) => client.CoreV1.WatchListNamespacedConfigMapAsync("default", allowWatchBookmarks: bookmarks, labelSelector: labelSelector,
            resourceVersion: resourceVersion, timeoutSeconds: timeoutSeconds, onError: onError, cancellationToken: cancel);

    /// <summary>Reads events until <paramref name="count"/> arrived, the stream ends, or patience runs out.</summary>
    private static async Task<List<(WatchEventType Type, V1ConfigMap Object)>> Collect(WatchCall watch, int count, List<Exception>? errors = null)
    {
        using var cancel = new CancellationTokenSource(Patience);
        var events = new List<(WatchEventType, V1ConfigMap)>();
        try
        {
            await foreach (var item in watch(e => errors?.Add(e), cancel.Token))
            {
                events.Add(item);
                if (events.Count == count)
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Patience ran out: the caller asserts on what arrived.
        }

        return events;
    }

    [Fact]
    public async Task A_watch_from_a_resourceVersion_replays_every_later_change_in_order()
    {
        await using var api = await TestCluster.StartAsync();
        var client = api.CreateClient();
        var a = await client.CoreV1.CreateNamespacedConfigMapAsync(TestCluster.ConfigMap("a"), "default");
        await client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("""{"data":{"key":"2"}}""", V1Patch.PatchType.MergePatch), "a", "default");
        await client.CoreV1.CreateNamespacedConfigMapAsync(TestCluster.ConfigMap("b"), "default");
        await client.CoreV1.DeleteNamespacedConfigMapAsync("a", "default");

        var events = await Collect(Watch(client, a.Metadata.ResourceVersion), 3);

        Assert.Equal(
            [(WatchEventType.Modified, "a", "2"), (WatchEventType.Added, "b", "v"), (WatchEventType.Deleted, "a", "2")],
            events.Select(e => (e.Type, e.Object.Metadata.Name, e.Object.Data["key"])));
        Assert.True(long.Parse(events[2].Object.Metadata.ResourceVersion) > long.Parse(events[1].Object.Metadata.ResourceVersion));
    }

    [Fact]
    public async Task A_watch_without_a_resourceVersion_lists_existing_objects_as_ADDED_then_streams_changes()
    {
        await using var api = await TestCluster.StartAsync();
        var client = api.CreateClient();
        api.Create(TestCluster.ConfigMap("existing"));

        var collecting = Collect(Watch(client), 2);
        while (api.OpenWatches == 0)
        {
            await Task.Delay(20);
        }

        await client.CoreV1.CreateNamespacedConfigMapAsync(TestCluster.ConfigMap("new"), "default");

        Assert.Equal([(WatchEventType.Added, "existing"), (WatchEventType.Added, "new")], (await collecting).Select(e => (e.Type, e.Object.Metadata.Name)));
    }

    [Fact]
    public async Task A_watch_from_a_compacted_resourceVersion_gets_an_ERROR_event_with_410_Gone()
    {
        await using var api = await TestCluster.StartAsync();
        var client = api.CreateClient();
        var old = await client.CoreV1.CreateNamespacedConfigMapAsync(TestCluster.ConfigMap("a"), "default");
        api.Compact();
        var errors = new List<Exception>();

        var events = await Collect(Watch(client, old.Metadata.ResourceVersion), 1, errors);

        Assert.Empty(events);
        var gone = Assert.IsType<KubernetesException>(Assert.Single(errors));
        Assert.Equal((410, "Expired"), (gone.Status.Code!.Value, gone.Status.Reason));
    }

    [Fact]
    public async Task A_bounded_history_compacts_itself_and_a_list_with_Exact_match_on_an_old_version_is_410()
    {
        await using var api = await TestCluster.StartAsync(new KubeEmulatorOptions { EventHistoryCapacity = 2 });
        var client = api.CreateClient();
        var first = await client.CoreV1.CreateNamespacedConfigMapAsync(TestCluster.ConfigMap("a"), "default");
        for (var i = 0; i < 3; i++)
        {
            await client.CoreV1.CreateNamespacedConfigMapAsync(TestCluster.ConfigMap($"n{i}"), "default");
        }

        var errors = new List<Exception>();
        await Collect(Watch(client, first.Metadata.ResourceVersion), 1, errors);
        var exact = await TestCluster.StatusCodeOf(() => client.CoreV1.ListNamespacedConfigMapAsync("default", resourceVersion: first.Metadata.ResourceVersion, resourceVersionMatch: "Exact"));

        Assert.Equal(410, Assert.IsType<KubernetesException>(Assert.Single(errors)).Status.Code);
        Assert.Equal(410, exact);
    }

    [Fact]
    public async Task Bookmarks_carry_the_current_resourceVersion_when_asked_for()
    {
        await using var api = await TestCluster.StartAsync(new KubeEmulatorOptions { BookmarkInterval = TimeSpan.FromMilliseconds(100) });
        var client = api.CreateClient();
        var created = await client.CoreV1.CreateNamespacedConfigMapAsync(TestCluster.ConfigMap("a"), "default");

        var events = await Collect(Watch(client, created.Metadata.ResourceVersion, bookmarks: true), 1);

        var bookmark = Assert.Single(events);
        Assert.Equal(WatchEventType.Bookmark, bookmark.Type);
        Assert.Equal(api.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture), bookmark.Object.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task TimeoutSeconds_ends_the_stream_after_the_events_it_carried()
    {
        await using var api = await TestCluster.StartAsync();
        var client = api.CreateClient();
        var before = api.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await client.CoreV1.CreateNamespacedConfigMapAsync(TestCluster.ConfigMap("a"), "default");

        var events = await Collect(Watch(client, before, timeoutSeconds: 1), 5);

        Assert.Equal([(WatchEventType.Added, "a")], events.Select(e => (e.Type, e.Object.Metadata.Name)));
        Assert.Equal(0, api.OpenWatches);
    }

    [Fact]
    public async Task An_idle_watch_with_timeoutSeconds_answers_200_with_an_empty_chunked_body()
    {
        await using var api = await TestCluster.StartAsync();
        using var http = new HttpClient();

        using var response = await http.GetAsync(new Uri($"{api.Url}/api/v1/namespaces/default/configmaps?watch=1&resourceVersion={api.ResourceVersion}&timeoutSeconds=1"), HttpCompletionOption.ResponseHeadersRead);
        var body = await response.Content.ReadAsStringAsync().WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal((System.Net.HttpStatusCode.OK, true, ""), (response.StatusCode, response.Headers.TransferEncodingChunked == true, body));
    }

    [Fact]
    public async Task A_selector_watch_sees_an_object_arrive_and_leave_as_its_labels_change()
    {
        await using var api = await TestCluster.StartAsync();
        var client = api.CreateClient();
        var start = await client.CoreV1.CreateNamespacedConfigMapAsync(TestCluster.ConfigMap("a"), "default");
        await client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("""{"metadata":{"labels":{"watched":"yes"}}}""", V1Patch.PatchType.MergePatch), "a", "default");
        await client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("""{"data":{"key":"2"}}""", V1Patch.PatchType.MergePatch), "a", "default");
        await client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("""{"metadata":{"labels":{"watched":null}}}""", V1Patch.PatchType.MergePatch), "a", "default");

        var events = await Collect(Watch(client, start.Metadata.ResourceVersion, labelSelector: "watched=yes"), 3);

        Assert.Equal([WatchEventType.Added, WatchEventType.Modified, WatchEventType.Deleted], events.Select(e => e.Type));
    }

    [Fact]
    public async Task Custom_resources_are_watchable_through_the_generic_client()
    {
        await using var api = await TestCluster.StartAsync();
        var client = api.CreateClient();
        using var widgets = TestCluster.Widgets(client);
        await widgets.CreateNamespacedAsync(TestCluster.NewWidget("w"), "default");
        using var cancel = new CancellationTokenSource(Patience);

        var seen = new List<(WatchEventType, string)>();
        await foreach (var (type, widget) in widgets.WatchNamespacedAsync<Widget>("default", cancel: cancel.Token))
        {
            seen.Add((type, widget.Metadata.Name));
            break;
        }

        Assert.Equal([(WatchEventType.Added, "w")], seen);
    }
}
