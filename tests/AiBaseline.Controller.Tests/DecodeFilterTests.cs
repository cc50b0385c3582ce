using System.Text.Json;
using AiBaseline.Controller.Api;
using k8s.Models;

namespace AiBaseline.Controller.Tests;

public sealed class DecodeFilterTests
{
    private static readonly SharedStrings SmallTable = new(capacity: 3);
    private static readonly JsonSerializerOptions SmallTableOptions = new() { Converters = { SmallTable } };

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

    [Fact]
    public void Equal_strings_of_different_objects_are_one_string_and_what_each_object_has_alone_is_not_kept()
    {
        using var first = JsonDocument.Parse("""
            {"apiVersion":"v1","kind":"ServiceAccount","metadata":{"name":"scorer","namespace":"team-7","uid":"0b6f2c1e-9a3d-4e5f-8a7b-1c2d3e4f5a6b","resourceVersion":"1001","labels":{"app.kubernetes.io/name":"scorer"}}}
            """);
        using var second = JsonDocument.Parse("""
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"scorer","namespace":"team-7","uid":"7d1e2f3a-4b5c-4d6e-9f0a-1b2c3d4e5f6a","resourceVersion":"1002","labels":{"app.kubernetes.io/name":"scorer"}},
             "spec":{"template":{"spec":{"serviceAccountName":"scorer","containers":[{"name":"server","image":"registry.example/ml/server:1"}]}}}}
            """);
        var filter = new DecodeFilter(EmptyStatus: true, KeepAnnotations: false);

        var account = filter.Decode<V1ServiceAccount>(first.RootElement);
        var deployment = filter.Decode<V1Deployment>(second.RootElement);

        Assert.Same(account.Metadata.NamespaceProperty, deployment.Metadata.NamespaceProperty);
        Assert.Same(account.Metadata.Name, deployment.Spec.Template.Spec.ServiceAccountName);
        Assert.Same(account.Metadata.Labels["app.kubernetes.io/name"], deployment.Metadata.Labels["app.kubernetes.io/name"]);
        Assert.Same(account.Metadata.Labels.Keys.Single(), deployment.Metadata.Labels.Keys.Single());
        Assert.Equal(("0b6f2c1e-9a3d-4e5f-8a7b-1c2d3e4f5a6b", "1001"), (account.Metadata.Uid, account.Metadata.ResourceVersion));
    }

    [Fact]
    public void The_shared_table_starts_afresh_at_its_bound_and_strings_decode_as_sent()
    {
        var strings = SmallTable;
        var options = SmallTableOptions;

        var decoded = JsonSerializer.Deserialize<Dictionary<string, string>>("""{"a":"x","b":"x","c":"caf\u00e9","d":"1234","e":"y"}""", options)!;

        Assert.Equal(["x", "x", "caf\u00e9", "1234", "y"], decoded.Values);
        Assert.Same(decoded["a"], decoded["b"]);
        Assert.InRange(strings.Count, 1, 3);
        Assert.Same(strings.Share(new string('z', 2)), strings.Share("zz"));

        // Long strings, uids and resource versions are each object's own: the table does not keep them.
        foreach (var own in new[] { new string('q', SharedStrings.MaxLength + 1), "0b6f2c1e-9a3d-4e5f-8a7b-1c2d3e4f5a6b", "1001" })
        {
            Assert.NotSame(strings.Share(new string(own)), strings.Share(new string(own)));
        }
    }

    [Fact]
    public void An_object_read_only_for_what_it_selects_can_be_kept_without_its_uid()
    {
        using var policy = JsonDocument.Parse("""
            {"apiVersion":"networking.k8s.io/v1","kind":"NetworkPolicy",
             "metadata":{"name":"scorer-ingress","namespace":"team-7","uid":"0b6f2c1e-9a3d-4e5f-8a7b-1c2d3e4f5a6b","resourceVersion":"1001"},
             "spec":{"podSelector":{"matchLabels":{"app":"scorer"}},"policyTypes":["Ingress"]}}
            """);

        var without = new DecodeFilter(EmptyStatus: true, KeepAnnotations: false) { KeepUid = false }.Decode<V1NetworkPolicy>(policy.RootElement);
        var with = new DecodeFilter(EmptyStatus: true, KeepAnnotations: false).Decode<V1NetworkPolicy>(policy.RootElement);

        Assert.Null(without.Metadata.Uid);
        Assert.Equal(("scorer-ingress", "team-7", "1001", "scorer"), (without.Metadata.Name, without.Metadata.NamespaceProperty, without.Metadata.ResourceVersion, without.Spec.PodSelector.MatchLabels["app"]));
        Assert.Equal("0b6f2c1e-9a3d-4e5f-8a7b-1c2d3e4f5a6b", with.Metadata.Uid);
    }

    [Fact]
    public void Equal_label_maps_of_different_objects_are_one_map_that_cannot_be_changed()
    {
        using var workload = JsonDocument.Parse("""
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"scorer","namespace":"team-7","labels":{"app":"scorer","tier":"ml"}},
             "spec":{"selector":{"matchLabels":{"app":"scorer","tier":"ml"}},"template":{"metadata":{"labels":{"app":"scorer","tier":"ml"}},"spec":{"containers":[]}}}}
            """);
        using var policy = JsonDocument.Parse("""
            {"apiVersion":"networking.k8s.io/v1","kind":"NetworkPolicy","metadata":{"name":"scorer-ingress","namespace":"team-7"},
             "spec":{"podSelector":{"matchLabels":{"app":"scorer","tier":"ml"}},"ingress":[{"from":[{"podSelector":{"matchLabels":{"tier":"ml","app":"scorer"}}}]}]}}
            """);
        var filter = new DecodeFilter(EmptyStatus: true, KeepAnnotations: false);

        var deployment = filter.Decode<V1Deployment>(workload.RootElement);
        var networkPolicy = filter.Decode<V1NetworkPolicy>(policy.RootElement);
        var labels = deployment.Metadata.Labels;

        Assert.Same(labels, deployment.Spec.Selector.MatchLabels);
        Assert.Same(labels, deployment.Spec.Template.Metadata.Labels);
        Assert.Same(labels, networkPolicy.Spec.PodSelector.MatchLabels);
        Assert.Equal(["app", "tier"], labels.Keys);
        Assert.Equal(["scorer", "ml"], labels.Values);
        Assert.Equal(("scorer", true, false, 2), (labels["app"], labels.ContainsKey("tier"), labels.TryGetValue("team", out _), labels.Count));
        Assert.Throws<KeyNotFoundException>(() => labels["team"]);

        // Keys in another order are another map, still equal as a dictionary is.
        var reordered = networkPolicy.Spec.Ingress[0].FromProperty[0].PodSelector.MatchLabels;
        Assert.NotSame(labels, reordered);
        Assert.Equal(labels.OrderBy(l => l.Key), reordered.OrderBy(l => l.Key));

        // Shared by every cached object that has it: a change would change them all, so it is refused.
        Assert.True(labels.IsReadOnly);
        Assert.Throws<NotSupportedException>(() => labels["app"] = "other");
        Assert.Throws<NotSupportedException>(() => labels.Add("team", "a"));
        Assert.Equal("scorer", deployment.Spec.Selector.MatchLabels["app"]);
    }

    [Fact]
    public void Large_maps_and_maps_with_a_null_value_are_each_objects_own_dictionary_and_a_key_named_twice_keeps_its_last_value()
    {
        var table = new SharedMaps(new SharedStrings());
        var options = new JsonSerializerOptions { Converters = { table } };
        var large = "{" + string.Join(",", Enumerable.Range(0, SharedMaps.MaxEntries + 1).Select(i => $"\"k{i}\":\"v\"")) + "}";

        var first = JsonSerializer.Deserialize<IDictionary<string, string>>(large, options)!;
        var second = JsonSerializer.Deserialize<IDictionary<string, string>>(large, options)!;
        var withNull = JsonSerializer.Deserialize<IDictionary<string, string>>("""{"a":"x","b":null}""", options)!;
        var twice = JsonSerializer.Deserialize<IDictionary<string, string>>("""{"a":"x","b":"y","a":"z"}""", options)!;

        Assert.IsType<Dictionary<string, string>>(first);
        Assert.NotSame(first, second);
        Assert.Equal(SharedMaps.MaxEntries + 1, second.Count);
        Assert.Null(Assert.IsType<Dictionary<string, string>>(withNull)["b"]);
        Assert.Equal(["a", "b"], twice.Keys);
        Assert.Equal(["z", "y"], twice.Values);
        Assert.Equal(1, table.Count);
    }
}
