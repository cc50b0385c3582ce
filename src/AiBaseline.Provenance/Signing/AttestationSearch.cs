using System.Collections.Immutable;
using System.Text.Json;
using AiBaseline.Provenance.Oci;

namespace AiBaseline.Provenance.Signing;

/// <summary>
/// Reads the cosign attestations for one digest, keeps those a trusted key or certificate signer signed for this subject, adds those
/// verified in Sigstore bundles, and checks the policy's requirements.
/// </summary>
internal sealed class AttestationSearch(RegistryClient registry, ImageReference image, string digest, TrustPolicy policy, RegistryCredentials? credentials, DateTimeOffset now)
{
    public async Task<(ImmutableArray<string> Types, VerificationFailure? Failure)> RunAsync(Task<BundleSearchResult> bundles, CancellationToken ct)
    {
        var verified = new List<VerifiedAttestation>();
        var problems = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var content = await registry.GetManifestAsync(image, Digests.CosignTag(digest, "att"), credentials, ct).ConfigureAwait(false);
        var manifest = content is null ? null : OciManifest.TryParse(content);
        var layers = manifest?.Layers.Where(l => l.MediaType == OciMediaTypes.DsseEnvelope).ToList() ?? [];
        var envelopes = await Task.WhenAll(layers.Select(l => registry.GetBlobAsync(image, l.Digest, credentials, ct))).ConfigureAwait(false);
        for (var i = 0; i < layers.Count; i++)
        {
            var (layer, envelope) = (layers[i], envelopes[i]);
            if (envelope is null)
            {
                continue;
            }

            var (attestation, problem, claimedType) = DsseCheck.Check(envelope.Bytes, digest, policy.Keys);
            if (attestation is null && !policy.CertificateSigners.IsEmpty && layer.Annotations.ContainsKey(KeylessLayerCheck.CertificateAnnotation))
            {
                (attestation, problem) = KeylessLayerCheck.CheckAttestation(envelope.Bytes, layer.Annotations, digest, policy.CertificateSigners, now);
            }

            if (attestation is not null)
            {
                verified.Add(attestation);
            }
            else if ((claimedType ?? layer.Annotations.GetValueOrDefault("predicateType")) is { } type)
            {
                problems.TryAdd(type, problem!);
            }
        }

        verified.AddRange((await bundles.ConfigureAwait(false)).Attestations);
        var types = verified.Select(a => a.PredicateType).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToImmutableArray();
        foreach (var requirement in policy.RequiredAttestations)
        {
            var failure = Check(requirement, verified, problems);
            if (failure is not null)
            {
                return (types, failure);
            }
        }

        return (types, null);
    }

    private VerificationFailure? Check(AttestationRequirement requirement, List<VerifiedAttestation> verified, SortedDictionary<string, string> problems)
    {
        var where = $"image {image.Name}@{digest}";
        var candidates = verified.Where(a => a.PredicateType == requirement.PredicateType).ToList();
        if (candidates.Count == 0)
        {
            return problems.TryGetValue(requirement.PredicateType, out var problem)
                ? new VerificationFailure(VerificationReasons.AttestationInvalid, $"{where}: attestation {requirement.PredicateType} does not verify: {problem}")
                : new VerificationFailure(VerificationReasons.AttestationMissing, $"{where}: registry {image.Registry} holds no attestation {requirement.PredicateType}");
        }

        if (requirement.BuilderId is { } builder && !candidates.Any(a => BuilderId(a.Predicate) == builder))
        {
            var seen = string.Join(", ", candidates.Select(a => BuilderId(a.Predicate) ?? "none").Distinct().Order(StringComparer.Ordinal));
            return new VerificationFailure(VerificationReasons.AttestationInvalid,
                $"{where}: attestation {requirement.PredicateType} names builder {seen}, the policy requires {builder}");
        }

        return null;
    }

    /// <summary>SLSA v0.2 keeps the builder at predicate.builder.id, v1 at predicate.runDetails.builder.id.</summary>
    internal static string? BuilderId(JsonElement predicate)
    {
        if (predicate.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var holder = predicate.TryGetProperty("runDetails", out var run) && run.ValueKind == JsonValueKind.Object ? run : predicate;
        return holder.TryGetProperty("builder", out var b) && b.ValueKind == JsonValueKind.Object
            && b.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null;
    }
}
