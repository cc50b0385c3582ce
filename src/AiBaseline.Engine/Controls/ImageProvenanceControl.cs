using System.Collections.Immutable;
using AiBaseline.Api.V1Alpha1;

namespace AiBaseline.Engine.Controls;

/// <summary>
/// ImageProvenance: the serving pods run only images whose origin is known and checked.
/// <para>Reads: the workload's pod template spec.initContainers[*].image, spec.containers[*].image and
/// spec.ephemeralContainers[*].image; profile spec.images (requireDigest, trustedRegistries, signatureKeys,
/// identities, certificateChains, requiredAttestations); the snapshot's registry provenance, keyed by the image reference as written.</para>
/// <para>Passes when every image is pinned by a well-formed digest (image@sha256:&lt;64 hex&gt;) unless
/// requireDigest is false; comes from a registry or repository prefix on trustedRegistries (any registry when
/// the list is empty; a bare name means docker.io/library/); and, when the profile names signers (keys, keyless identities,
/// certificate chains) or required attestations, the registry evidence verified with every required predicate type present.
/// Not pinned, untrusted or failed evidence is NotMet even when other images could not be checked.</para>
/// <para>Serves EN 304 223 5.2.1-2 (secure supply chain), 5.2.3-1 (components from trusted sources) and
/// 5.2.3-2 (verify integrity of components).</para>
/// </summary>
public sealed class ImageProvenanceControl : IControl
{
    /// <summary>Every image is verified at its registry, pinned and trusted.</summary>
    public const string VerifiedReason = "Verified";

    /// <summary>Every image meets the digest and registry rules; the profile asks for no signatures.</summary>
    public const string AcceptedReason = "Accepted";

    /// <summary>An image is referenced by tag only, or its digest is malformed.</summary>
    public const string DigestMissingReason = "DigestMissing";

    /// <summary>An image comes from a registry or repository not on spec.images.trustedRegistries.</summary>
    public const string UntrustedRegistryReason = "UntrustedRegistry";

    /// <summary>A container has no image.</summary>
    public const string ImageMissingReason = "ImageMissing";

    /// <summary>The image verified, but an attestation the profile requires is missing.</summary>
    public const string AttestationMissingReason = "AttestationMissing";

    /// <summary>The registry resolved the reference to another digest than the one it is pinned to.</summary>
    public const string DigestMismatchReason = "DigestMismatch";

    /// <summary>The profile requires signatures, but nobody checked them.</summary>
    public const string SignatureNotCheckedReason = "SignatureNotChecked";

    /// <summary>Fallback for registry evidence that failed without a reason of its own.</summary>
    public const string VerificationFailedReason = "VerificationFailed";

    /// <summary>Fallback for registry evidence that could not be gathered without a reason of its own.</summary>
    public const string VerificationUnavailableReason = "VerificationUnavailable";

    public string Name => "ImageProvenance";

    public string ConditionType => ConditionTypes.ImageProvenanceVerified;

    public ImmutableArray<string> Provisions { get; } = ["5.2.1-2", "5.2.3-1", "5.2.3-2"];

    public ControlOutcome Evaluate(EvaluationContext context)
    {
        if (context.WorkloadGate() is { } gate)
        {
            return gate;
        }

        var pod = context.Snapshot.Workload!.Template.Spec;
        var rules = new Rules(context.Profile.Images, context.Snapshot.Provenance);
        var findings = new FindingSet();
        var count = 0;
        foreach (var container in pod?.InitContainers ?? [])
        {
            rules.Check("init container", container.Name, container.Image, findings);
            count++;
        }

        foreach (var container in pod?.Containers ?? [])
        {
            rules.Check("container", container.Name, container.Image, findings);
            count++;
        }

        foreach (var container in pod?.EphemeralContainers ?? [])
        {
            rules.Check("ephemeral container", container.Name, container.Image, findings);
            count++;
        }

        if (findings.Outcome() is { } problem)
        {
            return problem;
        }

        var what = count == 1 ? "the image is" : $"all {count} images are";
        return rules.RequireProvenance
            ? ControlOutcome.Met(VerifiedReason, $"{what} {rules.Describe()} and verified at the registry")
            : ControlOutcome.Met(AcceptedReason, $"{what} {rules.Describe()}; the profile requires no signatures");
    }

    /// <summary>The profile's image rules, resolved once per evaluation.</summary>
    private sealed class Rules(ImagePolicy policy, ImmutableDictionary<string, ArtifactVerification>? provenance)
    {
        private readonly string[] trusted = Prefixes(policy.TrustedRegistries);

        public bool RequireProvenance { get; } = policy.RequiresProvenance();

        public string Describe() => (policy.RequireDigest, trusted.Length > 0) switch
        {
            (true, true) => "pinned by digest from trusted registries",
            (true, false) => "pinned by digest",
            (false, true) => "from trusted registries",
            (false, false) => "accepted as written",
        };

        public void Check(string kind, string container, string? image, FindingSet findings)
        {
            var where = new Site(kind, container);
            if (string.IsNullOrWhiteSpace(image))
            {
                findings.NotMet(ImageMissingReason, $"{where}: no image is set");
                return;
            }

            var reference = ImageReference.Parse(image);
            var pinned = reference.Digest is { } digest && Digests.IsWellFormed(digest);
            if (policy.RequireDigest && !pinned)
            {
                var why = reference.Digest is null ? "is not pinned by digest" : "has a malformed digest";
                findings.NotMet(DigestMissingReason, $"{where}: image {image} {why}: reference it as {reference.Repository}@sha256:<64 hex digits>");
            }

            if (trusted.Length > 0 && !IsTrusted(reference.Repository))
            {
                findings.NotMet(UntrustedRegistryReason, $"{where}: image {image} ({reference.Repository}) is not under spec.images.trustedRegistries [{string.Join(", ", trusted)}]: pull it from a trusted registry or add its registry to the profile");
            }

            if (RequireProvenance)
            {
                CheckProvenance(where, image, pinned ? reference.Digest : null, findings);
            }
        }

        private bool IsTrusted(string repository)
        {
            foreach (var prefix in trusted)
            {
                if (ImageReference.IsUnder(repository, prefix))
                {
                    return true;
                }
            }

            return false;
        }

        private void CheckProvenance(Site where, string image, string? pinnedDigest, FindingSet findings)
        {
            if (provenance is null || !provenance.TryGetValue(image, out var evidence))
            {
                findings.Unknown(SignatureNotCheckedReason, $"{where}: signatures of image {image} were not checked: run the operator with registry access or `aibaseline audit --verify`");
                return;
            }

            switch (evidence.Outcome)
            {
                case VerificationOutcome.Failed:
                    findings.NotMet(OrDefault(evidence.Reason, VerificationFailedReason), $"{where}: {evidence.Message}");
                    return;
                case VerificationOutcome.Unavailable:
                    findings.Unknown(OrDefault(evidence.Reason, VerificationUnavailableReason), $"{where}: {evidence.Message}");
                    return;
            }

            if (pinnedDigest is not null && evidence.Digest is { } resolved && !string.Equals(pinnedDigest, resolved, StringComparison.Ordinal))
            {
                findings.NotMet(DigestMismatchReason, $"{where}: image {image} resolved to {resolved} at the registry, not the pinned digest");
            }

            foreach (var required in policy.RequiredAttestations ?? [])
            {
                if (evidence.AttestationTypes.IsDefault || evidence.AttestationTypes.IndexOf(required.PredicateType, StringComparer.Ordinal) < 0)
                {
                    findings.NotMet(AttestationMissingReason, $"{where}: image {image} has no verified attestation of type {required.PredicateType}: attest it with a trusted key");
                }
            }
        }

        private static string[] Prefixes(List<string>? entries)
        {
            if (entries is not { Count: > 0 })
            {
                return [];
            }

            var prefixes = new List<string>(entries.Count);
            foreach (var entry in entries)
            {
                if (!string.IsNullOrWhiteSpace(entry))
                {
                    prefixes.Add(ImageReference.NormalisePrefix(entry));
                }
            }

            return [.. prefixes];
        }

        private static string OrDefault(string reason, string fallback) => string.IsNullOrEmpty(reason) ? fallback : reason;
    }

    /// <summary>Names a container in messages; formatted only when there is something to report.</summary>
    private readonly record struct Site(string Kind, string Container)
    {
        public override string ToString() => $"{Kind} {Container}";
    }
}
