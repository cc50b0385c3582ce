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
}
