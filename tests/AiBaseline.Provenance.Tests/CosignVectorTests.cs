using System.Text;
using AiBaseline.Engine;
using AiBaseline.Provenance.Oci;
using AiBaseline.Provenance.Signing;
using AiBaseline.Provenance.Tests.Support;

namespace AiBaseline.Provenance.Tests;

/// <summary>The verifier against the exact bytes cosign 2.5 wrote to a registry, served offline.</summary>
public sealed class CosignVectorTests
{
    private static readonly CancellationToken Ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Sample_image_signed_by_the_trusted_key_is_verified_with_both_attestation_types()
    {
        var result = await Verifiers.Over(FakeRegistryHandler.WithSampleImage()).VerifyAsync(Vectors.Image, Verifiers.SampleKey(), null, Ct);

        Assert.Equal(VerificationOutcome.Verified, result.Outcome);
        Assert.Equal(VerificationReasons.Verified, result.Reason);
        Assert.Equal(Vectors.ImageDigest, result.Digest);
        Assert.Equal(["release"], result.SignedBy);
        Assert.Equal(["https://slsa.dev/provenance/v0.2", "https://slsa.dev/provenance/v1"], result.AttestationTypes);
        Assert.Equal(Vectors.Image, result.Reference);
    }

    [Fact]
    public async Task Tag_is_resolved_to_the_digest_for_the_report_and_the_reference_is_kept_as_written()
    {
        var reference = "127.0.0.1:5000/demo/hello:v1";
        var result = await Verifiers.Over(FakeRegistryHandler.WithSampleImage()).VerifyAsync(reference, Verifiers.SampleKey(), null, Ct);

        Assert.Equal(VerificationOutcome.Verified, result.Outcome);
        Assert.Equal(reference, result.Reference);
        Assert.Equal(Vectors.ImageDigest, result.Digest);
    }

    [Fact]
    public async Task Only_the_matching_key_is_named_when_the_policy_holds_several()
    {
        var policy = new TrustPolicy([Verifiers.StrangerKey("other"), TrustedKey.FromPem("release", Vectors.PublicKey)]);
        var result = await Verifiers.Over(FakeRegistryHandler.WithSampleImage()).VerifyAsync(Vectors.Image, policy, null, Ct);

        Assert.Equal(VerificationOutcome.Verified, result.Outcome);
        Assert.Equal(["release"], result.SignedBy);
    }

    [Fact]
    public async Task Another_key_is_an_untrusted_signer_and_the_message_names_the_registry_and_trusted_keys()
    {
        var result = await Verifiers.Over(FakeRegistryHandler.WithSampleImage()).VerifyAsync(Vectors.Image, new TrustPolicy([Verifiers.StrangerKey()]), null, Ct);

        Assert.Equal(VerificationOutcome.Failed, result.Outcome);
        Assert.Equal(VerificationReasons.UntrustedSigner, result.Reason);
        Assert.Contains("127.0.0.1:5000/demo/hello@" + Vectors.ImageDigest, result.Message, StringComparison.Ordinal);
        Assert.Contains("(stranger)", result.Message, StringComparison.Ordinal);
        Assert.Empty(result.SignedBy);
    }

    [Fact]
    public async Task Missing_sig_tag_is_signature_missing()
    {
        var handler = FakeRegistryHandler.WithSampleImage();
        handler.RemoveManifest(Digests.CosignTag(Vectors.ImageDigest, "sig"));
        var result = await Verifiers.Over(handler).VerifyAsync(Vectors.Image, Verifiers.SampleKey(), null, Ct);

        Assert.Equal(VerificationOutcome.Failed, result.Outcome);
        Assert.Equal(VerificationReasons.SignatureMissing, result.Reason);
        Assert.Contains(Digests.CosignTag(Vectors.ImageDigest, "sig"), result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Registry_serving_altered_payload_bytes_is_a_digest_mismatch()
    {
        var handler = FakeRegistryHandler.WithSampleImage();
        var payload = Vectors.Bytes("sig-payload.json");
        var altered = (byte[])payload.Clone();
        altered[^3] ^= 1;
        handler.ReplaceBlob(Digests.Sha256(payload), altered);
        var result = await Verifiers.Over(handler).VerifyAsync(Vectors.Image, Verifiers.SampleKey(), null, Ct);

        Assert.Equal(VerificationOutcome.Failed, result.Outcome);
        Assert.Equal(VerificationReasons.DigestMismatch, result.Reason);
        Assert.Contains("registry 127.0.0.1:5000", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Simple_signing_payload_verifies_and_a_one_bit_change_does_not()
    {
        var payload = Vectors.Bytes("sig-payload.json");
        var signature = Vectors.Text("sig-manifest.json").Split("cosign/signature\":\"")[1].Split('"')[0];
        using var key = TrustedKey.FromPem("release", Vectors.PublicKey);

        var (verdict, keys) = SimpleSigningCheck.Check(payload, signature, Vectors.ImageDigest, [key]);
        Assert.Equal(LayerVerdict.Verified, verdict);
        Assert.Equal(["release"], keys);

        var tampered = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(payload).Replace("demo/hello", "demo/hellp", StringComparison.Ordinal));
        Assert.Equal(LayerVerdict.UntrustedSigner, SimpleSigningCheck.Check(tampered, signature, Vectors.ImageDigest, [key]).Verdict);
    }

    [Fact]
    public void A_signature_for_another_digest_is_a_payload_mismatch_even_though_it_verifies()
    {
        var payload = Vectors.Bytes("sig-payload.json");
        var signature = Vectors.Text("sig-manifest.json").Split("cosign/signature\":\"")[1].Split('"')[0];
        using var key = TrustedKey.FromPem("release", Vectors.PublicKey);

        var other = "sha256:" + new string('1', 64);
        Assert.Equal(LayerVerdict.PayloadMismatch, SimpleSigningCheck.Check(payload, signature, other, [key]).Verdict);
    }

    [Fact]
    public void Skopeo_made_signature_with_optional_fields_verifies()
    {
        var payload = Vectors.Bytes("skopeo-sig-payload.json");
        var signature = Vectors.Text("skopeo-sig-manifest.json").Split("cosign/signature\":\"")[1].Split('"')[0];
        using var key = TrustedKey.FromPem("release", Vectors.PublicKey);

        Assert.Equal(LayerVerdict.Verified, SimpleSigningCheck.Check(payload, signature, Vectors.ImageDigest, [key]).Verdict);
    }

    [Fact]
    public void Signature_that_is_not_base64_is_invalid_not_untrusted()
    {
        using var key = TrustedKey.FromPem("release", Vectors.PublicKey);
        Assert.Equal(LayerVerdict.SignatureInvalid, SimpleSigningCheck.Check(Vectors.Bytes("sig-payload.json"), "%%%", Vectors.ImageDigest, [key]).Verdict);
    }

    [Fact]
    public async Task Referrers_fallback_tag_written_by_cosign_oci11_mode_is_found()
    {
        var handler = FakeRegistryHandler.WithSampleImage();
        handler.RemoveManifest(Digests.CosignTag(Vectors.ImageDigest, "sig"));
        handler.AddManifest(Vectors.Bytes("referrers-tag-index.json"), OciMediaTypes.OciIndex, Vectors.ImageDigest.Replace(':', '-'));
        handler.AddManifest(Vectors.Bytes("referrers-sig-manifest.json"), OciMediaTypes.OciManifest);
        handler.AddBlob(Vectors.Bytes("referrers-sig-payload.json"));
        var result = await Verifiers.Over(handler).VerifyAsync(Vectors.Image, Verifiers.SampleKey(), null, Ct);

        Assert.Equal(VerificationOutcome.Verified, result.Outcome);
        Assert.Equal(["release"], result.SignedBy);
    }

    [Fact]
    public async Task Unknown_image_is_image_not_found()
    {
        var result = await Verifiers.Over(FakeRegistryHandler.WithSampleImage())
            .VerifyAsync("127.0.0.1:5000/demo/hello@sha256:" + new string('0', 64), Verifiers.SampleKey(), null, Ct);

        Assert.Equal(VerificationOutcome.Failed, result.Outcome);
        Assert.Equal(VerificationReasons.ImageNotFound, result.Reason);
    }

    [Fact]
    public async Task Invalid_reference_fails_without_contacting_any_registry()
    {
        var handler = FakeRegistryHandler.WithSampleImage();
        var result = await Verifiers.Over(handler).VerifyAsync("Not A Reference!", Verifiers.SampleKey(), null, Ct);

        Assert.Equal(VerificationReasons.InvalidReference, result.Reason);
        Assert.Equal(0, handler.Requests);
    }

    [Fact]
    public async Task Policy_without_keys_is_unavailable_never_verified()
    {
        var result = await Verifiers.Over(FakeRegistryHandler.WithSampleImage()).VerifyAsync(Vectors.Image, new TrustPolicy([]), null, Ct);

        Assert.Equal(VerificationOutcome.Unavailable, result.Outcome);
        Assert.Equal(VerificationReasons.NoTrustedKeys, result.Reason);
    }
}
