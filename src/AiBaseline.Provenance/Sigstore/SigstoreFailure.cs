namespace AiBaseline.Provenance.Sigstore;

/// <summary>Why a Sigstore bundle did not verify: one CamelCase reason per kind of failure.</summary>
public static class SigstoreReasons
{
    /// <summary>The bundle or trusted root is not JSON of the expected shape, or uses an unsupported version.</summary>
    public const string MalformedBundle = "MalformedBundle";
    /// <summary>The signing certificate does not chain to a certificate authority trusted at signing time.</summary>
    public const string UntrustedChain = "UntrustedChain";
    /// <summary>The certificate was not valid at a time the transparency log or an RFC 3161 timestamp recorded for the signature.</summary>
    public const string ExpiredAtSigning = "ExpiredAtSigning";
    /// <summary>The certificate has no signed certificate timestamp that a trusted CT log key verifies.</summary>
    public const string InvalidSct = "InvalidSct";
    /// <summary>The bundle has no transparency log entry, or none from a log in the trusted root.</summary>
    public const string MissingTlogEntry = "MissingTlogEntry";
    /// <summary>The trusted root dates signatures by RFC 3161 timestamps only, and the bundle has none.</summary>
    public const string MissingTimestamp = "MissingTimestamp";
    /// <summary>An RFC 3161 timestamp's message imprint is not the hash of the bundle's signature.</summary>
    public const string TimestampMismatch = "TimestampMismatch";
    /// <summary>An RFC 3161 timestamp is not signed by a timestamp authority of the trusted root valid at its time, or the authority's chain does not verify.</summary>
    public const string UntrustedTimestampAuthority = "UntrustedTimestampAuthority";
    /// <summary>An RFC 3161 timestamp cannot be read, its signature does not verify, or the authority's certificate was not valid (or not for time stamping) at its time.</summary>
    public const string InvalidTimestamp = "InvalidTimestamp";
    /// <summary>The signed entry timestamp does not verify with the log's key.</summary>
    public const string InvalidSignedEntryTimestamp = "InvalidSignedEntryTimestamp";
    /// <summary>The inclusion proof does not lead to the root hash, or the checkpoint is not signed by the log.</summary>
    public const string InvalidInclusionProof = "InvalidInclusionProof";
    /// <summary>The log entry's body is for another signature, certificate or artifact.</summary>
    public const string TlogEntryMismatch = "TlogEntryMismatch";
    /// <summary>The signature does not verify over the artifact with the signer's key.</summary>
    public const string SignatureMismatch = "SignatureMismatch";
    /// <summary>The certificate's identity or issuer is not one the policy trusts.</summary>
    public const string IdentityMismatch = "IdentityMismatch";
    /// <summary>The bundle is signed with a key the policy does not trust, or the policy expects another kind of signer.</summary>
    public const string UntrustedKey = "UntrustedKey";
}

/// <summary>A bundle that did not verify; <see cref="Reason"/> is one of <see cref="SigstoreReasons"/>.</summary>
public sealed class SigstoreVerificationException(string reason, string message) : Exception(message)
{
    /// <summary>The CamelCase reason.</summary>
    public string Reason { get; } = reason;

    internal static SigstoreVerificationException Malformed(string message) => new(SigstoreReasons.MalformedBundle, message);
}
