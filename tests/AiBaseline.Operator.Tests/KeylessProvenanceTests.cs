using AiBaseline.Api.V1Alpha1;
using AiBaseline.Engine.Controls;
using AiBaseline.Provenance;
using AiBaseline.Provenance.Oci;
using AiBaseline.Provenance.Tests.Support;

namespace AiBaseline.Operator.Tests;

/// <summary>
/// The operator with the real verifier: the compliant example's images and model on a real registry, signed by real
/// cosign with a certificate from a test CA, and a profile that trusts the CA's chain and the signer's identity.
/// </summary>
public sealed class KeylessProvenanceTests : IAsyncDisposable
{
    private const string Serving = "llm-serving";
    private const string Chat = "llama-chat";
    private const string Email = "release@acme.test";
    private const string Issuer = "https://issuer.acme.test";

    private static readonly string[] ExampleReferences =
    [
        "registry.acme.example/models/llama-3.1-8b-instruct@sha256:3f1c9a7e5b2d4c6f8a0e1b3d5c7f9a2b4d6e8f0a1c3e5b7d9f2a4c6e8b0d1f3a",
        "registry.acme.example/ml-platform/model-puller@sha256:9b2e4d6f8a0c1e3b5d7f9a2c4e6b8d0f1a3c5e7b9d2f4a6c8e0b1d3f5a7c9e2b",
        "registry.acme.example/mirror/vllm/vllm-openai@sha256:c4a8e2f6b0d3a7c1e5f9b2d6a0c4e8f1b5d9a3c7e0f4b8d2a6c1e5f9b3d7a0c4",
    ];

    private readonly DirectoryInfo dir = Directory.CreateTempSubdirectory("aibaseline-keyless-operator-");
    private RegistryProcess? registry;

    [Fact]
    public async Task Certificate_signed_images_make_provenance_True_with_the_signer_identity_in_status()
    {
        var (image, ca) = await SignedImageAsync();
        using (ca)
        {
            await using var cluster = await OperatorFixture.StartAsync();
            ApplyExample(cluster, image, $"""
                    identities:
                    - subject: {Email}
                      issuer: {Issuer}
                    certificateChains:
                    - name: release-ca
                      certificates: |
                {Indent(ca.Pem, 8)}
                """);
            var verifier = new CosignVerifier(new RegistryClient(new RegistryClientOptions { MaxRetries = 0, PlainHttpRegistries = new HashSet<string> { registry!.Host } }, TimeProvider.System), TimeProvider.System);
            await cluster.StartOperatorAsync(verifier);

            await OperatorFixture.EventuallyAsync(() => cluster.Condition(Serving, Chat, ConditionTypes.ImageProvenanceVerified)?.Status == "True", "ImageProvenanceVerified True", 60);
            var condition = cluster.Condition(Serving, Chat, ConditionTypes.ImageProvenanceVerified)!;
            Assert.Equal(ImageProvenanceControl.VerifiedReason, condition.Reason);
            var status = cluster.Get(Serving, Chat)!.Status!;
            var entry = Assert.Single(status.Images!, i => i.Container == "vllm");
            Assert.Equal(image.Split('@')[1], entry.Digest);
            Assert.Equal([$"release-ca: {Email} from {Issuer}"], entry.SignedBy!);
            Assert.NotNull(entry.VerifiedAt);
        }
    }

    public async ValueTask DisposeAsync()
    {
        registry?.Dispose();
        await Task.Yield();
        dir.Delete(recursive: true);
    }

    /// <summary>One image on a fresh registry, signed by cosign with a key certified by a new test CA.</summary>
    private async Task<(string Image, TestCa Ca)> SignedImageAsync()
    {
        registry = await RegistryProcess.StartAsync(Path.Combine(dir.FullName, "registry"));
        using var pusher = new ImagePusher(registry);
        var (digest, _) = await pusher.PushImageAsync("demo/scorer", "v1", "scorer");
        var image = $"{registry.Host}/demo/scorer@{digest}";
        var cosign = new Cosign(dir.FullName);
        var (key, publicPem) = await cosign.GenerateKeyPairAsync("release");
        var ca = TestCa.Create("release-ca");
        var now = DateTimeOffset.UtcNow;
        var certificate = Path.Combine(dir.FullName, "signer.crt");
        var chain = Path.Combine(dir.FullName, "ca.pem");
        await File.WriteAllTextAsync(certificate, ca.Issue(publicPem, new SignerClaims(Email, Issuer), now.AddMinutes(-5), now.AddHours(1)));
        await File.WriteAllTextAsync(chain, ca.Pem);
        await cosign.SignWithCertificateAsync(key, certificate, chain, image);
        return (image, ca);
    }

    /// <summary>The shipped profile and compliant example, with every image and the model at <paramref name="image"/> and the profile's images section extended.</summary>
    private void ApplyExample(OperatorFixture cluster, string image, string imagesYaml)
    {
        var examples = Path.Combine(AppContext.BaseDirectory, "examples");
        var profile = File.ReadAllText(Path.Combine(examples, "profiles", "default.yaml"))
            .Replace("    - registry.acme.example/\n", $"    - {registry!.Host}/\n{imagesYaml}\n", StringComparison.Ordinal);
        cluster.Server.CreateFromYaml(profile, ApiGroup.KindTypes());
        foreach (var file in Directory.GetFiles(Path.Combine(examples, "llm-inference-compliant"), "*.yaml").Order(StringComparer.Ordinal))
        {
            var text = File.ReadAllText(file);
            foreach (var reference in ExampleReferences)
            {
                text = text.Replace(reference, image, StringComparison.Ordinal).Replace(reference.Split('@')[1], image.Split('@')[1], StringComparison.Ordinal);
            }

            cluster.Server.CreateFromYaml(text, ApiGroup.KindTypes());
        }
    }

    private static string Indent(string text, int spaces) =>
        string.Join("\n", text.Trim().Split('\n').Select(line => new string(' ', spaces) + line));
}
