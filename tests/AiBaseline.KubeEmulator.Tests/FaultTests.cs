using System.Diagnostics;
using k8s;
using k8s.Models;

namespace AiBaseline.KubeEmulator.Tests;

public sealed class FaultTests
{
    [Theory]
    [InlineData(500, "InternalError", "a server bug")]
    [InlineData(503, "ServiceUnavailable", "an overloaded or restarting server")]
    [InlineData(429, "TooManyRequests", "API priority and fairness throttling")]
    public async Task ErrorRate_answers_calls_with_the_chosen_status_until_reset(int code, string reason, string why)
    {
        await using var api = await TestCluster.StartAsync();
        var client = api.CreateClient();
        api.Faults.ErrorCodes = [code];
        api.Faults.ErrorRate = 1;

        var error = await Assert.ThrowsAsync<k8s.Autorest.HttpOperationException>(() => client.CoreV1.ListNamespacedConfigMapAsync("default"));
        api.Faults.Reset();
        var after = await client.CoreV1.ListNamespacedConfigMapAsync("default");

        var status = KubernetesJson.Deserialize<V1Status>(error.Response.Content);
        Assert.True((code, reason) == (status.Code!.Value, status.Reason), why);
        Assert.Equal(1, api.Faults.InjectedErrors);
        Assert.NotNull(after);
    }

    [Fact]
    public async Task A_fractional_ErrorRate_fails_about_that_share_of_calls_repeatably_with_a_seed()
    {
        await using var api = await TestCluster.StartAsync();
        var client = api.CreateClient();
        api.Faults.UseSeed(7);
        api.Faults.ErrorRate = 0.5;

        var failures = 0;
        for (var i = 0; i < 40; i++)
        {
            try
            {
                await client.CoreV1.ReadNamespaceAsync("default");
            }
            catch (k8s.Autorest.HttpOperationException)
            {
                failures++;
            }
        }

        Assert.InRange(failures, 8, 32);
        Assert.Equal(failures, api.Faults.InjectedErrors);
    }

    [Fact]
    public async Task Latency_delays_every_answer()
    {
        await using var api = await TestCluster.StartAsync();
        var client = api.CreateClient();
        api.Faults.Latency = TimeSpan.FromMilliseconds(300);

        var clock = Stopwatch.StartNew();
        await client.CoreV1.ReadNamespaceAsync("default");

        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(290), $"answered after {clock.Elapsed.TotalMilliseconds} ms");
    }

    [Fact]
    public async Task ConflictRate_answers_updates_and_patches_409_but_leaves_reads_alone()
    {
        await using var api = await TestCluster.StartAsync();
        var client = api.CreateClient();
        api.Create(TestCluster.ConfigMap("c"));
        api.Faults.ConflictRate = 1;

        var patch = await TestCluster.StatusCodeOf(() => client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("""{"data":{"key":"x"}}""", V1Patch.PatchType.MergePatch), "c", "default"));
        var read = await client.CoreV1.ReadNamespacedConfigMapAsync("c", "default");

        Assert.Equal(409, patch);
        Assert.Equal("v", read.Data["key"]);
        Assert.Equal(1, api.Faults.InjectedConflicts);
    }

    [Fact]
    public async Task A_client_sending_the_spare_header_is_never_faulted_while_others_are()
    {
        await using var api = await TestCluster.StartAsync();
        var faulted = api.CreateClient();
        using var spared = new Kubernetes(api.CreateClientConfiguration());
        spared.HttpClient.DefaultRequestHeaders.Add(EmulatorFaults.SpareHeader, "true");
        api.Create(TestCluster.ConfigMap("c"));
        api.Faults.ErrorRate = 1;
        api.Faults.ConflictRate = 1;

        var list = await spared.CoreV1.ListNamespacedConfigMapAsync("default");
        var patched = await spared.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("""{"data":{"key":"x"}}""", V1Patch.PatchType.MergePatch), "c", "default");
        var other = await TestCluster.StatusCodeOf(() => faulted.CoreV1.ListNamespacedConfigMapAsync("default"));

        Assert.Single(list.Items);
        Assert.Equal("x", patched.Data["key"]);
        Assert.NotEqual(200, other);
        Assert.Equal(1, api.Faults.InjectedErrors);
    }

    [Fact]
    public async Task ForceGoneOnNextWatches_answers_exactly_that_many_watches_with_410()
    {
        await using var api = await TestCluster.StartAsync();
        var client = api.CreateClient();
        api.Create(TestCluster.ConfigMap("a"));
        api.Faults.ForceGoneOnNextWatches(1);
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        var errors = new List<Exception>();
        await foreach (var _ in client.CoreV1.WatchListNamespacedConfigMapAsync("default", onError: errors.Add, cancellationToken: cancel.Token))
        {
            Assert.Fail("a forced 410 watch must carry no events");
        }

        var secondWatchFirstEvent = WatchEventType.Error;
        await foreach (var (type, _) in client.CoreV1.WatchListNamespacedConfigMapAsync("default", cancellationToken: cancel.Token))
        {
            secondWatchFirstEvent = type;
            break;
        }

        Assert.Equal(410, Assert.IsType<KubernetesException>(Assert.Single(errors)).Status.Code);
        Assert.Equal(WatchEventType.Added, secondWatchFirstEvent);
        Assert.Equal(1, api.Faults.InjectedGone);
    }

    [Fact]
    public async Task DropWatchesNow_ends_open_streams()
    {
        await using var api = await TestCluster.StartAsync();
        var client = api.CreateClient();
        api.Create(TestCluster.ConfigMap("a"));
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var streaming = new TaskCompletionSource();
        var ended = Task.Run(async () =>
        {
            await foreach (var _ in client.CoreV1.WatchListNamespacedConfigMapAsync("default", cancellationToken: cancel.Token))
            {
                streaming.TrySetResult();
            }
        });
        await streaming.Task.WaitAsync(TimeSpan.FromSeconds(10));

        api.Faults.DropWatchesNow();

        await ended.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal((0, 1), (api.OpenWatches, api.Faults.WatchDrops));
    }

    [Fact]
    public async Task DropWatchesEvery_keeps_ending_streams_on_a_schedule()
    {
        await using var api = await TestCluster.StartAsync();
        var client = api.CreateClient();
        api.Create(TestCluster.ConfigMap("a"));
        api.Faults.DropWatchesEvery(TimeSpan.FromMilliseconds(300));
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        for (var i = 0; i < 2; i++)
        {
            await foreach (var _ in client.CoreV1.WatchListNamespacedConfigMapAsync("default", cancellationToken: cancel.Token))
            {
            }
        }

        api.Faults.DropWatchesEvery(null);
        Assert.InRange(api.Faults.WatchDrops, 2, 100);
    }

    [Fact]
    public async Task The_request_log_counts_calls_per_verb_and_resource()
    {
        await using var api = await TestCluster.StartAsync();
        var client = api.CreateClient();
        using var widgets = TestCluster.Widgets(client);

        await client.CoreV1.ListNamespacedSecretAsync("default");
        await client.CoreV1.ListNamespacedSecretAsync("default");
        await widgets.CreateNamespacedAsync(TestCluster.NewWidget("w"), "default");
        await client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(new V1Patch("""{"status":{"phase":"Ready"}}""", V1Patch.PatchType.MergePatch), Widget.Group, Widget.Version, "default", "widgets", "w");
        await TestCluster.StatusCodeOf(() => client.CoreV1.ReadNamespacedSecretAsync("missing", "default"));

        Assert.Equal(2, api.Requests.Count("list", "secrets"));
        Assert.Equal(1, api.Requests.Count("create", "widgets.example.aibaseline.io"));
        Assert.Equal(1, api.Requests.Count("patch", "widgets.example.aibaseline.io/status"));
        Assert.Equal(new ApiCall("get", "secrets", "default", "missing", 404), api.Requests.Recent[^1]);
        Assert.Equal(5, api.Requests.Total);
    }
}
