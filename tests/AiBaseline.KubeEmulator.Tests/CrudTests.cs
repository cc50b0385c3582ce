using System.Text.Json;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace AiBaseline.KubeEmulator.Tests;

public sealed class CrudTests
{
    [Fact]
    public async Task Built_in_kinds_go_through_create_get_list_update_and_delete()
    {
        await using var api = await TestCluster.StartAsync();
        var client = api.CreateClient();

        var created = await client.CoreV1.CreateNamespacedConfigMapAsync(TestCluster.ConfigMap("settings"), "default");
        created.Data["key"] = "changed";
        var updated = await client.CoreV1.ReplaceNamespacedConfigMapAsync(created, "settings", "default");
        var listed = await client.CoreV1.ListNamespacedConfigMapAsync("default");
        await client.CoreV1.DeleteNamespacedConfigMapAsync("settings", "default");

        Assert.Equal("changed", (await Task.FromResult(updated)).Data["key"]);
        Assert.True(long.Parse(updated.Metadata.ResourceVersion) > long.Parse(created.Metadata.ResourceVersion));
        Assert.Equal(["settings"], listed.Items.Select(i => i.Metadata.Name));
        Assert.Equal(404, await TestCluster.StatusCodeOf(() => client.CoreV1.ReadNamespacedConfigMapAsync("settings", "default")));
    }

    [Fact]
    public async Task Create_of_an_existing_object_is_409_AlreadyExists_and_a_missing_one_is_404_NotFound_with_a_Status_body()
    {
        await using var api = await TestCluster.StartAsync();
        var client = api.CreateClient();
        await client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new() { Name = "token" } }, "default");

        var exists = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new() { Name = "token" } }, "default"));
        var missing = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.ReadNamespacedSecretAsync("nope", "default"));

        var existsStatus = KubernetesJson.Deserialize<V1Status>(exists.Response.Content);
        var missingStatus = KubernetesJson.Deserialize<V1Status>(missing.Response.Content);
        Assert.Equal((409, "AlreadyExists", "secrets \"token\" already exists"), (existsStatus.Code!.Value, existsStatus.Reason, existsStatus.Message));
        Assert.Equal((404, "NotFound", "secrets \"nope\" not found"), (missingStatus.Code!.Value, missingStatus.Reason, missingStatus.Message));
    }

    [Fact]
    public async Task Creating_in_a_missing_namespace_is_404_naming_the_namespace()
    {
        await using var api = await TestCluster.StartAsync();

        var error = await Assert.ThrowsAsync<HttpOperationException>(() => api.CreateClient().CoreV1.CreateNamespacedConfigMapAsync(TestCluster.ConfigMap("a", "ghost"), "ghost"));

        Assert.Equal("namespaces \"ghost\" not found", KubernetesJson.Deserialize<V1Status>(error.Response.Content).Message);
    }

    [Fact]
    public async Task GenerateName_gets_a_unique_suffix_and_201()
    {
        await using var api = await TestCluster.StartAsync();
        var client = api.CreateClient();
        var template = new V1ConfigMap { Metadata = new() { GenerateName = "run-" } };

        var first = await client.CoreV1.CreateNamespacedConfigMapWithHttpMessagesAsync(template, "default");
        var second = await client.CoreV1.CreateNamespacedConfigMapAsync(template, "default");

        Assert.Equal(System.Net.HttpStatusCode.Created, first.Response.StatusCode);
        Assert.StartsWith("run-", first.Body.Metadata.Name, StringComparison.Ordinal);
        Assert.Equal(9, first.Body.Metadata.Name.Length);
        Assert.NotEqual(first.Body.Metadata.Name, second.Metadata.Name);
    }

    [Fact]
    public async Task Update_with_a_stale_resourceVersion_is_409_Conflict()
    {
        await using var api = await TestCluster.StartAsync();
        var client = api.CreateClient();
        var stale = await client.CoreV1.CreateNamespacedConfigMapAsync(TestCluster.ConfigMap("c"), "default");
        var fresh = await client.CoreV1.ReadNamespacedConfigMapAsync("c", "default");
        fresh.Data["key"] = "first writer";
        await client.CoreV1.ReplaceNamespacedConfigMapAsync(fresh, "c", "default");
        stale.Data["key"] = "second writer";

        var error = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.ReplaceNamespacedConfigMapAsync(stale, "c", "default"));
        var stalePatch = new V1Patch(new { metadata = new { resourceVersion = stale.Metadata.ResourceVersion }, data = new { key = "x" } }, V1Patch.PatchType.MergePatch);

        var status = KubernetesJson.Deserialize<V1Status>(error.Response.Content);
        Assert.Equal((409, "Conflict"), (status.Code!.Value, status.Reason));
        Assert.Contains("the object has been modified", status.Message, StringComparison.Ordinal);
        Assert.Equal(409, await TestCluster.StatusCodeOf(() => client.CoreV1.PatchNamespacedConfigMapAsync(stalePatch, "c", "default")));
        Assert.Equal("first writer", api.Get<V1ConfigMap>("default", "c")!.Data["key"]);
    }

    [Fact]
    public async Task Merge_json_and_strategic_patches_change_only_what_they_name()
    {
        await using var api = await TestCluster.StartAsync();
        var client = api.CreateClient();
        await client.CoreV1.CreateNamespacedConfigMapAsync(TestCluster.ConfigMap("p"), "default");

        await client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("""{"data":{"merged":"1"}}""", V1Patch.PatchType.MergePatch), "p", "default");
        await client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("""[{"op":"add","path":"/data/json","value":"2"},{"op":"remove","path":"/data/key"}]""", V1Patch.PatchType.JsonPatch), "p", "default");
        await client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("""{"metadata":{"labels":{"s":"3"}}}""", V1Patch.PatchType.StrategicMergePatch), "p", "default");
        var failedTest = TestCluster.StatusCodeOf(() => client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("""[{"op":"test","path":"/data/json","value":"other"}]""", V1Patch.PatchType.JsonPatch), "p", "default"));

        var result = api.Get<V1ConfigMap>("default", "p")!;
        Assert.Equal(new Dictionary<string, string> { ["merged"] = "1", ["json"] = "2" }, result.Data);
        Assert.Equal("3", result.Metadata.Labels["s"]);
        Assert.Equal(422, await failedTest);
    }

    [Fact]
    public async Task Server_side_apply_creates_then_merges_and_requires_a_field_manager()
    {
        await using var api = await TestCluster.StartAsync();
        var client = api.CreateClient();
        var apply = new V1Patch("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"applied"},"data":{"a":"1"}}""", V1Patch.PatchType.ApplyPatch);

        await client.CoreV1.PatchNamespacedConfigMapAsync(apply, "applied", "default", fieldManager: "test", force: true);
        var noManager = await TestCluster.StatusCodeOf(() => client.CoreV1.PatchNamespacedConfigMapAsync(apply, "applied", "default"));

        Assert.Equal("1", api.Get<V1ConfigMap>("default", "applied")!.Data["a"]);
        Assert.Equal(422, noManager);
    }

    [Fact]
    public async Task Custom_resources_are_served_namespaced_and_cluster_scoped_after_their_CRD_is_loaded()
    {
        await using var api = await TestCluster.StartAsync();
        var client = api.CreateClient();
        using var widgets = TestCluster.Widgets(client);
        using var gadgets = new GenericClient(client, Widget.Group, Widget.Version, "gadgets", disposeClient: false);

        var created = await widgets.CreateNamespacedAsync(TestCluster.NewWidget("w1"), "default");
        var read = await widgets.ReadNamespacedAsync<Widget>("default", "w1");
        await client.CustomObjects.CreateClusterCustomObjectAsync(
            new { apiVersion = $"{Widget.Group}/{Widget.Version}", kind = "Gadget", metadata = new { name = "g1" }, spec = new { anything = new { goes = true } } },
            Widget.Group, Widget.Version, "gadgets");
        var gadget = await client.CustomObjects.GetClusterCustomObjectAsync(Widget.Group, Widget.Version, "gadgets", "g1");
        await widgets.DeleteNamespacedAsync<Widget>("default", "w1");

        Assert.Equal("Design", read.Spec!.Stage);
        Assert.Equal(created.Metadata.Uid, read.Metadata.Uid);
        Assert.True(((JsonElement)gadget).GetProperty("spec").GetProperty("anything").GetProperty("goes").GetBoolean());
        Assert.Null(api.Get<Widget>("default", "w1"));
    }

    [Fact]
    public async Task A_CRD_created_through_the_API_starts_serving_its_kind_and_shows_in_discovery()
    {
        await using var api = await KubeEmulator.StartAsync();
        var client = api.CreateClient();
        var crd = new V1CustomResourceDefinition
        {
            Metadata = new() { Name = "things.other.example" },
            Spec = new()
            {
                Group = "other.example",
                Scope = "Namespaced",
                Names = new() { Plural = "things", Kind = "Thing" },
                Versions = [new() { Name = "v1", Served = true, Storage = true, Schema = new() { OpenAPIV3Schema = new() { Type = "object", XKubernetesPreserveUnknownFields = true } } }],
            },
        };

        var before = await TestCluster.StatusCodeOf(() => client.CustomObjects.ListNamespacedCustomObjectAsync("other.example", "v1", "default", "things"));
        await client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(crd);
        var resources = await client.CustomObjects.ListNamespacedCustomObjectAsync("other.example", "v1", "default", "things");
        var groups = await client.Apis.GetAPIVersionsAsync();

        Assert.Equal(404, before);
        Assert.Equal(0, ((JsonElement)resources).GetProperty("items").GetArrayLength());
        Assert.Contains(groups.Groups, g => g.Name == "other.example");
    }

    [Fact]
    public async Task Discovery_lists_the_built_in_kinds_operators_use()
    {
        await using var api = await TestCluster.StartAsync();
        var client = api.CreateClient();

        var core = await client.CoreV1.GetAPIResourcesAsync();
        var apps = await client.AppsV1.GetAPIResourcesAsync();
        var leases = await client.CoordinationV1.GetAPIResourcesAsync();
        using var http = new HttpClient();
        var widgets = JsonDocument.Parse(await http.GetStringAsync(new Uri($"{api.Url}/apis/{Widget.Group}/{Widget.Version}")));
        var groups = await client.Apis.GetAPIVersionsAsync();

        Assert.Subset(core.Resources.Select(r => r.Name).ToHashSet(), new HashSet<string> { "namespaces", "pods", "secrets", "configmaps", "services", "serviceaccounts", "persistentvolumeclaims", "events" });
        Assert.Contains(apps.Resources, r => r.Name == "deployments/status");
        Assert.Contains(leases.Resources, r => r is { Name: "leases", Namespaced: true, Kind: "Lease" });
        Assert.Equal(["gadgets", "widgets", "widgets/status"], widgets.RootElement.GetProperty("resources").EnumerateArray().Select(r => r.GetProperty("name").GetString()).Order(StringComparer.Ordinal));
        Assert.Subset(groups.Groups.Select(g => g.Name).ToHashSet(), new HashSet<string> { "apps", "networking.k8s.io", "rbac.authorization.k8s.io", "coordination.k8s.io", "events.k8s.io", "apiextensions.k8s.io", Widget.Group });
    }

    [Fact]
    public async Task CreateFromYaml_creates_every_document_and_refuses_text_that_is_not_a_manifest()
    {
        await using var api = await TestCluster.StartAsync();

        var created = api.CreateFromYaml("""
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: a, namespace: default}
            ---
            apiVersion: v1
            kind: Secret
            metadata: {name: b, namespace: default}
            """);
        var refused = Assert.Throws<InvalidDataException>(() => api.CreateFromYaml("just: [words"));

        Assert.Equal(2, created);
        Assert.NotNull(api.Get<V1ConfigMap>("default", "a"));
        Assert.NotNull(api.Get<V1Secret>("default", "b"));
        Assert.StartsWith("not a Kubernetes manifest: ", refused.Message, StringComparison.Ordinal);
    }
}
