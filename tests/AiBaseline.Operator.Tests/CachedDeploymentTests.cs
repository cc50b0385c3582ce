using AiBaseline.Api.V1Alpha1;
using AiBaseline.Controller;
using k8s;
using k8s.Models;

namespace AiBaseline.Operator.Tests;

/// <summary>
/// The operator caches only what evaluations read (deployments without status, ConfigMaps without innocuous entries,
/// no annotations but a deployment's own) and still writes correct statuses.
/// </summary>
public sealed class CachedDeploymentTests
{
    [Fact]
    public async Task The_cache_holds_no_status_and_a_re_evaluation_keeps_the_transition_times_read_from_the_server()
    {
        await using var cluster = await OperatorFixture.StartAsync();
        cluster.Apply("profiles", "llm-inference-compliant");
        var host = await cluster.StartOperatorAsync();
        await OperatorFixture.EventuallyAsync(() => cluster.Condition("llm-serving", "llama-chat", ConditionTypes.Ready)?.Status == "True", "llama-chat Ready=True");
        var readySince = cluster.Condition("llm-serving", "llama-chat", ConditionTypes.Ready)!.LastTransitionTime;

        // Once the watch has delivered the written status, the cache knows there is one and holds none of it: the one
        // shared empty status, no conditions, controls or provisions.
        AIModelDeployment? Cached() => host.Caches.ModelDeployments.Cache.Get(new ObjectKey("llm-serving", "llama-chat"));
        await OperatorFixture.EventuallyAsync(() => Cached()?.Status is not null, "the written status seen by the watch");
        Assert.Same(ClusterCaches.StatusNotCached, Cached()!.Status);
        Assert.Equal((null, null, null, null), (ClusterCaches.StatusNotCached.Conditions, ClusterCaches.StatusNotCached.Controls, ClusterCaches.StatusNotCached.Provisions, ClusterCaches.StatusNotCached.Images));

        // Transition times have one-second resolution: a re-evaluation that forgot the stored status would stamp a later one.
        await Task.Delay(TimeSpan.FromSeconds(1.5), TestContext.Current.CancellationToken);
        using var client = new Kubernetes(cluster.Server.CreateClientConfiguration());
        await client.CustomObjects.PatchNamespacedCustomObjectAsync(
            new V1Patch("""{"spec":{"owners":[{"name":"Inference platform team","contact":"ml-platform@acme.example"},{"name":"Security"}]}}""", V1Patch.PatchType.MergePatch),
            ApiGroup.Group, ApiGroup.Version, "llm-serving", ApiGroup.AIModelDeploymentPlural, "llama-chat", cancellationToken: TestContext.Current.CancellationToken);
        await OperatorFixture.EventuallyAsync(() => cluster.Get("llm-serving", "llama-chat")?.Status?.ObservedGeneration == 2, "the spec change evaluated");

        var ready = cluster.Condition("llm-serving", "llama-chat", ConditionTypes.Ready)!;
        Assert.Equal("True", ready.Status);
        Assert.Equal(readySince, ready.LastTransitionTime);
        Assert.Equal(2, ready.ObservedGeneration);
    }

    [Fact]
    public async Task ConfigMaps_are_cached_with_their_credential_entries_only_and_still_reported()
    {
        await using var cluster = await OperatorFixture.StartAsync();
        cluster.Apply("profiles", "llm-inference-compliant");
        var host = await cluster.StartOperatorAsync();
        await OperatorFixture.EventuallyAsync(() => cluster.Condition("llm-serving", "llama-chat", ConditionTypes.SecretsProtected)?.Status == "True", "SecretsProtected=True");
        var lastApplied = new Dictionary<string, string> { ["kubectl.kubernetes.io/last-applied-configuration"] = new string('x', 4096) };
        cluster.Server.Create(new V1ConfigMap
        {
            Metadata = new V1ObjectMeta { Name = "settings", NamespaceProperty = "llm-serving", Annotations = lastApplied },
            Data = new Dictionary<string, string> { ["max_tokens"] = "8192", ["dashboard.json"] = new string('{', 10_000), ["api_key"] = "Tr0ub4dor-horse-battery" },
            BinaryData = new Dictionary<string, byte[]> { ["logo.png"] = new byte[10_000] },
        });
        using var client = new Kubernetes(cluster.Server.CreateClientConfiguration());
        var ct = TestContext.Current.CancellationToken;
        var workload = await client.AppsV1.ReadNamespacedDeploymentAsync("llama-chat", "llm-serving", cancellationToken: ct);
        workload.Metadata.Annotations = lastApplied;
        workload.Spec.Template.Spec.Containers[0].EnvFrom = [new V1EnvFromSource { ConfigMapRef = new V1ConfigMapEnvSource { Name = "settings" } }];
        await client.AppsV1.ReplaceNamespacedDeploymentAsync(workload, "llama-chat", "llm-serving", cancellationToken: ct);

        await OperatorFixture.EventuallyAsync(() => cluster.Condition("llm-serving", "llama-chat", ConditionTypes.SecretsProtected)?.Status == "False", "SecretsProtected=False");
        Assert.Contains("ConfigMap llm-serving/settings: key api_key holds a credential", cluster.Condition("llm-serving", "llama-chat", ConditionTypes.SecretsProtected)!.Message, StringComparison.Ordinal);

        var cachedMap = host.Caches.ConfigMaps.Cache.Get(new ObjectKey("llm-serving", "settings"))!;
        Assert.Equal(["api_key"], cachedMap.Data.Keys);
        Assert.Null(cachedMap.BinaryData);
        Assert.Null(cachedMap.Metadata.Annotations);
        var cachedWorkload = host.Caches.Deployments.Cache.Get(new ObjectKey("llm-serving", "llama-chat"))!;
        Assert.Null(cachedWorkload.Metadata.Annotations);
        Assert.NotNull(cachedWorkload.Spec.Template.Spec.Containers[0].EnvFrom);
    }
}
