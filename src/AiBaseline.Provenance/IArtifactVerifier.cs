using AiBaseline.Engine;

namespace AiBaseline.Provenance;

/// <summary>Verifies an image or OCI artifact's cosign signatures and attestations against a trust policy.</summary>
public interface IArtifactVerifier
{
    /// <summary>
    /// Verifies <paramref name="reference"/> (as the user wrote it). Never throws for registry or artifact
    /// problems: they come back as Failed (evidence wrong or missing) or Unavailable (evidence not reachable).
    /// </summary>
    Task<ArtifactVerification> VerifyAsync(string reference, TrustPolicy policy, RegistryCredentials? credentials, CancellationToken ct);
}
