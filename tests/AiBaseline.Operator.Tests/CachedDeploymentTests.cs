using AiBaseline.Api.V1Alpha1;
using AiBaseline.Controller;
using k8s;
using k8s.Models;

namespace AiBaseline.Operator.Tests;

/// <summary>The operator caches deployments without their status (most of their size) and still writes correct statuses.</summary>
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

        var cached = host.Caches.ModelDeployments.Cache.Get(new ObjectKey("llm-serving", "llama-chat"));
        Assert.NotNull(cached);
        Assert.Null(cached.Status);

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
}
