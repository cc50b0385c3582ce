using System.Collections.Immutable;

namespace AiBaseline.Engine;

/// <summary>What a registry proved about an image or model artifact.</summary>
public enum VerificationOutcome
{
    /// <summary>Signatures and required attestations checked out.</summary>
    Verified,
    /// <summary>The registry answered and the evidence is wrong or missing: the control is not met.</summary>
    Failed,
    /// <summary>The evidence could not be gathered (registry down, scheme not verifiable online): the control is Unknown.</summary>
    Unavailable,
}

/// <summary>The provenance of one image or model artifact, as verified at its registry.</summary>
/// <param name="Reference">The image or model source exactly as the user wrote it.</param>
/// <param name="Digest">The resolved manifest digest, "sha256:&lt;hex&gt;", when known.</param>
/// <param name="Outcome">Whether the evidence verified, failed, or could not be gathered.</param>
/// <param name="Reason">A CamelCase reason, such as SignatureMissing or RegistryUnavailable.</param>
/// <param name="Message">What was found, naming the registry and image, never a secret.</param>
/// <param name="SignedBy">Names of the profile's keys whose signatures verified.</param>
/// <param name="AttestationTypes">Predicate types of the attestations that verified.</param>
/// <param name="VerifiedAt">When the evidence was gathered.</param>
public sealed record ArtifactVerification(
    string Reference,
    string? Digest,
    VerificationOutcome Outcome,
    string Reason,
    string Message,
    ImmutableArray<string> SignedBy,
    ImmutableArray<string> AttestationTypes,
    DateTimeOffset VerifiedAt)
{
    /// <summary>
    /// For a model signature verified at a registry: the digest of the artifact's OCI manifest whose layers were
    /// compared with the signed files (<see cref="Digest"/> is then the signed manifest's). Null elsewhere.
    /// </summary>
    public string? ArtifactDigest { get; init; }
}
