using AiBaseline.Api.V1Alpha1;

namespace AiBaseline.Operator.Tests;

/// <summary>An operator given several namespaces (<c>--namespace a --namespace b</c>) evaluates those and no other.</summary>
public sealed class WatchedNamespacesTests
{
    [Fact]
    public async Task Deployments_in_every_watched_namespace_get_a_status_and_those_elsewhere_none()
    {
        await using var cluster = await OperatorFixture.StartAsync();
        cluster.Apply("profiles", "llm-inference-compliant", "llm-inference-noncompliant", "retired-model");

        var host = await cluster.StartOperatorAsync(namespaces: ["llm-serving", "chat-playground"]);
        await OperatorFixture.EventuallyAsync(
            () => cluster.Condition("llm-serving", "llama-chat", ConditionTypes.Ready) is not null
                && cluster.Condition("chat-playground", "support-bot", ConditionTypes.Ready) is not null,
            "a status in both watched namespaces");

        // The unwatched deployment would have been queued with the others; give a straggler time to show.
        await Task.Delay(TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken);
        var unwatched = Assert.Single(cluster.Server.List(ApiGroup.GroupVersion, ApiGroup.AIModelDeploymentKind, "legacy-models"));
        Assert.Null(unwatched["status"]);

        // Namespaced kinds have an informer per namespace; cluster-scoped kinds one for the cluster.
        var names = host.Caches.All.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        Assert.Contains("deployments.apps in llm-serving", names);
        Assert.Contains("deployments.apps in chat-playground", names);
        Assert.Contains(OperatorResources.BaselineProfiles.ToString(), names);
        Assert.DoesNotContain(names, n => n.Contains("legacy-models", StringComparison.Ordinal));
    }
}
