using System.Reflection;
using AiBaseline.Provenance.Sigstore;
using BenchmarkDotNet.Attributes;

namespace AiBaseline.Benchmarks;

/// <summary>
/// One keyless Sigstore bundle (the model-transparency v1.0.1 public-good vector): parse it and verify the
/// signature, the Rekor SET, inclusion proof and checkpoint, the Fulcio chain at signing time, the SCT and the
/// identity. The trusted root is parsed once, as the verifier keeps it. Target: under 2 ms.
/// Run: dotnet run -c Release --project tests/AiBaseline.Benchmarks -- --filter '*SigstoreBenchmarks*'
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class SigstoreBenchmarks
{
    private byte[] bundle = [];
    private SigstorePolicy policy = null!;

    [GlobalSetup]
    public void Setup()
    {
        bundle = Resource("sigstore/model-transparency/v1.0.1-sigstore/model.sig");
        var root = TrustedRoot.Parse(Resource("sigstore/public-good-trusted_root.json"), "public-good-trusted_root.json");
        policy = SigstorePolicy.Keyless(root, [new SigstoreIdentity(Subject: "stefanb@us.ibm.com", Issuer: "https://sigstore.verify.ibm.com/oauth2")]);
        KeylessBundle();
    }

    [Benchmark]
    public SigstoreVerification KeylessBundle() =>
        SigstoreVerifier.Verify(SigstoreBundle.Parse(bundle), policy, null, DateTimeOffset.UtcNow);

    /// <summary>
    /// <c>sigstore-cpu [N]</c>: verifies the bundle N times (default 2000) and prints wall and process CPU time per
    /// verification; on a shared machine the CPU time says what one verification costs when it gets a core.
    /// </summary>
    public static int RunCpuMeasure(string[] args)
    {
        var count = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 2000;
        var benchmark = new SigstoreBenchmarks();
        benchmark.Setup();
        for (var i = 0; i < 200; i++)
        {
            benchmark.KeylessBundle();
        }

        var process = System.Diagnostics.Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var watch = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            benchmark.KeylessBundle();
        }

        watch.Stop();
        process.Refresh();
        var cpuPer = (process.TotalProcessorTime - cpu).TotalMilliseconds / count;
        Console.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"sigstore-cpu: {count} keyless verifications: wall {watch.Elapsed.TotalMilliseconds / count:F3} ms each, process CPU {cpuPer:F3} ms each"));
        return 0;
    }

    private static byte[] Resource(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("vectors/" + name)
            ?? throw new InvalidOperationException($"vectors/{name} is not embedded");
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        return memory.ToArray();
    }
}
