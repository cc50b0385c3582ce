using System.Security.Cryptography;
using AiBaseline.Api.V1Alpha1;
using AiBaseline.Engine;
using AiBaseline.Provenance;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using static AiBaseline.Operator.Tests.Admission.AdmissionFixtures;

namespace AiBaseline.Operator.Tests.Admission;

/// <summary>The webhook reads the reconciler's own verification cache: what the operator verified answers at once, never verified twice.</summary>
public sealed class VerificationCacheSharingTests
{
    [Fact]
    public async Task A_digest_the_reconciler_verified_answers_the_webhook_at_once_without_a_second_verification()
    {
        var registry = new FakeVerifier(FakeVerifier.Verified);
        var checker = new ProvenanceChecker(registry, null, new VerificationCacheOptions(), TimeProvider.System, NullLogger<ProvenanceChecker>.Instance);
        var deployment = ModelDeployment();
        var profile = SignedProfile();
        var workload = new WorkloadState(WorkloadKind.Deployment, "llama", 1, new V1PodTemplateSpec { Spec = CompliantPod() });

        await checker.CheckAsync(deployment, workload, profile, TestContext.Current.CancellationToken);
        var lookup = checker.LookupAsync(deployment, profile, [PinnedImage], TestContext.Current.CancellationToken);

        Assert.True(lookup.IsCompletedSuccessfully, "a cached digest needs no wait");
        Assert.Equal(VerificationOutcome.Verified, (await lookup)[PinnedImage].Outcome);
        Assert.Equal(1, registry.Calls(PinnedImage));
    }

    [Fact]
    public async Task A_digest_first_seen_by_the_webhook_is_verified_once_and_then_cached_for_the_reconciler()
    {
        var registry = new FakeVerifier(FakeVerifier.Verified);
        var checker = new ProvenanceChecker(registry, null, new VerificationCacheOptions(), TimeProvider.System, NullLogger<ProvenanceChecker>.Instance);
        var profile = SignedProfile();

        var first = await checker.LookupAsync(ModelDeployment(), profile, [PinnedImage], TestContext.Current.CancellationToken);
        var workload = new WorkloadState(WorkloadKind.Deployment, "llama", 1, new V1PodTemplateSpec { Spec = CompliantPod() });
        var reconciled = await checker.CheckAsync(ModelDeployment(), workload, profile, TestContext.Current.CancellationToken);

        Assert.Equal(VerificationOutcome.Verified, first[PinnedImage].Outcome);
        Assert.Equal(VerificationOutcome.Verified, reconciled.Provenance![PinnedImage].Outcome);
        Assert.Equal(1, registry.Calls(PinnedImage));
        Assert.Null(registry.CredentialsFor(PinnedImage));
    }

    private static BaselineProfile SignedProfile()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return new BaselineProfile
        {
            Metadata = new V1ObjectMeta { Name = "default" },
            Spec = new BaselineProfileSpec
            {
                Mode = ProfileMode.Enforce,
                Images = new ImagePolicy { SignatureKeys = [new SignatureKey { Name = "release", PublicKey = key.ExportSubjectPublicKeyInfoPem() }] },
            },
        };
    }
}
