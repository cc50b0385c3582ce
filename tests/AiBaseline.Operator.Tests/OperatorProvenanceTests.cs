using AiBaseline.Api.V1Alpha1;
using AiBaseline.Engine;
using AiBaseline.Provenance;
using k8s.Models;

namespace AiBaseline.Operator.Tests;

/// <summary>The operator checks image and model signatures at registries when the profile names signing keys.</summary>
public sealed class OperatorProvenanceTests
{
    private const string Serving = "llm-serving";
    private const string Chat = "llama-chat";
    private const string Server = "registry.acme.example/mirror/vllm/vllm-openai@sha256:c4a8e2f6b0d3a7c1e5f9b2d6a0c4e8f1b5d9a3c7e0f4b8d2a6c1e5f9b3d7a0c4";
    private const string Puller = "registry.acme.example/ml-platform/model-puller@sha256:9b2e4d6f8a0c1e3b5d7f9a2c4e6b8d0f1a3c5e7b9d2f4a6c8e0b1d3f5a7c9e2b";

    [Fact]
    public async Task Verified_signatures_make_provenance_True_and_show_who_signed_each_image()
    {
        await using var cluster = await OperatorFixture.StartSignedAsync();
        var registry = new FakeVerifier(FakeVerifier.Verified);
        await cluster.StartOperatorAsync(registry);

        await OperatorFixture.EventuallyAsync(() => cluster.Condition(Serving, Chat, ConditionTypes.ImageProvenanceVerified)?.Status == "True", "ImageProvenanceVerified True");
        var images = cluster.Get(Serving, Chat)!.Status!.Images!;
        foreach (var image in new[] { Server, Puller })
        {
            var status = Assert.Single(images, i => i.Image == image);
            Assert.Equal(["release"], status.SignedBy!);
            Assert.NotNull(status.VerifiedAt);
        }
    }

    [Fact]
    public async Task An_unreachable_registry_is_Unknown_and_Reconciling_until_it_heals_by_itself_when_the_cached_failure_expires()
    {
        await using var cluster = await OperatorFixture.StartSignedAsync();
        var registry = new FakeVerifier(Unreachable);
        await cluster.StartOperatorAsync(registry, new VerificationCacheOptions { FailureTtl = TimeSpan.FromSeconds(1) });

        await OperatorFixture.EventuallyAsync(() => cluster.Condition(Serving, Chat, ConditionTypes.ImageProvenanceVerified)?.Status == "Unknown", "ImageProvenanceVerified Unknown");
        var unknown = cluster.Condition(Serving, Chat, ConditionTypes.ImageProvenanceVerified)!;
        Assert.Equal(VerificationReasons.RegistryUnavailable, unknown.Reason);
        Assert.Contains("registry.acme.example", unknown.Message, StringComparison.Ordinal);
        var waiting = cluster.Get(Serving, Chat)!;
        Assert.Equal("Unknown", waiting.Status!.Conditions!.Single(c => c.Type == ConditionTypes.Ready).Status);
        var reconciling = waiting.Status.Conditions!.Single(c => c.Type == ConditionTypes.Reconciling);
        Assert.Equal(("True", ReconcilingReasons.RetryScheduled), (reconciling.Status, reconciling.Reason));
        Assert.Equal("Registry registry.acme.example did not answer for 3 artifacts; next attempt within 1s", reconciling.Message);

        // Retries while the registry stays down change nothing a user sees, so they write nothing and announce nothing.
        var calls = registry.Calls(Server);
        await OperatorFixture.EventuallyAsync(() => registry.Calls(Server) >= calls + 2, "two more attempts at the registry");
        Assert.Equal(waiting.Metadata.ResourceVersion, cluster.Get(Serving, Chat)!.Metadata.ResourceVersion);
        Assert.DoesNotContain(cluster.Events(Serving), e => (string?)e["reason"] == ReconcilingReasons.RetryScheduled);
        var generation = waiting.Metadata.Generation;

        // The registry comes back; nothing in the cluster changes, the requeue after the failure's TTL notices.
        registry.Answer = FakeVerifier.Verified;
        await OperatorFixture.EventuallyAsync(() => cluster.Condition(Serving, Chat, ConditionTypes.ImageProvenanceVerified)?.Status == "True", "ImageProvenanceVerified True after the registry recovered");
        var healed = cluster.Get(Serving, Chat)!;
        Assert.Equal(generation, healed.Metadata.Generation);
        Assert.Equal("True", healed.Status!.Conditions!.Single(c => c.Type == ConditionTypes.Ready).Status);
        Assert.DoesNotContain(healed.Status.Conditions!, c => c.Type == ConditionTypes.Reconciling);
    }

    [Fact]
    public async Task Deployments_sharing_an_image_cost_one_verification_per_image()
    {
        await using var cluster = await OperatorFixture.StartSignedAsync();
        var twin = cluster.Get(Serving, Chat)!;
        cluster.Server.Create(new AIModelDeployment
        {
            ApiVersion = ApiGroup.GroupVersion,
            Kind = ApiGroup.AIModelDeploymentKind,
            Metadata = new V1ObjectMeta { Name = "llama-chat-canary", NamespaceProperty = Serving },
            Spec = twin.Spec,
        });
        var registry = new FakeVerifier(FakeVerifier.Verified);
        await cluster.StartOperatorAsync(registry);

        await OperatorFixture.EventuallyAsync(
            () => cluster.Condition(Serving, Chat, ConditionTypes.ImageProvenanceVerified)?.Status == "True"
                && cluster.Condition(Serving, "llama-chat-canary", ConditionTypes.ImageProvenanceVerified)?.Status == "True",
            "both deployments verified");

        // Start-up lists enqueue each deployment several times; none of those passes reaches the registry again.
        await Task.Delay(1000, TestContext.Current.CancellationToken);
        Assert.Equal(1, registry.Calls(Server));
        Assert.Equal(1, registry.Calls(Puller));
        Assert.Equal(3, registry.TotalCalls);
    }

    /// <summary>The compliant example with a signing key added to its profile.</summary>
    private static ArtifactVerification Unreachable(string reference) =>
        new(reference, null, VerificationOutcome.Unavailable, VerificationReasons.RegistryUnavailable,
            $"registry registry.acme.example did not answer for {reference}: connection refused", [], [], DateTimeOffset.UtcNow);
}
