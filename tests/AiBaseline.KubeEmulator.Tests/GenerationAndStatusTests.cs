using k8s;
using k8s.Models;

namespace AiBaseline.KubeEmulator.Tests;

public sealed class GenerationAndStatusTests
{
    private static readonly string G = Widget.Group;
    private static readonly string V = Widget.Version;

    [Fact]
    public async Task Generation_starts_at_1_and_counts_spec_changes_only()
    {
        await using var api = await TestCluster.StartAsync();
        var client = api.CreateClient();
        using var widgets = TestCluster.Widgets(client);
        var created = await widgets.CreateNamespacedAsync(TestCluster.NewWidget("w"), "default");

        var labelled = await widgets.PatchNamespacedAsync<Widget>(new V1Patch("""{"metadata":{"labels":{"a":"b"}}}""", V1Patch.PatchType.MergePatch), "default", "w");
        var statused = await client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(new V1Patch("""{"status":{"phase":"Ready"}}""", V1Patch.PatchType.MergePatch), G, V, "default", "widgets", "w");
        var afterStatus = api.Get<Widget>("default", "w")!;
        var respecced = await widgets.PatchNamespacedAsync<Widget>(new V1Patch("""{"spec":{"stage":"Develop"}}""", V1Patch.PatchType.MergePatch), "default", "w");

        Assert.Equal(1, created.Metadata.Generation);
        Assert.Equal(1, labelled.Metadata.Generation);
        Assert.NotNull(statused);
        Assert.Equal((1L, "Ready"), (afterStatus.Metadata.Generation!.Value, afterStatus.Status!.Phase));
        Assert.Equal(2, respecced.Metadata.Generation);
    }

    [Fact]
    public async Task The_status_subresource_isolates_status_from_spec_writes_in_both_directions()
    {
        await using var api = await TestCluster.StartAsync();
        var client = api.CreateClient();
        using var widgets = TestCluster.Widgets(client);
        var submitted = TestCluster.NewWidget("w");
        submitted.Status = new WidgetStatus { Phase = "Sneaky" };
        var created = await widgets.CreateNamespacedAsync(submitted, "default");
        var statusAfterCreate = created.Status;

        created.Spec!.Stage = "Deploy";
        created.Status = new WidgetStatus { Phase = "IgnoredOnMain" };
        var main = await widgets.ReplaceNamespacedAsync(created, "default", "w");
        var statusAfterMainWrite = main.Status;
        main.Spec!.Stage = "Design";
        main.Status = new WidgetStatus { Phase = "Ready", ObservedGeneration = 2 };
        await client.CustomObjects.ReplaceNamespacedCustomObjectStatusAsync(main, G, V, "default", "widgets", "w");

        var stored = api.Get<Widget>("default", "w")!;
        Assert.Null(statusAfterCreate);
        Assert.Null(statusAfterMainWrite);
        Assert.Equal(("Deploy", "Ready", 2L), (stored.Spec!.Stage, stored.Status!.Phase, stored.Metadata.Generation!.Value));
    }

    [Fact]
    public async Task An_update_that_changes_nothing_keeps_the_resourceVersion()
    {
        await using var api = await TestCluster.StartAsync();
        var client = api.CreateClient();
        var created = await client.CoreV1.CreateNamespacedConfigMapAsync(TestCluster.ConfigMap("same"), "default");

        var again = await client.CoreV1.ReplaceNamespacedConfigMapAsync(created, "same", "default");

        Assert.Equal(created.Metadata.ResourceVersion, again.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task Finalizers_hold_a_deleted_object_until_they_are_removed()
    {
        await using var api = await TestCluster.StartAsync();
        var client = api.CreateClient();
        using var widgets = TestCluster.Widgets(client);
        var widget = TestCluster.NewWidget("held");
        widget.Metadata.Finalizers = ["example.aibaseline.io/cleanup"];
        await widgets.CreateNamespacedAsync(widget, "default");

        await widgets.DeleteNamespacedAsync<Widget>("default", "held");
        var terminating = await widgets.ReadNamespacedAsync<Widget>("default", "held");
        var addFinalizer = TestCluster.StatusCodeOf(() => widgets.PatchNamespacedAsync<Widget>(
            new V1Patch("""{"metadata":{"finalizers":["example.aibaseline.io/cleanup","late"]}}""", V1Patch.PatchType.MergePatch), "default", "held"));
        Assert.Equal(422, await addFinalizer);
        await widgets.PatchNamespacedAsync<Widget>(new V1Patch("""{"metadata":{"finalizers":null}}""", V1Patch.PatchType.MergePatch), "default", "held");

        Assert.NotNull(terminating.Metadata.DeletionTimestamp);
        Assert.Null(api.Get<Widget>("default", "held"));
    }

    [Fact]
    public async Task Deleting_a_namespace_deletes_its_objects_and_then_the_namespace()
    {
        await using var api = await TestCluster.StartAsync();
        var client = api.CreateClient();
        await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new() { Name = "team" } });
        await client.CoreV1.CreateNamespacedConfigMapAsync(TestCluster.ConfigMap("a", "team"), "team");
        await client.CoreV1.CreateNamespacedConfigMapAsync(TestCluster.ConfigMap("b", "default"), "default");

        await client.CoreV1.DeleteNamespaceAsync("team");

        Assert.Null(api.Get<V1Namespace>(null, "team"));
        Assert.Null(api.Get<V1ConfigMap>("team", "a"));
        Assert.NotNull(api.Get<V1ConfigMap>("default", "b"));
    }

    [Fact]
    public async Task A_namespace_with_a_finalized_object_stays_Terminating_and_refuses_new_content()
    {
        await using var api = await TestCluster.StartAsync();
        var client = api.CreateClient();
        await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new() { Name = "team" } });
        var held = TestCluster.ConfigMap("held", "team");
        held.Metadata.Finalizers = ["keep"];
        await client.CoreV1.CreateNamespacedConfigMapAsync(held, "team");

        await client.CoreV1.DeleteNamespaceAsync("team");
        var refused = await TestCluster.StatusCodeOf(() => client.CoreV1.CreateNamespacedConfigMapAsync(TestCluster.ConfigMap("new", "team"), "team"));
        var phase = api.Get<V1Namespace>(null, "team")!.Status.Phase;
        await client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("""{"metadata":{"finalizers":[]}}""", V1Patch.PatchType.MergePatch), "held", "team");

        Assert.Equal((403, "Terminating"), (refused, phase));
        Assert.Null(api.Get<V1Namespace>(null, "team"));
    }
}
