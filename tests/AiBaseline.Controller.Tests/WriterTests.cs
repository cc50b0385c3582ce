using AiBaseline.Controller.Writers;
using k8s.Models;

namespace AiBaseline.Controller.Tests;

public sealed class WriterTests
{
    private static readonly ObjectKey Key = new("default", "w1");

    [Fact]
    public async Task Status_is_written_once_and_an_unchanged_status_sends_nothing()
    {
        await using var env = await Emulated.StartAsync();
        Widget.Install(env.Server);
        env.Server.Create(Widget.New("default", "w1", 7));
        var writer = new StatusWriter(env.Api);

        var first = await writer.UpdateAsync<Widget>(Widget.Type, Key, w => new WidgetStatus { ObservedValue = w.Spec.Value }, TestContext.Current.CancellationToken);
        var second = await writer.UpdateAsync<Widget>(Widget.Type, Key, w => new WidgetStatus { ObservedValue = w.Spec.Value }, TestContext.Current.CancellationToken);

        Assert.Equal((StatusWriteOutcome.Written, StatusWriteOutcome.Unchanged), (first, second));
        Assert.Equal(7, env.Server.Get<Widget>("default", "w1")!.Status!.ObservedValue);
        Assert.Equal(1, env.Server.Requests.Count("patch", "widgets.test.example/status"));
    }

    [Fact]
    public async Task A_first_status_is_written_from_the_watched_copy_without_reading_the_object_again()
    {
        await using var env = await Emulated.StartAsync();
        Widget.Install(env.Server);
        env.Server.Create(Widget.New("default", "w1", 7));
        var watched = env.Server.Get<Widget>("default", "w1")!;
        var writer = new StatusWriter(env.Api);

        var outcome = await writer.UpdateAsync<Widget>(Widget.Type, Key, w => new WidgetStatus { ObservedValue = w.Spec.Value }, TestContext.Current.CancellationToken, withoutStatus: watched);

        Assert.Equal(StatusWriteOutcome.Written, outcome);
        Assert.Equal(7, env.Server.Get<Widget>("default", "w1")!.Status!.ObservedValue);
        Assert.Equal((0, 1), (env.Server.Requests.Count("get", "widgets.test.example"), env.Server.Requests.Count("patch", "widgets.test.example/status")));
    }

    [Fact]
    public async Task A_watched_copy_that_is_out_of_date_is_not_trusted_the_newest_object_is_judged()
    {
        await using var env = await Emulated.StartAsync();
        Widget.Install(env.Server);
        env.Server.Create(Widget.New("default", "w1", 7));
        var watched = env.Server.Get<Widget>("default", "w1")!;
        var writer = new StatusWriter(env.Api);

        // Since the watch delivered its copy, the spec changed and another writer set a status.
        await env.Api.PatchAsync<System.Text.Json.Nodes.JsonNode>(Widget.Type, Key, """{"spec":{"value":9}}""", "application/merge-patch+json", null, null, TestContext.Current.CancellationToken);
        Assert.Equal(StatusWriteOutcome.Written, await writer.UpdateAsync<Widget>(Widget.Type, Key, _ => new WidgetStatus { ObservedValue = 1 }, TestContext.Current.CancellationToken));

        var outcome = await writer.UpdateAsync<Widget>(Widget.Type, Key, w => new WidgetStatus { ObservedValue = w.Spec.Value }, TestContext.Current.CancellationToken, withoutStatus: watched);

        Assert.Equal(StatusWriteOutcome.Written, outcome);
        Assert.Equal(9, env.Server.Get<Widget>("default", "w1")!.Status!.ObservedValue);

        // Deleted since the watch delivered it.
        env.Server.Create(Widget.New("default", "gone", 1));
        var deleted = env.Server.Get<Widget>("default", "gone")!;
        Assert.True(env.Server.Delete(Widget.Type.ApiVersion, "Widget", "default", "gone"));
        Assert.Equal(StatusWriteOutcome.NotFound, await writer.UpdateAsync<Widget>(Widget.Type, new ObjectKey("default", "gone"), _ => new WidgetStatus(), TestContext.Current.CancellationToken, withoutStatus: deleted));
    }

    [Fact]
    public async Task Conflicts_are_retried_by_reading_again_and_never_reach_the_caller()
    {
        await using var env = await Emulated.StartAsync();
        Widget.Install(env.Server);
        env.Server.Create(Widget.New("default", "w1", 1));
        env.Server.Faults.UseSeed(7);
        env.Server.Faults.ConflictRate = 0.6;
        var writer = new StatusWriter(env.Api) { MaxAttempts = 30 };
        var finalizers = new FinalizerWriter(env.Api) { MaxAttempts = 30 };

        for (var value = 1; value <= 5; value++)
        {
            var expected = value;
            Assert.NotEqual(
                StatusWriteOutcome.NotFound,
                await writer.UpdateAsync<Widget>(Widget.Type, Key, _ => new WidgetStatus { ObservedValue = expected }, TestContext.Current.CancellationToken));
        }

        Assert.True(await finalizers.AddAsync(Widget.Type, Key, "test.example/cleanup", TestContext.Current.CancellationToken));
        Assert.False(await finalizers.AddAsync(Widget.Type, Key, "test.example/cleanup", TestContext.Current.CancellationToken));
        Assert.True(env.Server.Faults.InjectedConflicts > 0);
        Assert.Equal(5, env.Server.Get<Widget>("default", "w1")!.Status!.ObservedValue);
        Assert.Equal(["test.example/cleanup"], env.Server.Get<Widget>("default", "w1")!.Metadata.Finalizers);
    }

    [Fact]
    public async Task Finalizers_are_added_beside_others_and_removed_without_touching_them()
    {
        await using var env = await Emulated.StartAsync();
        Widget.Install(env.Server);
        var widget = Widget.New("default", "w1", 1);
        widget.Metadata.Finalizers = ["other.example/keep"];
        env.Server.Create(widget);
        var finalizers = new FinalizerWriter(env.Api);

        Assert.True(await finalizers.AddAsync(Widget.Type, Key, "test.example/cleanup", TestContext.Current.CancellationToken));
        Assert.Equal(["other.example/keep", "test.example/cleanup"], env.Server.Get<Widget>("default", "w1")!.Metadata.Finalizers);

        Assert.True(await finalizers.RemoveAsync(Widget.Type, Key, "test.example/cleanup", TestContext.Current.CancellationToken));
        Assert.False(await finalizers.RemoveAsync(Widget.Type, Key, "test.example/cleanup", TestContext.Current.CancellationToken));
        Assert.Equal(["other.example/keep"], env.Server.Get<Widget>("default", "w1")!.Metadata.Finalizers);
        Assert.False(await finalizers.RemoveAsync(Widget.Type, new ObjectKey("default", "gone"), "test.example/cleanup", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_repeated_event_bumps_the_series_count_instead_of_creating_another()
    {
        await using var env = await Emulated.StartAsync();
        using var recorder = new EventRecorder(env.Api, new EventRecorderOptions("test.example/controller", "pod-0"), new TestLog<EventRecorder>());
        var regarding = new V1ObjectReference { ApiVersion = "test.example/v1", Kind = "Widget", NamespaceProperty = "default", Name = "w1", Uid = "u1" };

        for (var i = 0; i < 3; i++)
        {
            await recorder.RecordAsync(regarding, EventType.Warning, "PolicyMissing", "Evaluated", "no NetworkPolicy selects the pods", TestContext.Current.CancellationToken);
        }

        await recorder.RecordAsync(regarding, EventType.Normal, "PolicyFound", "Evaluated", "a NetworkPolicy selects the pods", TestContext.Current.CancellationToken);

        var events = env.Server.List("events.k8s.io/v1", "Event", "default");
        Assert.Equal(2, events.Count);
        var repeated = events.Single(e => e["reason"]!.GetValue<string>() == "PolicyMissing");
        Assert.Equal(3, repeated["series"]!["count"]!.GetValue<int>());
        Assert.Equal("Warning", repeated["type"]!.GetValue<string>());
        Assert.Equal("w1", repeated["regarding"]!["name"]!.GetValue<string>());
        Assert.Equal("test.example/controller", repeated["reportingController"]!.GetValue<string>());
    }

    [Fact]
    public async Task Throttled_or_failed_event_writes_are_retried_so_the_event_still_appears_once()
    {
        await using var env = await Emulated.StartAsync();
        using var recorder = new EventRecorder(env.Api, new EventRecorderOptions("test.example/controller", "pod-0"), new TestLog<EventRecorder>());
        var regarding = new V1ObjectReference { ApiVersion = "test.example/v1", Kind = "Widget", NamespaceProperty = "default", Name = "w1", Uid = "u1" };
        env.Server.Faults.UseSeed(5);
        env.Server.Faults.ErrorRate = 0.25;

        for (var i = 0; i < 20; i++)
        {
            await recorder.RecordAsync(regarding with { Name = $"w{i:00}" }, EventType.Normal, "Compliant", "Evaluated", "all provisions met", TestContext.Current.CancellationToken);
        }

        env.Server.Faults.Reset();
        var events = env.Server.List("events.k8s.io/v1", "Event", "default");
        Assert.Equal([.. Enumerable.Range(0, 20).Select(i => $"w{i:00}")], events.Select(e => e["regarding"]!["name"]!.GetValue<string>()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Events_recorded_by_many_reconciles_at_once_each_appear_once_and_repeats_still_fold()
    {
        await using var env = await Emulated.StartAsync();
        using var recorder = new EventRecorder(env.Api, new EventRecorderOptions("test.example/controller", "pod-0"), new TestLog<EventRecorder>());
        V1ObjectReference Regarding(int i) => new() { ApiVersion = "test.example/v1", Kind = "Widget", NamespaceProperty = "default", Name = $"w{i:000}", Uid = $"u{i}" };

        await Parallel.ForEachAsync(Enumerable.Range(0, 200), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
            await recorder.RecordAsync(Regarding(i), EventType.Warning, "NotCompliant", "Evaluated", "Ready is False", ct));
        await Parallel.ForEachAsync(Enumerable.Range(0, 200), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
            await recorder.RecordAsync(Regarding(i), EventType.Warning, "NotCompliant", "Evaluated", "Ready is False", ct));

        var events = env.Server.List("events.k8s.io/v1", "Event", "default");
        Assert.Equal(200, events.Count);
        Assert.All(events, e => Assert.Equal(2, e["series"]?["count"]?.GetValue<int>()));
    }
}
