using System.Text.Json;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace AiBaseline.KubeEmulator.Tests;

public sealed class ValidationTests
{
    private static object Body(string name, object spec) => new { apiVersion = $"{Widget.Group}/{Widget.Version}", kind = "Widget", metadata = new { name }, spec };

    [Theory]
    [InlineData("""{"stage":"Prod"}""", "spec.stage", "Unsupported value: \"Prod\": supported values: \"Design\", \"Develop\", \"Deploy\"", "enum")]
    [InlineData("""{}""", "spec.stage", "Required value", "required")]
    [InlineData("""{"stage":"Design","replicas":0}""", "spec.replicas", "Invalid value: 0: spec.replicas in body should be greater than or equal to 1", "minimum")]
    [InlineData("""{"stage":"Design","replicas":"3"}""", "spec.replicas", "Invalid value: \"string\": spec.replicas in body must be of type integer: \"string\"", "type")]
    [InlineData("""{"stage":"Design","tags":["a","b","c","d"]}""", "spec.tags", "Too many: 4: must have at most 3 items", "maxItems")]
    public async Task Invalid_custom_resources_are_422_with_the_field_path_in_the_causes(string spec, string field, string message, string reason)
    {
        await using var api = await TestCluster.StartAsync();

        var error = await Assert.ThrowsAsync<HttpOperationException>(() => api.CreateClient().CustomObjects.CreateNamespacedCustomObjectAsync(
            Body("bad", JsonDocument.Parse(spec).RootElement), Widget.Group, Widget.Version, "default", "widgets"));

        var status = KubernetesJson.Deserialize<V1Status>(error.Response.Content);
        var cause = Assert.Single(status.Details.Causes);
        Assert.True((422, "Invalid", field, message) == (status.Code!.Value, status.Reason, cause.Field, cause.Message), $"{reason}: {error.Response.Content}");
        Assert.Equal($"Widget.{Widget.Group} \"bad\" is invalid: {field}: {message}", status.Message);
    }

    [Fact]
    public async Task Unknown_fields_are_pruned_with_a_warning_by_default_and_rejected_with_their_path_when_strict()
    {
        await using var api = await TestCluster.StartAsync();
        var client = api.CreateClient();
        var spec = new { stage = "Design", colour = "blue" };

        await client.CustomObjects.CreateNamespacedCustomObjectAsync(Body("lenient", spec), Widget.Group, Widget.Version, "default", "widgets");
        var strict = await Assert.ThrowsAsync<HttpOperationException>(() => client.CustomObjects.CreateNamespacedCustomObjectAsync(
            Body("strict", spec), Widget.Group, Widget.Version, "default", "widgets", fieldValidation: "Strict"));

        Assert.DoesNotContain("colour", api.Get($"{Widget.Group}/{Widget.Version}", "Widget", "default", "lenient")!.ToJsonString(), StringComparison.Ordinal);
        var status = KubernetesJson.Deserialize<V1Status>(strict.Response.Content);
        Assert.Equal(400, status.Code);
        Assert.Contains("unknown field \"spec.colour\"", status.Message, StringComparison.Ordinal);
        Assert.Null(api.Get($"{Widget.Group}/{Widget.Version}", "Widget", "default", "strict"));
    }

    [Fact]
    public async Task Status_writes_are_validated_against_the_schema_too()
    {
        await using var api = await TestCluster.StartAsync();
        var client = api.CreateClient();
        await client.CustomObjects.CreateNamespacedCustomObjectAsync(Body("w", new { stage = "Design" }), Widget.Group, Widget.Version, "default", "widgets");

        var code = await TestCluster.StatusCodeOf(() => client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(
            new V1Patch("""{"status":{"observedGeneration":"one"}}""", V1Patch.PatchType.MergePatch), Widget.Group, Widget.Version, "default", "widgets", "w"));

        Assert.Equal(422, code);
    }

    [Fact]
    public async Task A_custom_resource_PUT_without_a_resourceVersion_is_422_while_a_ConfigMap_PUT_is_unconditional()
    {
        await using var api = await TestCluster.StartAsync();
        var client = api.CreateClient();
        using var widgets = TestCluster.Widgets(client);
        await widgets.CreateNamespacedAsync(TestCluster.NewWidget("w"), "default");
        await client.CoreV1.CreateNamespacedConfigMapAsync(TestCluster.ConfigMap("c"), "default");

        var widget = await TestCluster.StatusCodeOf(() => widgets.ReplaceNamespacedAsync(TestCluster.NewWidget("w", "Deploy"), "default", "w"));
        var configMap = await client.CoreV1.ReplaceNamespacedConfigMapAsync(TestCluster.ConfigMap("c", value: "unconditional"), "c", "default");

        Assert.Equal(422, widget);
        Assert.Equal("unconditional", configMap.Data["key"]);
    }
}
