using AiBaseline.Provenance.Oci;
using AiBaseline.Provenance.Signing;

namespace AiBaseline.Provenance.Tests.Support;

/// <summary>Builds verifiers and policies for tests.</summary>
internal static class Verifiers
{
    public static RegistryClientOptions FastRetries(params string[] plainHttp) => new()
    {
        PlainHttpRegistries = new HashSet<string>(plainHttp, StringComparer.OrdinalIgnoreCase),
        MaxRetries = 2,
        RetryBaseDelay = TimeSpan.FromMilliseconds(1),
        RequestTimeout = TimeSpan.FromSeconds(5),
    };

    public static CosignVerifier Over(FakeRegistryHandler handler, TimeProvider? time = null) =>
        new(new RegistryClient(FastRetries(Vectors.Registry), time ?? TimeProvider.System, handler), time ?? TimeProvider.System);

    public static TrustPolicy SampleKey(params AttestationRequirement[] required) =>
        new([TrustedKey.FromPem("release", Vectors.PublicKey)], required);

    /// <summary>A freshly generated P-256 key the sample was not signed with.</summary>
    public static TrustedKey StrangerKey(string name = "stranger")
    {
        using var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        return TrustedKey.FromPem(name, key.ExportSubjectPublicKeyInfoPem());
    }
}
