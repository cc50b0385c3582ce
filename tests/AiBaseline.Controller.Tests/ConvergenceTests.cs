using AiBaseline.Controller.Hosting;
using AiBaseline.Controller.Informers;
using AiBaseline.Controller.Queue;
using AiBaseline.Controller.Writers;
using k8s;
using Prometheus;

namespace AiBaseline.Controller.Tests;

public sealed class ConvergenceTests
{
    private const string Finalizer = "test.example/cleanup";

    /// <summary>Keeps status.observedValue equal to spec.value and a finalizer on every widget.</summary>
    private sealed class WidgetReconciler(Informer<Widget> informer, StatusWriter status, FinalizerWriter finalizers) : IReconciler
    {
        public async Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken)
        {
            if (informer.Cache.Get(key) is null)
            {
                return ReconcileResult.Done;
            }

            await finalizers.AddAsync(Widget.Type, key, Finalizer, cancellationToken);
            await status.UpdateAsync<Widget>(Widget.Type, key, w => new WidgetStatus { ObservedValue = w.Spec.Value }, cancellationToken);
            return ReconcileResult.Done;
        }
    }

    [Fact]
    public async Task Reconciles_converge_despite_api_errors_conflicts_and_dropped_watches()
    {
        await using var env = await Emulated.StartAsync();
        Widget.Install(env.Server);
        for (var i = 0; i < 20; i++)
        {
            env.Server.Create(Widget.New("default", $"w{i}", 0));
        }

        var registry = Metrics.NewCustomRegistry();
        var informer = new Informer<Widget>(env.Api, new InformerOptions(Widget.Type) { MinBackoff = TimeSpan.FromMilliseconds(20), MaxBackoff = TimeSpan.FromMilliseconds(200) });
        using var controller = new Hosting.Controller(
            "widgets",
            new WidgetReconciler(informer, new StatusWriter(env.Api), new FinalizerWriter(env.Api)),
            new ControllerOptions
            {
                MaxConcurrentReconciles = 4,
                RateLimits = new RateLimiterOptions { BaseDelay = TimeSpan.FromMilliseconds(10), MaxDelay = TimeSpan.FromMilliseconds(200) },
            },
            new ControllerMetrics(registry));
        informer.AddHandler(controller.Enqueue<Widget>(change => [ObjectKey.Of(change.Object)]));
        var manager = new ControllerManager();
        manager.Add(informer);
        manager.Add(controller);

        env.Server.Faults.UseSeed(11);
        env.Server.Faults.ErrorRate = 0.1;
        env.Server.Faults.ConflictRate = 0.2;
        env.Server.Faults.DropWatchesEvery(TimeSpan.FromMilliseconds(300));
        using var stop = new CancellationTokenSource();
        var run = manager.RunAsync(stop.Token);
        await informer.WaitForSyncAsync(TestContext.Current.CancellationToken);

        for (var i = 0; i < 20; i++)
        {
            await PatchSpecAsync(env, $"w{i}", 100 + i);
        }

        await Emulated.EventuallyAsync(
            () => Enumerable.Range(0, 20).All(i => env.Server.Get<Widget>("default", $"w{i}") is { } w
                && w.Status?.ObservedValue == 100 + i
                && w.Metadata.Finalizers?.Contains(Finalizer) == true),
            "every widget reconciled to its latest spec",
            seconds: 60);

        await stop.CancelAsync();
        await run;
        Assert.True(env.Server.Faults.InjectedErrors > 0, "no API error was injected");
        Assert.True(env.Server.Faults.InjectedConflicts > 0, "no conflict was injected");
        Assert.True(await MetricsReader.ValueAsync(registry, """controller_runtime_reconcile_errors_total{controller="widgets"}""") > 0);
        Assert.True(manager.IsReady is false, "an informer reports ready after it stopped");
    }

    private static async Task PatchSpecAsync(Emulated env, string name, int value)
    {
        // The test's own writes ride out the injected faults too.
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await env.Kubernetes.CustomObjects.PatchNamespacedCustomObjectAsync(
                    new k8s.Models.V1Patch($$$"""{"spec":{"value":{{{value}}}}}""", k8s.Models.V1Patch.PatchType.MergePatch),
                    "test.example", "v1", "default", "widgets", name, cancellationToken: TestContext.Current.CancellationToken);
                return;
            }
            catch (k8s.Autorest.HttpOperationException) when (attempt < 50)
            {
                await Task.Delay(10, TestContext.Current.CancellationToken);
            }
        }
    }
}
