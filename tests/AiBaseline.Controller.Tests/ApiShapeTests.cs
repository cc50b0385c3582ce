using System.Text.Json.Nodes;
using AiBaseline.Controller.Api;
using AiBaseline.Controller.Writers;
using k8s.Models;

namespace AiBaseline.Controller.Tests;

public sealed class ApiShapeTests
{
    [Theory]
    [InlineData("", "v1", "secrets", true, "ns", "/api/v1/namespaces/ns/secrets", "core group lives under /api")]
    [InlineData("apps", "v1", "deployments", true, "ns", "/apis/apps/v1/namespaces/ns/deployments", "named groups live under /apis")]
    [InlineData("apps", "v1", "deployments", true, null, "/apis/apps/v1/deployments", "no namespace lists across all namespaces")]
    [InlineData("aibaseline.io", "v1alpha1", "baselineprofiles", false, null, "/apis/aibaseline.io/v1alpha1/baselineprofiles", "cluster-scoped")]
    public void Collection_paths_follow_the_api_layout(string group, string version, string plural, bool namespaced, string? ns, string expected, string reason)
    {
        _ = reason;
        Assert.Equal(expected, new ResourceType(group, version, plural, namespaced).CollectionPath(ns));
    }

    [Fact]
    public void Object_paths_include_the_subresource_and_reject_a_namespaced_key_without_namespace()
    {
        var type = new ResourceType("aibaseline.io", "v1alpha1", "aimodeldeployments", true);

        Assert.Equal("/apis/aibaseline.io/v1alpha1/namespaces/ml/aimodeldeployments/llm/status", type.ObjectPath(new ObjectKey("ml", "llm"), "status"));
        var error = Assert.Throws<ArgumentException>(() => type.ObjectPath(new ObjectKey(null, "llm")));
        Assert.Contains("llm", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Watch_lines_parse_into_objects_bookmarks_and_errors()
    {
        var added = WatchEventParser.Parse<V1ConfigMap>("""{"type":"ADDED","object":{"kind":"ConfigMap","metadata":{"name":"c","resourceVersion":"7"},"data":{"k":"v"}}}""");
        var bookmark = WatchEventParser.Parse<V1ConfigMap>("""{"type":"BOOKMARK","object":{"kind":"ConfigMap","metadata":{"resourceVersion":"12"}}}""");
        var gone = WatchEventParser.Parse<V1ConfigMap>("""{"type":"ERROR","object":{"kind":"Status","code":410,"reason":"Expired","message":"too old"}}""");

        Assert.Equal((WatchEventKind.Added, "v", "7"), (added.Kind, added.Object!.Data["k"], added.ResourceVersion));
        Assert.Equal((WatchEventKind.Bookmark, "12"), (bookmark.Kind, bookmark.ResourceVersion));
        Assert.Null(bookmark.Object);
        Assert.Equal((WatchEventKind.Error, 410), (gone.Kind, gone.Error!.Code));
    }

    [Fact]
    public void A_metadata_only_object_keeps_no_payload()
    {
        var secret = WatchEventParser.Parse<PartialObjectMetadata>(
            """{"type":"ADDED","object":{"kind":"Secret","metadata":{"name":"s","namespace":"n","resourceVersion":"3"},"data":{"token":"c2VjcmV0"}}}""");

        Assert.Equal("s", secret.Object!.Metadata.Name);
        Assert.DoesNotContain("c2VjcmV0", k8s.KubernetesJson.Serialize(secret.Object), StringComparison.Ordinal);
    }

    [Fact]
    public void The_status_merge_patch_sends_changed_fields_and_nulls_removed_ones()
    {
        var stored = JsonNode.Parse("""{"observedGeneration":1,"conditions":[{"type":"Ready","status":"False"}],"stale":"x","nested":{"a":1,"b":2}}""");
        var desired = JsonNode.Parse("""{"observedGeneration":2,"conditions":[{"type":"Ready","status":"False"}],"nested":{"a":1,"b":3}}""");

        var patch = StatusWriter.MergePatchOf(stored, desired);

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"observedGeneration":2,"nested":{"b":3},"stale":null}"""), patch), patch?.ToJsonString());
    }
}
