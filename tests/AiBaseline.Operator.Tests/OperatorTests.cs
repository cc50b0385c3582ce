using AiBaseline.Api.V1Alpha1;
using k8s;
using k8s.Models;

namespace AiBaseline.Operator.Tests;

public sealed class OperatorTests
{
    private const string Serving = "llm-serving";
    private const string Chat = "llama-chat";
    private const string Playground = "chat-playground";
    private const string Bot = "support-bot";

    [Fact]
    public async Task A_deployment_with_its_workload_and_policies_gets_the_status_the_engine_gives_it()
    {
        await using var cluster = await OperatorFixture.StartAsync();
        cluster.Apply("profiles", "llm-inference-compliant", "llm-inference-noncompliant");

        var host = await cluster.StartOperatorAsync();
        await OperatorFixture.EventuallyAsync(() => cluster.Condition(Serving, Chat, ConditionTypes.Ready) is not null && cluster.Condition(Playground, Bot, ConditionTypes.Ready) is not null, "both statuses written");

        var compliant = cluster.Get(Serving, Chat)!;
        Assert.Equal("True", cluster.Condition(Serving, Chat, ConditionTypes.Ready)!.Status);
        foreach (var type in new[] { ConditionTypes.NetworkIsolated, ConditionTypes.SecretsProtected, ConditionTypes.RuntimeHardened, ConditionTypes.LeastPrivilege, ConditionTypes.ImageProvenanceVerified })
        {
            Assert.Equal("True", cluster.Condition(Serving, Chat, type)?.Status);
        }

        Assert.Equal(compliant.Metadata.Generation, compliant.Status!.ObservedGeneration);
        Assert.Equal("False", cluster.Condition(Playground, Bot, ConditionTypes.Ready)!.Status);
        Assert.Equal("False", cluster.Condition(Playground, Bot, ConditionTypes.NetworkIsolated)!.Status);
        Assert.Equal("False", cluster.Condition(Playground, Bot, ConditionTypes.SecretsProtected)!.Status);

        // One event announces each first verdict; the failing one is a Warning.
        await OperatorFixture.EventuallyAsync(
            () => cluster.Events(Serving).Any(e => e["type"]!.GetValue<string>() == "Normal" && e["regarding"]!["name"]!.GetValue<string>() == Chat)
                && cluster.Events(Playground).Any(e => e["type"]!.GetValue<string>() == "Warning" && e["regarding"]!["name"]!.GetValue<string>() == Bot),
            "first-verdict events");

        // What a scraper of /metrics sees: counts per result, never object names.
        using var scrape = new MemoryStream();
        await host.Registry.CollectAndExportAsTextAsync(scrape, TestContext.Current.CancellationToken);
        var metrics = System.Text.Encoding.UTF8.GetString(scrape.ToArray());
        Assert.Contains("aibaseline_deployments{ready=\"True\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("aibaseline_deployments{ready=\"False\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("aibaseline_control_results{control=\"NetworkIsolation\",result=\"NotMet\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("aibaseline_informer_synced{resource=\"secrets\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("controller_runtime_reconcile_total{controller=\"aimodeldeployment\",result=\"success\"}", metrics, StringComparison.Ordinal);
        Assert.DoesNotContain(Chat, metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Each_change_flips_the_right_condition_and_reconciles_only_the_deployments_it_concerns()
    {
        await using var cluster = await OperatorFixture.StartAsync();
        cluster.Apply("profiles", "llm-inference-compliant", "llm-inference-noncompliant");
        await cluster.StartOperatorAsync();
        await OperatorFixture.EventuallyAsync(() => cluster.Condition(Serving, Chat, ConditionTypes.Ready)?.Status == "True" && cluster.Condition(Playground, Bot, ConditionTypes.Ready) is not null, "first verdicts");
        using var client = new Kubernetes(cluster.Server.CreateClientConfiguration());
        var ct = TestContext.Current.CancellationToken;

        // Let the start-up passes settle: each cache's first list enqueues every deployment once more.
        await Task.Delay(1000, ct);

        // A NetworkPolicy that opens all egress concerns only the deployments of its namespace.
        var botReads = cluster.Reads(Playground, Bot);
        await client.NetworkingV1.CreateNamespacedNetworkPolicyAsync(
            new V1NetworkPolicy
            {
                Metadata = new V1ObjectMeta { Name = "allow-all-egress", NamespaceProperty = Serving },
                Spec = new V1NetworkPolicySpec { PodSelector = new V1LabelSelector(), PolicyTypes = ["Egress"], Egress = [new V1NetworkPolicyEgressRule()] },
            },
            Serving,
            cancellationToken: ct);
        await OperatorFixture.EventuallyAsync(() => cluster.Condition(Serving, Chat, ConditionTypes.NetworkIsolated)?.Status == "False", "NetworkIsolated False after allowing all egress");
        await OperatorFixture.EventuallyAsync(
            () => cluster.Events(Serving).Any(e => e["type"]!.GetValue<string>() == "Warning" && e["note"]!.GetValue<string>().StartsWith(ConditionTypes.NetworkIsolated, StringComparison.Ordinal)),
            "a Warning event says NetworkIsolated stopped being met");
        await client.NetworkingV1.DeleteNamespacedNetworkPolicyAsync("allow-all-egress", Serving, cancellationToken: ct);
        await OperatorFixture.EventuallyAsync(() => cluster.Condition(Serving, Chat, ConditionTypes.NetworkIsolated)?.Status == "True", "NetworkIsolated True again");

        // The Secret the server's env refers to disappears.
        await client.CoreV1.DeleteNamespacedSecretAsync("llama-chat-hf-token", Serving, cancellationToken: ct);
        await OperatorFixture.EventuallyAsync(() => cluster.Condition(Serving, Chat, ConditionTypes.SecretsProtected)?.Status == "False", "SecretsProtected False without the Secret");

        // The serving image moves to an unpinned tag.
        var workload = await client.AppsV1.ReadNamespacedDeploymentAsync(Chat, Serving, cancellationToken: ct);
        workload.Spec.Template.Spec.Containers[0].Image = "registry.acme.example/mirror/vllm/vllm-openai:latest";
        await client.AppsV1.ReplaceNamespacedDeploymentAsync(workload, Chat, Serving, cancellationToken: ct);
        await OperatorFixture.EventuallyAsync(() => cluster.Condition(Serving, Chat, ConditionTypes.ImageProvenanceVerified)?.Status == "False", "ImageProvenanceVerified False for an unpinned image");

        // A profile nobody uses concerns nobody.
        await Task.Delay(500, ct);
        var chatReads = cluster.Reads(Serving, Chat);
        cluster.Server.Create(new BaselineProfile { Metadata = new V1ObjectMeta { Name = "unused" } });
        await Task.Delay(1000, ct);
        Assert.Equal(chatReads, cluster.Reads(Serving, Chat));
        Assert.Equal(botReads, cluster.Reads(Playground, Bot));

        // The profile both use concerns both.
        var profile = cluster.Profile("default");
        profile.Metadata.Labels = new Dictionary<string, string> { ["touched"] = "yes" };
        await client.CustomObjects.ReplaceClusterCustomObjectAsync(profile, ApiGroup.Group, ApiGroup.Version, ApiGroup.BaselineProfilePlural, "default", cancellationToken: ct);
        await OperatorFixture.EventuallyAsync(() => cluster.Reads(Playground, Bot) > botReads && cluster.Reads(Serving, Chat) > chatReads, "both deployments re-evaluated after their profile changed");
    }

    [Fact]
    public async Task A_restarted_operator_does_not_rewrite_statuses_that_did_not_change()
    {
        await using var cluster = await OperatorFixture.StartAsync();
        cluster.Apply("profiles", "llm-inference-compliant", "llm-inference-noncompliant");
        await cluster.StartOperatorAsync();
        await OperatorFixture.EventuallyAsync(() => cluster.Condition(Serving, Chat, ConditionTypes.Ready) is not null && cluster.Condition(Playground, Bot, ConditionTypes.Ready) is not null, "first verdicts");
        await Task.Delay(500, TestContext.Current.CancellationToken);
        Assert.Equal(0, await cluster.StopOperatorAsync());
        var writes = (cluster.StatusWrites(Serving, Chat), cluster.StatusWrites(Playground, Bot));
        var reads = (cluster.Reads(Serving, Chat), cluster.Reads(Playground, Bot));
        var events = cluster.Events(Serving).Count + cluster.Events(Playground).Count;
        Assert.Equal((1, 1), writes);

        await cluster.StartOperatorAsync();
        await OperatorFixture.EventuallyAsync(() => cluster.Reads(Serving, Chat) > reads.Item1 && cluster.Reads(Playground, Bot) > reads.Item2, "both deployments re-evaluated after the restart");
        await Task.Delay(500, TestContext.Current.CancellationToken);

        Assert.Equal(writes, (cluster.StatusWrites(Serving, Chat), cluster.StatusWrites(Playground, Bot)));
        Assert.Equal(events, cluster.Events(Serving).Count + cluster.Events(Playground).Count);
    }
}
