using AiBaseline.Api.V1Alpha1;
using AiBaseline.Engine;
using static AiBaseline.Operator.Tests.Admission.AdmissionFixtures;

namespace AiBaseline.Operator.Tests.Admission;

/// <summary>Signatures come only from the verification cache; an unverified digest waits a bounded time, then is denied or allowed as the profile says.</summary>
public sealed class AdmissionSignatureTests
{
    private readonly AdmissionFixtures cluster = new();

    private AdmissionFixtures Signed(ProfileMode mode, UnverifiedAction unverified = UnverifiedAction.Deny, int waitSeconds = 0) =>
        cluster.Governed(mode, p =>
        {
            p.Images.SignatureKeys = [new SignatureKey { Name = "release", PublicKey = "-----BEGIN PUBLIC KEY-----" }];
            p.Admission = new AdmissionPolicy { Unverified = unverified, VerificationWaitSeconds = waitSeconds };
        });

    private static ArtifactVerification Evidence(VerificationOutcome outcome, string reason, string message) =>
        new(PinnedImage, Digest, outcome, reason, message, outcome == VerificationOutcome.Verified ? ["release"] : [], [], DateTimeOffset.UnixEpoch);

    [Fact]
    public async Task A_digest_the_operator_verified_is_admitted_from_the_cache()
    {
        Signed(ProfileMode.Enforce).Lookup.Known[PinnedImage] = Evidence(VerificationOutcome.Verified, "Verified", "signed by release");
        var answer = await cluster.SendAsync(Review("CREATE", "apps", "Deployment", Deployment(CompliantPod())));

        Assert.True(answer.Allowed, answer.Message);
        Assert.Equal([PinnedImage], cluster.Lookup.Asked);
    }

    [Fact]
    public async Task A_signature_the_cache_found_missing_is_denied_with_the_registry_reason()
    {
        Signed(ProfileMode.Enforce).Lookup.Known[PinnedImage] = Evidence(VerificationOutcome.Failed, "SignatureMissing", $"image {PinnedImage} has no signature from a trusted key");
        var answer = await cluster.SendAsync(Review("CREATE", "apps", "Deployment", Deployment(CompliantPod())));

        Assert.False(answer.Allowed);
        Assert.Contains("ImageProvenance SignatureMissing: container server: image registry.acme.example/llm/server@sha256:", answer.Message);
    }

    [Fact]
    public async Task An_unverified_digest_is_denied_with_a_message_that_it_passes_on_retry()
    {
        Signed(ProfileMode.Enforce);
        var answer = await cluster.SendAsync(Review("CREATE", "apps", "Deployment", Deployment(CompliantPod())));

        Assert.False(answer.Allowed);
        Assert.Contains("until its signatures are verified: ImageProvenance SignatureNotChecked", answer.Message);
        Assert.Contains("the request passes on retry once they verify", answer.Message);
    }

    [Fact]
    public async Task An_unverified_digest_is_admitted_with_a_warning_when_the_profile_allows_it()
    {
        Signed(ProfileMode.Enforce, UnverifiedAction.Allow);
        var answer = await cluster.SendAsync(Review("CREATE", "apps", "Deployment", Deployment(CompliantPod())));

        Assert.True(answer.Allowed);
        Assert.Contains("admitted before its signatures were verified", Assert.Single(answer.Warnings));
    }

    [Fact]
    public async Task The_wait_for_a_verification_is_bounded_by_the_profile()
    {
        Signed(ProfileMode.Enforce, waitSeconds: 2);
        var pending = cluster.SendAsync(Review("CREATE", "apps", "Deployment", Deployment(CompliantPod())));

        cluster.Time.Advance(TimeSpan.FromSeconds(1.9));
        await Task.Delay(50, TestContext.Current.CancellationToken);
        Assert.False(pending.IsCompleted, "the request waits for the verification under way");
        cluster.Time.Advance(TimeSpan.FromSeconds(0.1));
        var answer = await pending.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        Assert.False(answer.Allowed);
        Assert.Contains("passes on retry", answer.Message);
    }

    [Fact]
    public async Task Audit_warns_about_an_unverified_digest()
    {
        Signed(ProfileMode.Audit);
        var answer = await cluster.SendAsync(Review("CREATE", "apps", "Deployment", Deployment(CompliantPod())));

        Assert.True(answer.Allowed);
        Assert.Contains("Enforce would deny Deployment team-a/llama: ImageProvenance SignatureNotChecked", Assert.Single(answer.Warnings));
    }

    [Fact]
    public async Task Without_signature_keys_the_cache_is_never_asked()
    {
        cluster.Governed(ProfileMode.Enforce);
        await cluster.SendAsync(Review("CREATE", "apps", "Deployment", Deployment(CompliantPod())));

        Assert.Empty(cluster.Lookup.Asked);
    }
}
