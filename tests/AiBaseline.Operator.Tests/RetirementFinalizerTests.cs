using AiBaseline.Api.V1Alpha1;
using k8s;
using k8s.Models;

namespace AiBaseline.Operator.Tests;

public sealed class RetirementFinalizerTests
{
    private const string Legacy = "legacy-models";
    private const string Summarizer = "legacy-summarizer";
    private const string AllowDeletion = "aibaseline.io/allow-deletion-without-disposal";

    [Fact]
    public async Task The_old_annotation_releases_nothing_and_the_operator_says_so()
    {
        await using var cluster = await OperatorFixture.StartAsync();
        using var client = await HoldDeletionAsync(cluster);
        await PatchAsync(client, Legacy, Summarizer, "{\"metadata\":{\"annotations\":{\"" + AllowDeletion + "\":\"true\"}}}");

        await OperatorFixture.EventuallyAsync(() => Notes(cluster, "AnnotationIgnored").Count == 1, "the operator says the annotation is ignored");
        Assert.Contains("no longer releases a retiring deployment", Notes(cluster, "AnnotationIgnored")[0], StringComparison.Ordinal);
        Assert.Contains("BaselineException", Notes(cluster, "AnnotationIgnored")[0], StringComparison.Ordinal);
        await Task.Delay(500, TestContext.Current.CancellationToken);
        Assert.True(HasFinalizer(cluster, Legacy, Summarizer), "the annotation did not release the deployment");
    }

    [Theory]
    [InlineData("Retirement", null, "a waiver of the Retirement control")]
    [InlineData(null, "5.5.1-1,5.5.1-2", "a waiver of both disposal provisions")]
    public async Task An_approved_waiver_of_disposal_lets_a_held_deployment_go(string? control, string? provisions, string reason)
    {
        await using var cluster = await OperatorFixture.StartAsync();
        using var client = await HoldDeletionAsync(cluster);
        Assert.Contains("BaselineException", Notes(cluster, "DeletionHeld")[0], StringComparison.Ordinal);

        var waiver = WaiverTests.Waiver(DateTimeOffset.UtcNow.AddDays(7), Legacy, "summarizer-disposal", Summarizer, control ?? "Retirement");
        waiver.Spec.Controls = control is null ? null : [control];
        waiver.Spec.Provisions = provisions?.Split(',').ToList();
        await WaiverTests.CreateAsync(cluster, waiver);

        await OperatorFixture.EventuallyAsync(() => cluster.Get(Legacy, Summarizer) is null, $"{reason} releases the deployment although its leftovers remain");
        Assert.NotNull(await client.CoreV1.ReadNamespacedSecretAsync("summarizer-api-key", Legacy, cancellationToken: TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Only_a_deployment_in_stage_Retirement_carries_the_finalizer()
    {
        await using var cluster = await OperatorFixture.StartAsync();
        cluster.Apply("profiles", "retired-model", "llm-inference-compliant");
        await cluster.StartOperatorAsync();
        await OperatorFixture.EventuallyAsync(() => HasFinalizer(cluster, Legacy, Summarizer), "the retired deployment carries the retirement finalizer");
        await OperatorFixture.EventuallyAsync(() => cluster.Condition("llm-serving", "llama-chat", ConditionTypes.Ready) is not null, "the serving deployment is evaluated");
        await Task.Delay(500, TestContext.Current.CancellationToken);
        Assert.False(HasFinalizer(cluster, "llm-serving", "llama-chat"));

        // Moved back to Maintenance (a retirement called off), the record no longer needs holding.
        using var client = new Kubernetes(cluster.Server.CreateClientConfiguration());
        await PatchAsync(client, Legacy, Summarizer, """{"spec":{"stage":"Maintenance"}}""");
        await OperatorFixture.EventuallyAsync(() => !HasFinalizer(cluster, Legacy, Summarizer), "the finalizer is removed after leaving stage Retirement");
        await DeleteAsync(client, Legacy, Summarizer);
        await OperatorFixture.EventuallyAsync(() => cluster.Get(Legacy, Summarizer) is null, "deleted at once");
        Assert.False(HasFinalizer(cluster, "llm-serving", "llama-chat"));
    }

    /// <summary>The retired example under a running operator, deleted: its deletion held by the finalizer, said once.</summary>
    private static async Task<Kubernetes> HoldDeletionAsync(OperatorFixture cluster)
    {
        cluster.Apply("profiles", "retired-model");
        await cluster.StartOperatorAsync();
        await OperatorFixture.EventuallyAsync(() => HasFinalizer(cluster, Legacy, Summarizer), "the retired deployment carries the retirement finalizer");
        var client = new Kubernetes(cluster.Server.CreateClientConfiguration());
        await DeleteAsync(client, Legacy, Summarizer);
        await OperatorFixture.EventuallyAsync(() => WarningsAbout(cluster, Summarizer) == 1, "the deletion is held");
        return client;
    }

    private static bool HasFinalizer(OperatorFixture cluster, string ns, string name) =>
        cluster.Get(ns, name)?.Metadata.Finalizers?.Contains(ApiGroup.RetirementFinalizer) == true;

    private static int WarningsAbout(OperatorFixture cluster, string name) =>
        cluster.Events(Legacy).Count(e => e["reason"]?.GetValue<string>() == "DeletionHeld" && e["regarding"]!["name"]!.GetValue<string>() == name);

    private static List<string> Notes(OperatorFixture cluster, string reason) =>
        [.. cluster.Events(Legacy).Where(e => e["reason"]?.GetValue<string>() == reason).Select(e => e["note"]!.GetValue<string>())];

    private static Task<object> DeleteAsync(Kubernetes client, string ns, string name) =>
        client.CustomObjects.DeleteNamespacedCustomObjectAsync(ApiGroup.Group, ApiGroup.Version, ns, ApiGroup.AIModelDeploymentPlural, name, cancellationToken: TestContext.Current.CancellationToken);

    private static Task<object> PatchAsync(Kubernetes client, string ns, string name, string mergePatch) =>
        client.CustomObjects.PatchNamespacedCustomObjectAsync(
            new V1Patch(mergePatch, V1Patch.PatchType.MergePatch), ApiGroup.Group, ApiGroup.Version, ns, ApiGroup.AIModelDeploymentPlural, name, cancellationToken: TestContext.Current.CancellationToken);
}
