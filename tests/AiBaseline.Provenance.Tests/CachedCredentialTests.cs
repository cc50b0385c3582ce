using System.Collections.Concurrent;
using AiBaseline.Engine;
using AiBaseline.Provenance.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace AiBaseline.Provenance.Tests;

/// <summary>
/// The cache does not key on credentials, yet a pod without a pull secret must not hide a private image from a pod
/// that has one: a failure found anonymously is not served to a caller with logins.
/// </summary>
public sealed class CachedCredentialTests
{
    private static readonly CancellationToken Ct = TestContext.Current.CancellationToken;
    private static readonly RegistryCredentials Login = RegistryCredentials.ForRegistry(Vectors.Registry, new RegistryLogin("ci", "token"));

    public static TheoryData<bool, bool, int, VerificationOutcome, string> Callers => new()
    {
        { false, false, 1, VerificationOutcome.Unavailable, "anonymous callers share the anonymous failure for its TTL" },
        { false, true, 2, VerificationOutcome.Verified, "a caller with a login runs its own verification instead of the anonymous failure" },
        { true, false, 1, VerificationOutcome.Verified, "a signature proven with one pod's login holds for every pod on that digest" },
        { true, true, 1, VerificationOutcome.Verified, "callers with logins share the result" },
    };

    [Theory]
    [MemberData(nameof(Callers))]
    public async Task A_second_caller_gets_the_cached_result_unless_it_has_a_login_the_failed_run_lacked(
        bool firstHasLogin, bool secondHasLogin, int expectedRuns, VerificationOutcome expectedSecond, string reason)
    {
        var registry = new PrivateRegistry();
        var cache = new CachingArtifactVerifier(registry, new FakeTimeProvider());
        await cache.VerifyAsync(Vectors.Image, Verifiers.SampleKey(), firstHasLogin ? Login : null, Ct);
        var second = await cache.VerifyAsync(Vectors.Image, Verifiers.SampleKey(), secondHasLogin ? Login : null, Ct);

        Assert.True(expectedRuns == registry.Runs.Count, $"{reason}: {registry.Runs.Count} runs");
        Assert.Equal(expectedSecond, second.Outcome);
    }

    [Fact]
    public async Task After_a_login_proved_the_signature_anonymous_callers_get_that_result_without_asking_again()
    {
        var registry = new PrivateRegistry();
        var cache = new CachingArtifactVerifier(registry, new FakeTimeProvider());
        await cache.VerifyAsync(Vectors.Image, Verifiers.SampleKey(), null, Ct);
        await cache.VerifyAsync(Vectors.Image, Verifiers.SampleKey(), Login, Ct);
        var third = await cache.VerifyAsync(Vectors.Image, Verifiers.SampleKey(), null, Ct);

        Assert.Equal(VerificationOutcome.Verified, third.Outcome);
        Assert.Equal([false, true], registry.Runs);
    }

    [Fact]
    public async Task A_caller_with_a_login_waiting_on_an_anonymous_run_that_fails_runs_again_with_its_login()
    {
        var registry = new PrivateRegistry { Gate = new TaskCompletionSource() };
        var cache = new CachingArtifactVerifier(registry, new FakeTimeProvider());
        var anonymous = cache.VerifyAsync(Vectors.Image, Verifiers.SampleKey(), null, Ct);
        var withLogin = cache.VerifyAsync(Vectors.Image, Verifiers.SampleKey(), Login, Ct);
        registry.Gate.SetResult();

        Assert.Equal(VerificationOutcome.Unavailable, (await anonymous).Outcome);
        Assert.Equal(VerificationOutcome.Verified, (await withLogin).Outcome);
        Assert.Equal([false, true], registry.Runs);
    }

    /// <summary>A registry that refuses anonymous pulls: Verified with a login for it, RegistryUnauthorized without.</summary>
    private sealed class PrivateRegistry : IArtifactVerifier
    {
        private readonly ConcurrentQueue<bool> runs = new();

        /// <summary>Whether each run had a login, in order.</summary>
        public IReadOnlyList<bool> Runs => [.. runs];

        public TaskCompletionSource? Gate { get; init; }

        public async Task<ArtifactVerification> VerifyAsync(string reference, TrustPolicy policy, RegistryCredentials? credentials, CancellationToken ct)
        {
            var login = credentials?.Find(Vectors.Registry) is not null;
            runs.Enqueue(login);
            if (Gate is not null)
            {
                await Gate.Task;
            }

            return login
                ? new ArtifactVerification(reference, Vectors.ImageDigest, VerificationOutcome.Verified, VerificationReasons.Verified, "signed by release", ["release"], [], DateTimeOffset.UnixEpoch)
                : new ArtifactVerification(reference, null, VerificationOutcome.Unavailable, VerificationReasons.RegistryUnauthorized, "no credentials", [], [], DateTimeOffset.UnixEpoch);
        }
    }
}
