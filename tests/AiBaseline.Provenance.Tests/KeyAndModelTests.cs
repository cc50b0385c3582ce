using System.Security.Cryptography;
using System.Text;
using AiBaseline.Api.V1Alpha1;
using AiBaseline.Engine;
using AiBaseline.Provenance.Signing;
using AiBaseline.Provenance.Tests.Support;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;

namespace AiBaseline.Provenance.Tests;

/// <summary>Key algorithms cosign can use, the profile's key list, and model sources.</summary>
public sealed class KeyAndModelTests
{
    private static readonly CancellationToken Ct = TestContext.Current.CancellationToken;
    private static readonly byte[] Payload = Encoding.UTF8.GetBytes("{\"critical\":{}}");

    [Fact]
    public void Rsa_pkcs1_sha256_signature_verifies_and_a_changed_payload_does_not()
    {
        using var rsa = RSA.Create(2048);
        var signature = rsa.SignData(Payload, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var key = TrustedKey.FromPem("rsa", rsa.ExportSubjectPublicKeyInfoPem());

        Assert.True(key.Verify(Payload, signature));
        Assert.False(key.Verify([.. Payload, (byte)' '], signature));
    }

    [Fact]
    public void Ed25519_signature_verifies_and_a_changed_payload_does_not()
    {
        var generator = new Ed25519KeyPairGenerator();
        generator.Init(new Ed25519KeyGenerationParameters(new SecureRandom()));
        var pair = generator.GenerateKeyPair();
        var signer = new Ed25519Signer();
        signer.Init(true, pair.Private);
        signer.BlockUpdate(Payload, 0, Payload.Length);
        var signature = signer.GenerateSignature();
        var spki = SubjectPublicKeyInfoFactory.CreateSubjectPublicKeyInfo((Ed25519PublicKeyParameters)pair.Public).GetEncoded();
        using var key = TrustedKey.FromPem("ed", PemEncoding.WriteString("PUBLIC KEY", spki));

        Assert.True(key.Verify(Payload, signature));
        Assert.False(key.Verify([.. Payload, (byte)' '], signature));
    }

    [Fact]
    public void Profile_key_that_is_not_a_public_key_names_the_profile_and_key()
    {
        var images = new ImagePolicy { SignatureKeys = [new SignatureKey { Name = "release", PublicKey = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----" }] };
        var error = Assert.Throws<FormatException>(() => TrustPolicy.FromProfile("strict", images));
        Assert.Equal("BaselineProfile strict: spec.images.signatureKeys: signature key \"release\": publicKey is a PEM \"CERTIFICATE\" block, expected \"PUBLIC KEY\"", error.Message);
    }

    [Fact]
    public void Profile_policy_fingerprint_changes_with_requirements_only()
    {
        ImagePolicy Images(string? builder) => new()
        {
            SignatureKeys = [new SignatureKey { Name = "release", PublicKey = Vectors.PublicKey }],
            RequiredAttestations = [new RequiredAttestation { PredicateType = "https://slsa.dev/provenance/v1", BuilderId = builder }],
        };

        Assert.Equal(TrustPolicy.FromProfile("a", Images("b1")).Fingerprint, TrustPolicy.FromProfile("b", Images("b1")).Fingerprint);
        Assert.NotEqual(TrustPolicy.FromProfile("a", Images("b1")).Fingerprint, TrustPolicy.FromProfile("a", Images("b2")).Fingerprint);
    }

    [Theory]
    [InlineData("s3://models/scorer/v3", "s3")]                  // object storage: no signatures online
    [InlineData("pvc://model-cache/scorer", "pvc")]              // a volume in the cluster
    [InlineData("https://huggingface.co/acme/scorer", "https")]  // a plain download
    public async Task Non_oci_model_sources_are_not_verifiable_never_verified(string source, string scheme)
    {
        var handler = FakeRegistryHandler.WithSampleImage();
        var result = await new ModelArtifactVerifier(Verifiers.Over(handler), TimeProvider.System).VerifyAsync(source, "sha256:" + new string('a', 64), Verifiers.SampleKey(), null, Ct);

        Assert.Equal(VerificationOutcome.Unavailable, result.Outcome);
        Assert.Equal(VerificationReasons.NotVerifiable, result.Reason);
        Assert.Contains($"scheme {scheme} has no signatures to verify online", result.Message, StringComparison.Ordinal);
        Assert.Equal(0, handler.Requests);
    }

    [Fact]
    public async Task Oci_model_with_matching_declared_digest_is_verified_like_an_image()
    {
        var source = "oci://127.0.0.1:5000/demo/hello:v1";
        var result = await new ModelArtifactVerifier(Verifiers.Over(FakeRegistryHandler.WithSampleImage()), TimeProvider.System)
            .VerifyAsync(source, Vectors.ImageDigest, Verifiers.SampleKey(), null, Ct);

        Assert.Equal(VerificationOutcome.Verified, result.Outcome);
        Assert.Equal(source, result.Reference);
        Assert.Equal(["release"], result.SignedBy);
    }

    [Fact]
    public async Task Oci_model_whose_declared_digest_differs_from_the_registry_is_a_digest_mismatch()
    {
        var declared = "sha256:" + new string('c', 64);
        var result = await new ModelArtifactVerifier(Verifiers.Over(FakeRegistryHandler.WithSampleImage()), TimeProvider.System)
            .VerifyAsync("oci://127.0.0.1:5000/demo/hello:v1", declared, Verifiers.SampleKey(), null, Ct);

        Assert.Equal(VerificationOutcome.Failed, result.Outcome);
        Assert.Equal(VerificationReasons.DigestMismatch, result.Reason);
        Assert.Equal($"model oci://127.0.0.1:5000/demo/hello:v1: declared digest {declared}, the registry serves {Vectors.ImageDigest}", result.Message);
        Assert.Empty(result.SignedBy);
    }
}
