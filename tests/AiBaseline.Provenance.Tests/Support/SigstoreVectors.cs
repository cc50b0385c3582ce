using AiBaseline.Provenance.Sigstore;

namespace AiBaseline.Provenance.Tests.Support;

/// <summary>The model-transparency vectors in Vectors/sigstore (see Vectors/README.md).</summary>
internal static class SigstoreVectors
{
    public const string Identity = "stefanb@us.ibm.com";
    public const string Issuer = "https://sigstore.verify.ibm.com/oauth2";

    public static readonly string[] Keyless = ["v1.0.0-sigstore", "v1.0.1-sigstore"];
    public static readonly string[] Chain = ["v1.0.0-certificate", "v1.0.1-certificate"];
    public static readonly string[] Key = ["v1.0.0-elliptic-key", "v1.0.1-elliptic-key"];
    public static readonly string[] All = [.. Keyless, .. Chain, .. Key];

    public static string Dir => Path.Combine(AppContext.BaseDirectory, "Vectors", "sigstore");

    public static string Model(string name) => Path.Combine(Dir, "model-transparency", name);

    public static byte[] Bundle(string name) => File.ReadAllBytes(Path.Combine(Model(name), "model.sig"));

    public static string KeyFile(string name) => Path.Combine(Dir, "model-transparency", "keys", "certificate", name);

    public static TrustedRoot Root => TrustedRoot.Parse(File.ReadAllBytes(Path.Combine(Dir, "public-good-trusted_root.json")), "public-good-trusted_root.json");

    public static SigstorePolicy KeylessPolicy(string subject = Identity, string issuer = Issuer) =>
        SigstorePolicy.Keyless(Root, [new SigstoreIdentity(Subject: subject, Issuer: issuer)]);

    public static SigstorePolicy ChainPolicy(string file = "ca-cert.pem") => SigstorePolicy.CertificateChain([File.ReadAllText(KeyFile(file))]);

    public static SigstorePolicy KeyPolicy() => SigstorePolicy.PublicKey(File.ReadAllText(KeyFile("signing-key-pub.pem")));

    /// <summary>The policy each vector was signed for.</summary>
    public static SigstorePolicy RightPolicy(string name) =>
        Keyless.Contains(name) ? KeylessPolicy() : Chain.Contains(name) ? ChainPolicy() : KeyPolicy();
}
