using System.Reflection;
using AiBaseline.Engine;
using AiBaseline.Provenance;
using AiBaseline.Provenance.Oci;
using AiBaseline.Provenance.Signing;
using AiBaseline.Provenance.Tests.Support;
using BenchmarkDotNet.Attributes;

namespace AiBaseline.Benchmarks;

/// <summary>
/// Provenance verification against a real docker-registry on loopback holding the recorded cosign sample
/// (signature + SLSA v0.2 and v1 attestations, exact bytes): one cold verification, one cache hit, and
/// 10,000 pods over 50 images through the cache. Needs tests/setup.d/20-oci-registry.sh (run by tests/run.sh).
/// Run: dotnet run -c Release --project tests/AiBaseline.Benchmarks -- --filter '*ProvenanceBenchmarks*'
/// </summary>
[MemoryDiagnoser]
public class ProvenanceBenchmarks : IDisposable
{
    private const int Pods = 10_000;
    private const int Images = 50;

    private RegistryProcess registry = null!;
    private RegistryClient client = null!;
    private CosignVerifier verifier = null!;
    private CachingArtifactVerifier warmCache = null!;
    private TrustPolicy policy = null!;
    private string image = "";
    private string[] images = [];
    private long podRequests;

    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    /// <summary>Verifies one signed, attested image with no cache: 6 requests (manifest, .sig, payload, .att, two envelopes) on pooled connections.</summary>
    [Benchmark]
    public Task<ArtifactVerification> ColdVerification() => verifier.VerifyAsync(image, policy, null, CancellationToken.None);

    /// <summary>The same image answered from the cache.</summary>
    [Benchmark]
    public Task<ArtifactVerification> CacheHit() => warmCache.VerifyAsync(image, policy, null, CancellationToken.None);

    /// <summary>10,000 pods over 50 images with an empty cache: 50 verifications, the rest are hits.</summary>
    [Benchmark]
    public async Task<int> TenThousandPodsOnFiftyImages()
    {
        var before = client.RequestCount;
        var cache = new CachingArtifactVerifier(verifier, TimeProvider.System);
        var verified = 0;
        for (var pod = 0; pod < Pods; pod++)
        {
            if ((await cache.VerifyAsync(images[pod % Images], policy, null, CancellationToken.None).ConfigureAwait(false)).Outcome == VerificationOutcome.Verified)
            {
                verified++;
            }
        }

        podRequests = client.RequestCount - before;
        return verified == Pods ? verified : throw new InvalidOperationException($"only {verified} of {Pods} pods verified");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        if (podRequests > 0)
        {
            Console.WriteLine($"// {nameof(TenThousandPodsOnFiftyImages)}: {podRequests} registry requests for {Pods} pods on {Images} images ({podRequests / Images} per image)");
        }

        Dispose();
    }

    /// <summary>Stops the registry process; BenchmarkDotNet calls <see cref="Cleanup"/>, which calls this.</summary>
    public void Dispose()
    {
        client?.Dispose();
        registry?.Dispose();
        GC.SuppressFinalize(this);
    }

    private async Task SetupAsync()
    {
        registry = await RegistryProcess.StartAsync(Path.Combine(Path.GetTempPath(), "aibaseline-bench-" + Guid.NewGuid().ToString("N")));
        using (var pusher = new ImagePusher(registry))
        {
            await SampleUpload.PushAsync(pusher, "bench/hello", ReadVector);
            for (var i = 0; i < Images; i++)
            {
                await SampleUpload.PushAsync(pusher, $"bench/app-{i}", ReadVector);
            }
        }

        image = $"{registry.Host}/bench/hello@{SampleUpload.ImageDigest}";
        images = [.. Enumerable.Range(0, Images).Select(i => $"{registry.Host}/bench/app-{i}@{SampleUpload.ImageDigest}")];
        policy = new TrustPolicy([TrustedKey.FromPem("release", System.Text.Encoding.UTF8.GetString(ReadVector("cosign.pub")))],
            [new AttestationRequirement("https://slsa.dev/provenance/v1", "https://ci.example.invalid/builder@v1")]);
        client = new RegistryClient(new RegistryClientOptions { PlainHttpRegistries = new HashSet<string> { registry.Host } }, TimeProvider.System);
        verifier = new CosignVerifier(client, TimeProvider.System);
        warmCache = new CachingArtifactVerifier(verifier, TimeProvider.System);
        var first = await warmCache.VerifyAsync(image, policy, null, CancellationToken.None);
        if (first.Outcome != VerificationOutcome.Verified)
        {
            throw new InvalidOperationException($"benchmark setup: {first.Reason}: {first.Message}");
        }
    }

    private static byte[] ReadVector(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("vectors/" + name)
            ?? throw new InvalidOperationException($"vector {name} is not embedded");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
