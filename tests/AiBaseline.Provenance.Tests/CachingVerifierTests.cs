using System.Collections.Concurrent;
using AiBaseline.Engine;
using AiBaseline.Provenance.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace AiBaseline.Provenance.Tests;

/// <summary>The cache in front of the verifier: one verification per image and policy, shared while in flight, expiring by outcome.</summary>
public sealed class CachingVerifierTests
{
    private static readonly CancellationToken Ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Ten_thousand_pods_on_fifty_images_cost_fifty_verifications()
    {
        var inner = new CountingVerifier(VerificationOutcome.Verified);
        var cache = new CachingArtifactVerifier(inner, new FakeTimeProvider());
        var policy = Verifiers.SampleKey();
        var images = Enumerable.Range(0, 50).Select(i => $"registry.example/team/model-{i}@sha256:{i:x64}").ToArray();

        await Parallel.ForAsync(0, 10_000, Ct, async (pod, ct) =>
        {
            var result = await cache.VerifyAsync(images[pod % 50], policy, null, ct);
            Assert.Equal(images[pod % 50], result.Reference);
        });

        Assert.Equal(50, inner.Calls.Count);
        Assert.Equal(50, cache.Misses);
    }

    [Fact]
    public async Task Concurrent_callers_share_one_in_flight_verification()
    {
        var inner = new CountingVerifier(VerificationOutcome.Verified) { Gate = new TaskCompletionSource() };
        var cache = new CachingArtifactVerifier(inner, new FakeTimeProvider());
        var callers = Enumerable.Range(0, 20).Select(_ => cache.VerifyAsync(Vectors.Image, Verifiers.SampleKey(), null, Ct)).ToArray();
        inner.Gate.SetResult();
        await Task.WhenAll(callers);

        Assert.Single(inner.Calls);
    }

    [Fact]
    public async Task Same_digest_written_differently_shares_the_entry_and_keeps_each_callers_reference()
    {
        var inner = new CountingVerifier(VerificationOutcome.Verified);
        var cache = new CachingArtifactVerifier(inner, new FakeTimeProvider());
        var tagged = "127.0.0.1:5000/demo/hello:v1@" + Vectors.ImageDigest;
        await cache.VerifyAsync(Vectors.Image, Verifiers.SampleKey(), null, Ct);
        var second = await cache.VerifyAsync(tagged, Verifiers.SampleKey(), null, Ct);

        Assert.Single(inner.Calls);
        Assert.Equal(tagged, second.Reference);
    }

    [Fact]
    public async Task Another_policy_is_another_entry()
    {
        var inner = new CountingVerifier(VerificationOutcome.Verified);
        var cache = new CachingArtifactVerifier(inner, new FakeTimeProvider());
        await cache.VerifyAsync(Vectors.Image, Verifiers.SampleKey(), null, Ct);
        await cache.VerifyAsync(Vectors.Image, Verifiers.SampleKey(new AttestationRequirement("https://slsa.dev/provenance/v1")), null, Ct);
        await cache.VerifyAsync(Vectors.Image, Verifiers.SampleKey(), null, Ct);

        Assert.Equal(2, inner.Calls.Count);
    }

    public static TheoryData<VerificationOutcome, int, int> Lifetimes => new()
    {
        // outcome, seconds later, verifications expected (VerifiedTtl 600 s, FailureTtl 30 s)
        { VerificationOutcome.Verified, 599, 1 },      // still fresh
        { VerificationOutcome.Verified, 600, 2 },      // expired
        { VerificationOutcome.Unavailable, 29, 1 },    // failures live 30 s
        { VerificationOutcome.Unavailable, 30, 2 },    // then the registry is asked again
        { VerificationOutcome.Failed, 31, 2 },         // a fixed signature is seen soon
    };

    [Theory]
    [MemberData(nameof(Lifetimes))]
    public async Task Entries_expire_after_the_ttl_of_their_outcome(VerificationOutcome outcome, int secondsLater, int expectedCalls)
    {
        var time = new FakeTimeProvider();
        var inner = new CountingVerifier(outcome);
        var cache = new CachingArtifactVerifier(inner, time, new VerificationCacheOptions { VerifiedTtl = TimeSpan.FromSeconds(600), FailureTtl = TimeSpan.FromSeconds(30) });
        await cache.VerifyAsync(Vectors.Image, Verifiers.SampleKey(), null, Ct);
        time.Advance(TimeSpan.FromSeconds(secondsLater));
        await cache.VerifyAsync(Vectors.Image, Verifiers.SampleKey(), null, Ct);

        Assert.Equal(expectedCalls, inner.Calls.Count);
    }

    [Fact]
    public async Task No_more_than_the_limit_run_against_one_registry_at_once()
    {
        var inner = new CountingVerifier(VerificationOutcome.Verified) { Gate = new TaskCompletionSource() };
        var cache = new CachingArtifactVerifier(inner, new FakeTimeProvider(), new VerificationCacheOptions { MaxConcurrentPerRegistry = 3 });
        var callers = Enumerable.Range(0, 10).Select(i => cache.VerifyAsync($"registry.example/a/b@sha256:{i:x64}", Verifiers.SampleKey(), null, Ct)).ToArray();
        await Task.Delay(100, Ct);
        Assert.Equal(3, inner.Running);
        inner.Gate.SetResult();
        await Task.WhenAll(callers);

        Assert.Equal(3, inner.MaxRunning);
        Assert.Equal(10, inner.Calls.Count);
    }

    [Fact]
    public async Task A_cancelled_caller_does_not_cancel_the_shared_verification()
    {
        var inner = new CountingVerifier(VerificationOutcome.Verified) { Gate = new TaskCompletionSource() };
        var cache = new CachingArtifactVerifier(inner, new FakeTimeProvider());
        using var cancelled = new CancellationTokenSource();
        var first = cache.VerifyAsync(Vectors.Image, Verifiers.SampleKey(), null, cancelled.Token);
        var second = cache.VerifyAsync(Vectors.Image, Verifiers.SampleKey(), null, Ct);
        await cancelled.CancelAsync();
        inner.Gate.SetResult();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
        Assert.Equal(VerificationOutcome.Verified, (await second).Outcome);
        Assert.Single(inner.Calls);
    }

    private sealed class CountingVerifier(VerificationOutcome outcome) : IArtifactVerifier
    {
        private int running;
        private int maxRunning;

        public ConcurrentQueue<string> Calls { get; } = new();

        public TaskCompletionSource? Gate { get; init; }

        public int Running => Volatile.Read(ref running);

        public int MaxRunning => Volatile.Read(ref maxRunning);

        public async Task<ArtifactVerification> VerifyAsync(string reference, TrustPolicy policy, RegistryCredentials? credentials, CancellationToken ct)
        {
            Calls.Enqueue(reference);
            var now = Interlocked.Increment(ref running);
            int seen;
            while ((seen = Volatile.Read(ref maxRunning)) < now && Interlocked.CompareExchange(ref maxRunning, now, seen) != seen)
            {
            }

            if (Gate is not null)
            {
                await Gate.Task;
            }

            Interlocked.Decrement(ref running);
            return new ArtifactVerification(reference, null, outcome, outcome.ToString(), "", [], [], DateTimeOffset.UnixEpoch);
        }
    }
}
