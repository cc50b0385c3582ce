using AiBaseline.Engine;
using AiBaseline.Provenance.Oci;
using AiBaseline.Provenance.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace AiBaseline.Provenance.Tests.Live;

/// <summary>A registry that goes away and comes back, and the request cost of many pods on few images.</summary>
[Collection(LiveRegistryCollection.Name)]
public sealed class RegistryOutageTests(LiveRegistryFixture registry)
{
    private static readonly CancellationToken Ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Stopped_registry_is_unavailable_and_verified_again_after_it_returns()
    {
        using var own = await RegistryProcess.StartAsync(Path.Combine(Path.GetTempPath(), "aibaseline-outage-" + Guid.NewGuid().ToString("N")));
        using var pusher = new ImagePusher(own);
        var (digest, _) = await pusher.PushImageAsync("demo/outage", "v1", "outage");
        var image = $"{own.Host}/demo/outage@{digest}";
        await registry.Cosign.SignAsync(registry.ReleaseKeyPath, image);

        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var client = new RegistryClient(Verifiers.FastRetries(own.Host), TimeProvider.System);
        var cache = new CachingArtifactVerifier(new CosignVerifier(client, time), time, new VerificationCacheOptions { FailureTtl = TimeSpan.FromSeconds(30) });

        Assert.Equal(VerificationOutcome.Verified, (await cache.VerifyAsync(image, registry.Policy(), null, Ct)).Outcome);

        own.Stop();
        time.Advance(TimeSpan.FromHours(1));
        var down = await cache.VerifyAsync(image, registry.Policy(), null, Ct);
        Assert.Equal(VerificationOutcome.Unavailable, down.Outcome);
        Assert.Equal(VerificationReasons.RegistryUnavailable, down.Reason);
        Assert.Equal($"image {image}: registry {own.Host} unavailable: ConnectionError after 3 attempts", down.Message);

        await own.StartAgainAsync();
        Assert.Equal(VerificationOutcome.Unavailable, (await cache.VerifyAsync(image, registry.Policy(), null, Ct)).Outcome);
        time.Advance(TimeSpan.FromSeconds(30));
        var back = await cache.VerifyAsync(image, registry.Policy(), null, Ct);
        Assert.Equal(VerificationOutcome.Verified, back.Outcome);
        Assert.Equal(["release"], back.SignedBy);
    }

    [Fact]
    public async Task Ten_thousand_pods_on_fifty_signed_images_cost_requests_for_fifty_images_only()
    {
        using var pusher = new ImagePusher(registry.Plain);
        var images = new string[50];
        for (var i = 0; i < images.Length; i++)
        {
            var (digest, _) = await pusher.PushImageAsync($"scale/app-{i}", "v1", $"scale {i}");
            images[i] = $"{registry.Plain.Host}/scale/app-{i}@{digest}";
        }

        await registry.Cosign.SignAsync(registry.ReleaseKeyPath, images);
        var counter = new CountingHandler(new SocketsHttpHandler());
        var cache = new CachingArtifactVerifier(registry.NewVerifier(counter), TimeProvider.System);
        var policy = registry.Policy();

        var outcomes = new VerificationOutcome[10_000];
        await Parallel.ForAsync(0, outcomes.Length, Ct, async (pod, ct) =>
            outcomes[pod] = (await cache.VerifyAsync(images[pod % images.Length], policy, null, ct)).Outcome);

        Assert.All(outcomes, o => Assert.Equal(VerificationOutcome.Verified, o));
        Assert.Equal(50, cache.Misses);
        // Per image: manifest, .sig manifest, its payload blob, the .att tag, and the Sigstore bundle referrers (a key may
        // sign those too): the referrers API and, as this registry has none, the referrers tag; all absent here: 6 requests.
        Assert.Equal(50 * 6, counter.Requests);
    }

    private sealed class CountingHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        private int requests;

        public int Requests => Volatile.Read(ref requests);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref requests);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
