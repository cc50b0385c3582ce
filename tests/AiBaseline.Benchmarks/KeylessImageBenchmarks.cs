using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using AiBaseline.Api.V1Alpha1;
using AiBaseline.Provenance;
using AiBaseline.Provenance.Signing;
using AiBaseline.Provenance.Tests.Support;
using BenchmarkDotNet.Attributes;

namespace AiBaseline.Benchmarks;

/// <summary>
/// One certificate-signed cosign image signature in the legacy tag format, as the registry's layer annotations
/// give it: the signature over the simple-signing payload, the Rekor-style signed entry timestamp of a log in a
/// private trusted root, the chain to the root's CA at the logged time, the identity, and the payload's digest.
/// The profile's policy is parsed once, as the operator keeps it. Registry round trips are not included.
/// Run: dotnet run -c Release --project tests/AiBaseline.Benchmarks -- --filter '*KeylessImageBenchmarks*'
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class KeylessImageBenchmarks
{
    private const string Digest = "sha256:8a2d898df57047246035e19407fd74f8f37afc29d44febea7e3275b7979f3ba3";

    private byte[] payload = [];
    private Dictionary<string, string> annotations = [];
    private ImmutableArray<CertificateSigner> signers;

    [GlobalSetup]
    public void Setup()
    {
        using var ca = TestCa.Create("bench-ca");
        using var log = new TestLog();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var now = DateTimeOffset.UtcNow;
        var certificate = ca.Issue(key.ExportSubjectPublicKeyInfoPem(), new SignerClaims("release@acme.test", "https://issuer.acme.test"), now.AddMinutes(-5), now.AddHours(1));
        payload = Encoding.UTF8.GetBytes($$"""{"critical":{"identity":{"docker-reference":"registry.acme.test/scorer"},"image":{"docker-manifest-digest":"{{Digest}}"},"type":"cosign container image signature"},"optional":null}""");
        var signature = Convert.ToBase64String(key.SignData(payload, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));
        annotations = new Dictionary<string, string>
        {
            [SimpleSigningCheck.SignatureAnnotation] = signature,
            [KeylessLayerCheck.CertificateAnnotation] = certificate,
            [KeylessLayerCheck.ChainAnnotation] = ca.Pem,
            [KeylessLayerCheck.BundleAnnotation] = log.BundleAnnotation(payload, signature, certificate, now),
        };
        signers = TrustPolicy.FromProfile("bench", new ImagePolicy
        {
            TrustedRoot = TestLog.TrustedRoot([ca], log),
            Identities = [new KeylessIdentity { Subject = "release@acme.test", Issuer = "https://issuer.acme.test" }],
        }).CertificateSigners;
        if (CertificateSignedLayer() != 1)
        {
            throw new InvalidOperationException("the benchmark's signature does not verify");
        }
    }

    [Benchmark]
    public int CertificateSignedLayer() =>
        KeylessLayerCheck.Check(payload, annotations, Digest, signers, DateTimeOffset.UtcNow).Signers.Count;

    /// <summary><c>keyless-image-cpu [N]</c>: N verifications (default 2000); wall and process CPU time per verification.</summary>
    public static int RunCpuMeasure(string[] args)
    {
        var count = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 2000;
        var benchmark = new KeylessImageBenchmarks();
        benchmark.Setup();
        for (var i = 0; i < 200; i++)
        {
            benchmark.CertificateSignedLayer();
        }

        var process = System.Diagnostics.Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var watch = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            benchmark.CertificateSignedLayer();
        }

        watch.Stop();
        process.Refresh();
        var cpuPer = (process.TotalProcessorTime - cpu).TotalMilliseconds / count;
        Console.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"keyless-image-cpu: {count} certificate-signed layers: wall {watch.Elapsed.TotalMilliseconds / count:F3} ms each, process CPU {cpuPer:F3} ms each"));
        return 0;
    }
}
