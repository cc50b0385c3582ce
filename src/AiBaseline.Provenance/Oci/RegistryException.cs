namespace AiBaseline.Provenance.Oci;

/// <summary>Why a registry call did not yield verified bytes.</summary>
public enum RegistryFailure
{
    /// <summary>Unreachable, timed out, 5xx or 429 after the retries: nothing can be concluded.</summary>
    Unavailable,
    /// <summary>The registry refused our credentials (401/403 after the challenge was answered).</summary>
    Unauthorized,
    /// <summary>The registry served bytes whose digest is not the one asked for.</summary>
    DigestMismatch,
    /// <summary>The registry answered with something that is not a manifest the verifier understands.</summary>
    Malformed,
}

/// <summary>A registry call failed; the message names the registry and repository, never a credential.</summary>
public sealed class RegistryException(RegistryFailure failure, string message, Exception? inner = null)
    : Exception(message, inner)
{
    /// <summary>What kind of failure it was.</summary>
    public RegistryFailure Failure { get; } = failure;
}
