using System.Collections.Immutable;
using System.Security.Cryptography;
using AiBaseline.Engine;
using AiBaseline.Provenance.Oci;
using AiBaseline.Provenance.Sigstore;

namespace AiBaseline.Provenance.ModelSigning;

/// <summary>What to verify: a model's oci:// source, its signature as spec.models[] names it, and whom to trust.</summary>
/// <param name="Source">oci://registry/repository[:tag|@digest], as written.</param>
/// <param name="Signature">A path inside the artifact (model.sig) or an oci:// reference to the signature's artifact.</param>
/// <param name="IgnorePaths">Paths of the model that are not signed (spec.models[].ignorePaths).</param>
/// <param name="Signers">The profile's model signers (spec.models.trust).</param>
public sealed record OciModelRequest(string Source, string Signature, ImmutableArray<string> IgnorePaths, ImmutableArray<ModelSigner> Signers);

/// <summary>
/// Verifies an OpenSSF Model Signing signature of a model packaged as an OCI artifact (ModelPack, or ORAS files) at
/// its registry, without downloading weights: it reads the artifact's manifest and the signature's bundle only,
/// verifies the bundle under the trusted signers, and compares each signed file's sha256 with the digest of the
/// layer that holds that file (<see cref="ModelLayer"/>). Evidence: Digest is the signed manifest's digest (as for a
/// local directory), ArtifactDigest the OCI manifest's. Never throws for registry or artifact problems.
/// </summary>
public sealed class OciModelVerifier(RegistryClient registry, TimeProvider time)
{
    private const string OciScheme = "oci://";

    /// <summary>Verifies <paramref name="request"/>.</summary>
    public async Task<ArtifactVerification> VerifyAsync(OciModelRequest request, RegistryCredentials? credentials, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var source = request.Source;
        var model = source.StartsWith(OciScheme, StringComparison.OrdinalIgnoreCase) ? ImageReference.TryParse(source[OciScheme.Length..]) : null;
        if (model is null)
        {
            return Result(request, null, VerificationOutcome.Failed, VerificationReasons.InvalidReference, $"{source}: not an oci://registry/repository[:tag|@digest] reference");
        }

        string? artifactDigest = model.Digest;
        try
        {
            var content = await registry.GetManifestAsync(model, model.ManifestReference, credentials, ct).ConfigureAwait(false);
            if (content is null)
            {
                return Result(request, null, VerificationOutcome.Failed, VerificationReasons.ImageNotFound, $"{source}: registry {model.Registry} has no manifest for {model.ManifestReference}");
            }

            artifactDigest = content.Digest;
            var manifest = OciManifest.TryParse(content);
            if (manifest is null || !manifest.Manifests.IsEmpty || manifest.Layers.IsEmpty)
            {
                return Result(request, artifactDigest, VerificationOutcome.Failed, VerificationReasons.MalformedArtifact,
                    $"{source}: {model.Name}@{artifactDigest} is not a manifest with layers ({manifest?.MediaType ?? "not JSON"}): name the model artifact's own manifest");
            }

            var search = new OciSignatureSearch(registry, credentials);
            var signatureName = request.Signature.Trim();
            SignatureSearchResult found;
            if (signatureName.Contains("://", StringComparison.Ordinal))
            {
                var reference = signatureName.StartsWith(OciScheme, StringComparison.OrdinalIgnoreCase) ? ImageReference.TryParse(signatureName[OciScheme.Length..]) : null;
                if (reference is null)
                {
                    return Result(request, artifactDigest, VerificationOutcome.Unavailable, VerificationReasons.NotVerifiable,
                        $"{source}: signature {signatureName} cannot be read at a registry: name the layer that holds model.sig (a path such as model.sig) or an oci:// artifact that holds the bundle");
                }

                found = await search.AtReferenceAsync(reference, ct).ConfigureAwait(false);
            }
            else
            {
                found = await search.InArtifactAsync(model, artifactDigest, manifest.Layers, ModelLayer.Normalize(signatureName) ?? signatureName, ct).ConfigureAwait(false);
            }

            if (found.Candidates.Count == 0)
            {
                var where = signatureName.Contains("://", StringComparison.Ordinal)
                    ? $"{signatureName} holds no Sigstore bundle"
                    : $"no layer of {model.Name}@{artifactDigest} is {signatureName}, and no Sigstore bundle is attached to it as a referrer";
                return Result(request, artifactDigest, VerificationOutcome.Failed, VerificationReasons.SignatureMissing,
                    $"{source}: {where}{Notes(found.Skipped)}: sign the model with model_signing and push model.sig with its files, or attach it with `oras attach --artifact-type application/vnd.dev.sigstore.bundle.v0.3+json`");
            }

            return Judge(request, model, artifactDigest, manifest, found);
        }
        catch (RegistryException e)
        {
            var (outcome, reason) = e.Failure switch
            {
                RegistryFailure.Unavailable => (VerificationOutcome.Unavailable, VerificationReasons.RegistryUnavailable),
                RegistryFailure.Unauthorized => (VerificationOutcome.Unavailable, VerificationReasons.RegistryUnauthorized),
                RegistryFailure.DigestMismatch => (VerificationOutcome.Failed, VerificationReasons.DigestMismatch),
                _ => (VerificationOutcome.Failed, VerificationReasons.MalformedArtifact),
            };
            return Result(request, artifactDigest, outcome, reason, $"{source}: {e.Message}");
        }
    }

    /// <summary>The first candidate a trusted signer verified, compared with the layers; else why none verified.</summary>
    private ArtifactVerification Judge(OciModelRequest request, ImageReference model, string artifactDigest, OciManifest manifest, SignatureSearchResult found)
    {
        var now = time.GetUtcNow();
        var failures = new List<(string Reason, string Message)>();
        var malformed = new List<string>(found.Skipped);
        foreach (var candidate in found.Candidates)
        {
            SigstoreBundle bundle;
            try
            {
                bundle = SigstoreBundle.Parse(candidate.Bytes);
            }
            catch (SigstoreVerificationException e)
            {
                malformed.Add($"{candidate.Where}: {e.Message}");
                continue;
            }

            if (bundle.Dsse is null)
            {
                malformed.Add($"{candidate.Where}: the bundle has no DSSE envelope, so it is not an OMS model signature");
                continue;
            }

            foreach (var signer in request.Signers)
            {
                SigstoreVerification verification;
                try
                {
                    verification = SigstoreVerifier.Verify(bundle, signer.Policy, null, now);
                }
                catch (SigstoreVerificationException e)
                {
                    failures.Add((e.Reason, $"{candidate.Where}: {(signer.Name is null ? "" : signer.Name + ": ")}{e.Message}"));
                    continue;
                }

                ModelManifest signed;
                try
                {
                    signed = ModelManifest.Parse(verification.Envelope!.Payload);
                }
                catch (FormatException e)
                {
                    malformed.Add($"{candidate.Where}: {e.Message}");
                    break;
                }

                return Compare(request, model, artifactDigest, manifest, found.SignatureLayer, signed, signer.Describe(verification.Signer), now);
            }
        }

        if (failures.Count == 0)
        {
            return Result(request, artifactDigest, VerificationOutcome.Failed, VerificationReasons.MalformedArtifact,
                $"{request.Source}: no OMS model signature found: {string.Join("; ", malformed)}");
        }

        var reason = failures.All(f => f.Reason == failures[0].Reason) ? failures[0].Reason : VerificationReasons.UntrustedSigner;
        return Result(request, artifactDigest, VerificationOutcome.Failed, reason,
            $"{request.Source}: no trusted signer's signature verifies: {string.Join("; ", failures.Select(f => f.Message))}");
    }

    private static ArtifactVerification Compare(OciModelRequest request, ImageReference model, string artifactDigest, OciManifest manifest,
        OciDescriptor? signatureLayer, ModelManifest signed, string signer, DateTimeOffset now)
    {
        var layers = manifest.Layers.Where(l => !ReferenceEquals(l, signatureLayer)).Select(ModelLayer.Of).ToList();
        var ignored = ModelHasher.DefaultIgnored.Concat(request.IgnorePaths.Select(p => ModelLayer.Normalize(p)).OfType<string>()).ToList();
        var comparison = LayerComparison.Compare(signed, layers, ignored);
        var manifestDigest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(signed.Files.Values.SelectMany(Convert.FromHexString).ToArray()));
        var message = comparison.Outcome == VerificationOutcome.Verified
            ? $"{request.Source}: {comparison.Message} ({model.Name}@{artifactDigest}), signed by {signer}"
            : $"{request.Source}: {comparison.Message}; the manifest is signed by {signer}";
        return new ArtifactVerification(request.Source, manifestDigest, comparison.Outcome, comparison.Reason, message, [signer], [], now) { ArtifactDigest = artifactDigest };
    }

    private static string Notes(IReadOnlyList<string> skipped) => skipped.Count == 0 ? "" : $" ({string.Join("; ", skipped)})";

    private ArtifactVerification Result(OciModelRequest request, string? artifactDigest, VerificationOutcome outcome, string reason, string message) =>
        new(request.Source, null, outcome, reason, message, [], [], time.GetUtcNow()) { ArtifactDigest = artifactDigest };
}
