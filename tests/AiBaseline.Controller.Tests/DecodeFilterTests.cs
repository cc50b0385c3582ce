using System.Text.Json;
using AiBaseline.Controller.Api;
using k8s.Models;

namespace AiBaseline.Controller.Tests;

public sealed class DecodeFilterTests
{
    private const string Watched = """
        {"apiVersion":"apps/v1","kind":"Deployment",
         "metadata":{"name":"scorer","namespace":"ml","resourceVersion":"42","labels":{"app":"scorer"},
           "annotations":{"kubectl.kubernetes.io/last-applied-configuration":"{\"a whole copy\":true}"},
           "managedFields":[{"manager":"kubectl","operation":"Update","fieldsType":"FieldsV1","fieldsV1":{"f:spec":{}}}]},
         "spec":{"replicas":2,"template":{"metadata":{"annotations":{"prometheus.io/scrape":"true"}},"spec":{"containers":[{"name":"server","image":"registry.example/ml/server:1"}]}}},
         "status":{"replicas":2,"readyReplicas":2,"conditions":[{"type":"Available","status":"True"}]}}
        """;

    [Fact]
    public void What_a_cache_never_keeps_is_left_out_and_the_rest_is_decoded_as_sent()
    {
        using var document = JsonDocument.Parse(Watched);

        var deployment = new DecodeFilter(EmptyStatus: true, KeepAnnotations: false).Decode<V1Deployment>(document.RootElement);

        Assert.Null(deployment.Metadata.ManagedFields);
        Assert.Null(deployment.Metadata.Annotations);
        Assert.Equal(("scorer", "ml", "42", "scorer"), (deployment.Metadata.Name, deployment.Metadata.NamespaceProperty, deployment.Metadata.ResourceVersion, deployment.Metadata.Labels["app"]));
        Assert.Equal("registry.example/ml/server:1", deployment.Spec.Template.Spec.Containers[0].Image);
        Assert.Equal("true", deployment.Spec.Template.Metadata.Annotations["prometheus.io/scrape"]);
        Assert.NotNull(deployment.Status);
        Assert.Null(deployment.Status.Conditions);
        Assert.Null(deployment.Status.Replicas);
    }

    [Fact]
    public void Kept_annotations_and_status_stay_and_an_object_without_status_still_has_none()
    {
        using var document = JsonDocument.Parse(Watched);
        using var bare = JsonDocument.Parse("""{"apiVersion":"v1","kind":"ServiceAccount","metadata":{"name":"sa","namespace":"ml"}}""");

        var deployment = new DecodeFilter(EmptyStatus: false, KeepAnnotations: true).Decode<V1Deployment>(document.RootElement);
        var account = new DecodeFilter(EmptyStatus: true, KeepAnnotations: false).Decode<V1ServiceAccount>(bare.RootElement);

        Assert.Null(deployment.Metadata.ManagedFields);
        Assert.Contains("kubectl.kubernetes.io/last-applied-configuration", deployment.Metadata.Annotations.Keys);
        Assert.Equal(2, deployment.Status.ReadyReplicas);
        Assert.Equal("sa", account.Metadata.Name);
    }

    [Fact]
    public void Only_the_annotations_a_check_reads_are_kept_when_the_rest_is_left_out()
    {
        using var tracked = JsonDocument.Parse(Watched.Replace("\"annotations\":{", "\"annotations\":{\"argocd.argoproj.io/tracking-id\":\"ml:apps/Deployment:ml/scorer\",", StringComparison.Ordinal));
        using var untracked = JsonDocument.Parse(Watched);
        var filter = new DecodeFilter(EmptyStatus: true, KeepAnnotations: false) { KeptAnnotationPrefixes = ["argocd.argoproj.io/tracking-id"] };

        var kept = filter.Decode<V1Deployment>(tracked.RootElement);
        var none = filter.Decode<V1Deployment>(untracked.RootElement);

        Assert.Equal(["argocd.argoproj.io/tracking-id"], kept.Metadata.Annotations.Keys);
        Assert.Equal("ml:apps/Deployment:ml/scorer", kept.Metadata.Annotations["argocd.argoproj.io/tracking-id"]);
        Assert.Null(none.Metadata.Annotations);
        Assert.Equal("scorer", kept.Metadata.Labels["app"]);
    }
}
