using AiBaseline.Api.V1Alpha1;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Time.Testing;

namespace AiBaseline.Operator.Tests;

/// <summary>A BaselineException created, expiring or deleted changes the verdict of the deployments it selects, and nothing else has to change.</summary>
public sealed class WaiverTests
{
    private const string Playground = "chat-playground";
    private const string SupportBot = "support-bot";

    [Fact]
    public async Task A_waiver_turns_NotMet_into_Waived_and_its_expiry_turns_it_back()
    {
        await using var cluster = await OperatorFixture.StartAsync();
        cluster.Apply("profiles", "llm-inference-noncompliant");
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await cluster.StartOperatorAsync(time: clock);
        await OperatorFixture.EventuallyAsync(() => Result(cluster) == ControlResult.NotMet, "the missing egress policy is NotMet");

        await CreateAsync(cluster, Waiver(clock.GetUtcNow().AddHours(2)));

        await OperatorFixture.EventuallyAsync(() => Result(cluster) == ControlResult.Waived, "the waiver turns NetworkIsolation into Waived");
        var status = cluster.Get(Playground, SupportBot)!.Status!;
        Assert.Equal("egress-gateway-pending", status.Controls!.Single(c => c.Name == "NetworkIsolation").Waiver);
        var condition = cluster.Condition(Playground, SupportBot, ConditionTypes.NetworkIsolated)!;
        Assert.Equal(("True", ReadyReasons.Waived), (condition.Status, condition.Reason));
        Assert.Contains("approved by Head of Platform Security, ticket RISK-1042", condition.Message, StringComparison.Ordinal);
        Assert.True(status.Summary!.Waived > 0);
        await OperatorFixture.EventuallyAsync(() => Active(cluster)?.Status == "True", "the waiver's own status says it is active");
        Assert.Equal([SupportBot], cluster.Waiver(Playground, "egress-gateway-pending")!.Status!.Deployments);

        // Nothing changes in the cluster: only time passes the waiver's expiry.
        clock.Advance(TimeSpan.FromHours(2) + TimeSpan.FromSeconds(5));

        await OperatorFixture.EventuallyAsync(() => Result(cluster) == ControlResult.NotMet, "the expired waiver stops counting");
        var current = cluster.Condition(Playground, SupportBot, ConditionTypes.WaiversCurrent)!;
        Assert.Equal(("False", WaiverReasons.WaiverExpired), (current.Status, current.Reason));
        Assert.StartsWith("BaselineException egress-gateway-pending expired at ", current.Message, StringComparison.Ordinal);
        Assert.Equal(0, cluster.Get(Playground, SupportBot)!.Status!.Summary!.Waived);
        await OperatorFixture.EventuallyAsync(() => Active(cluster)?.Reason == WaiverReasons.WaiverExpired, "the waiver's own status says it expired");
    }

    [Fact]
    public async Task A_waiver_longer_than_the_profile_allows_or_selecting_nothing_says_so_in_its_status()
    {
        await using var cluster = await OperatorFixture.StartAsync();
        cluster.Apply("profiles", "llm-inference-noncompliant");
        await cluster.StartOperatorAsync();
        await OperatorFixture.EventuallyAsync(() => Result(cluster) == ControlResult.NotMet, "the missing egress policy is NotMet");

        await CreateAsync(cluster, Waiver(DateTimeOffset.UtcNow.AddDays(400)));

        await OperatorFixture.EventuallyAsync(() => Active(cluster)?.Reason == WaiverReasons.WaiverTooLong, "the waiver's status says it is too long");
        Assert.Equal(ControlResult.NotMet, Result(cluster));
        // The waiver's status and the deployment's are written by two controllers: the deployment's may follow a moment later.
        await OperatorFixture.EventuallyAsync(() => cluster.Condition(Playground, SupportBot, ConditionTypes.WaiversCurrent)?.Reason == WaiverReasons.WaiverTooLong, "the deployment's WaiversCurrent says the waiver is too long");

        var elsewhere = Waiver(DateTimeOffset.UtcNow.AddDays(1));
        elsewhere.Metadata.Name = "for-nobody";
        elsewhere.Spec.DeploymentNames = ["no-such-model"];
        await CreateAsync(cluster, elsewhere);
        await OperatorFixture.EventuallyAsync(
            () => cluster.Waiver(Playground, "for-nobody")?.Status?.Conditions?.FirstOrDefault()?.Reason == WaiverReasons.NoDeploymentSelected,
            "a waiver that selects nothing says so");
    }

    [Fact]
    public async Task Deleting_a_waiver_and_relabelling_a_deployment_are_reflected()
    {
        await using var cluster = await OperatorFixture.StartAsync();
        cluster.Apply("profiles", "llm-inference-noncompliant");
        await cluster.StartOperatorAsync();
        var waiver = Waiver(DateTimeOffset.UtcNow.AddDays(1));
        waiver.Spec.DeploymentNames = null;
        waiver.Spec.Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["waiver"] = "egress" } };
        await CreateAsync(cluster, waiver);
        await OperatorFixture.EventuallyAsync(() => Active(cluster)?.Reason == WaiverReasons.NoDeploymentSelected, "the selector matches nothing yet");
        using var client = new Kubernetes(cluster.Server.CreateClientConfiguration());

        await client.CustomObjects.PatchNamespacedCustomObjectAsync(
            new V1Patch("""{"metadata":{"labels":{"waiver":"egress"}}}""", V1Patch.PatchType.MergePatch),
            ApiGroup.Group, ApiGroup.Version, Playground, ApiGroup.AIModelDeploymentPlural, SupportBot, cancellationToken: TestContext.Current.CancellationToken);
        await OperatorFixture.EventuallyAsync(() => Result(cluster) == ControlResult.Waived, "a label the selector matches brings the deployment under the waiver");
        await OperatorFixture.EventuallyAsync(() => Active(cluster)?.Status == "True", "and the waiver now selects it");

        await client.CustomObjects.DeleteNamespacedCustomObjectAsync(
            ApiGroup.Group, ApiGroup.Version, Playground, ApiGroup.BaselineExceptionPlural, "egress-gateway-pending", cancellationToken: TestContext.Current.CancellationToken);
        await OperatorFixture.EventuallyAsync(() => Result(cluster) == ControlResult.NotMet, "without the waiver the finding counts again");
        Assert.DoesNotContain(cluster.Get(Playground, SupportBot)!.Status!.Conditions!, c => c.Type == ConditionTypes.WaiversCurrent);
    }

    internal static BaselineException Waiver(DateTimeOffset expiresAt, string ns = Playground, string name = "egress-gateway-pending", string deployment = SupportBot, string control = "NetworkIsolation") => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
        Spec = new BaselineExceptionSpec
        {
            DeploymentNames = [deployment],
            Controls = [control],
            Justification = "Egress goes through the gateway once it is deployed next sprint.",
            ApprovedBy = "Head of Platform Security",
            Ticket = "RISK-1042",
            ExpiresAt = expiresAt.UtcDateTime,
        },
    };

    internal static async Task CreateAsync(OperatorFixture cluster, BaselineException waiver)
    {
        using var client = new Kubernetes(cluster.Server.CreateClientConfiguration());
        await client.CustomObjects.CreateNamespacedCustomObjectAsync(
            waiver, ApiGroup.Group, ApiGroup.Version, waiver.Metadata.NamespaceProperty, ApiGroup.BaselineExceptionPlural, cancellationToken: TestContext.Current.CancellationToken);
    }

    private static ControlResult? Result(OperatorFixture cluster) =>
        cluster.Get(Playground, SupportBot)?.Status?.Controls?.FirstOrDefault(c => c.Name == "NetworkIsolation")?.Result;

    private static V1Condition? Active(OperatorFixture cluster) =>
        cluster.Waiver(Playground, "egress-gateway-pending")?.Status?.Conditions?.FirstOrDefault(c => c.Type == WaiverConditionTypes.Active);
}
