using System.Diagnostics;
using System.Globalization;
using System.Text;
using AiBaseline.Provenance.Sigstore;
using AiBaseline.Provenance.Tests.Support;
using BenchmarkDotNet.Attributes;

namespace AiBaseline.Benchmarks;

/// <summary>
/// One bundle dated only by an RFC 3161 timestamp (a test CA's certificate, a DSSE envelope, a BouncyCastle-made
/// timestamp from a test authority): parse it and verify the signature, the timestamp (imprint, authority chain at
/// genTime, CMS signature and ESS certificate id), the chain at genTime and the identity. Root parsed once.
/// Run: dotnet run -c Release --project tests/AiBaseline.Benchmarks -- --filter '*TimestampBenchmarks*', or timestamp-cpu [N].
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class TimestampBenchmarks : IDisposable
{
    private readonly TestCa ca = TestCa.Create("bench-ca");
    private readonly TestTsa tsa = new("bench-tsa", DateTimeOffset.UtcNow.AddYears(-1), DateTimeOffset.UtcNow.AddYears(1));
    private byte[] bundle = [];
    private SigstorePolicy policy = null!;

    [GlobalSetup]
    public void Setup()
    {
        var now = DateTimeOffset.UtcNow;
        var claims = new SignerClaims("release@acme.test", "https://issuer.acme.test");
        using var signer = new TimestampedSigner(ca, claims, now.AddMinutes(-10), now.AddMinutes(10));
        bundle = signer.Bundle(Encoding.UTF8.GetBytes("{\"_type\":\"https://in-toto.io/Statement/v1\"}"), s => [tsa.Timestamp(s, now)]);
        var root = TrustedRoot.Parse(Encoding.UTF8.GetBytes(TestLog.TrustedRoot([ca], null, [tsa.RootEntry()])), "trusted_root.json");
        policy = SigstorePolicy.KeylessUnder(root, [new SigstoreIdentity(Subject: claims.Email, Issuer: claims.Issuer)]);
        TimestampedBundle();
    }

    [Benchmark]
    public SigstoreVerification TimestampedBundle() =>
        SigstoreVerifier.Verify(SigstoreBundle.Parse(bundle), policy, null, DateTimeOffset.UtcNow);

    /// <summary><c>timestamp-cpu [N]</c>: N verifications (default 2000); wall and process CPU time per verification.</summary>
    public static int RunCpuMeasure(string[] args)
    {
        var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 2000;
        using var benchmark = new TimestampBenchmarks();
        benchmark.Setup();
        for (var i = 0; i < 200; i++)
        {
            benchmark.TimestampedBundle();
        }

        var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            benchmark.TimestampedBundle();
        }

        watch.Stop();
        process.Refresh();
        var cpuPer = (process.TotalProcessorTime - cpu).TotalMilliseconds / count;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"timestamp-cpu: {count} timestamped bundles: wall {watch.Elapsed.TotalMilliseconds / count:F3} ms each, process CPU {cpuPer:F3} ms each"));
        return 0;
    }

    public void Dispose()
    {
        ca.Dispose();
        tsa.Dispose();
        GC.SuppressFinalize(this);
    }
}
