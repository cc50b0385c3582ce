namespace AiBaseline.Provenance;

/// <summary>The CamelCase reasons an <see cref="AiBaseline.Engine.ArtifactVerification"/> carries.</summary>
public static class VerificationReasons
{
    /// <summary>A trusted key signed the artifact and every required attestation verified.</summary>
    public const string Verified = "Verified";
    /// <summary>The reference cannot be parsed.</summary>
    public const string InvalidReference = "InvalidReference";
    /// <summary>The registry has no manifest for the reference.</summary>
    public const string ImageNotFound = "ImageNotFound";
    /// <summary>No cosign signature is stored for the digest.</summary>
    public const string SignatureMissing = "SignatureMissing";
    /// <summary>A signature or payload cannot be decoded.</summary>
    public const string SignatureInvalid = "SignatureInvalid";
    /// <summary>Signatures exist, but none verifies with a trusted key (another key signed, or the bytes were altered).</summary>
    public const string UntrustedSigner = "UntrustedSigner";
    /// <summary>A signed payload names another digest or is not an image signature.</summary>
    public const string PayloadMismatch = "PayloadMismatch";
    /// <summary>A required attestation is absent.</summary>
    public const string AttestationMissing = "AttestationMissing";
    /// <summary>A required attestation is present but unsigned, for another subject, or with the wrong builder.</summary>
    public const string AttestationInvalid = "AttestationInvalid";
    /// <summary>Bytes do not hash to their digest, or a model's declared digest is not the registry's.</summary>
    public const string DigestMismatch = "DigestMismatch";
    /// <summary>The registry sent something that is not a manifest the verifier understands.</summary>
    public const string MalformedArtifact = "MalformedArtifact";
    /// <summary>The registry was unreachable, timed out or answered 429/5xx.</summary>
    public const string RegistryUnavailable = "RegistryUnavailable";
    /// <summary>The registry refused the available credentials.</summary>
    public const string RegistryUnauthorized = "RegistryUnauthorized";
    /// <summary>The trust policy names no keys, so there is nothing to verify against.</summary>
    public const string NoTrustedKeys = "NoTrustedKeys";
    /// <summary>A file the model signature lists is not among the model's files (or, at a registry, the artifact's layers).</summary>
    public const string FileMissing = "FileMissing";
    /// <summary>The model has a file (or, at a registry, a layer) the signature does not list, and no ignore path leaves it out.</summary>
    public const string FileNotSigned = "FileNotSigned";
    /// <summary>A layer of an OCI model artifact is not the file itself (a tar archive, compressed, unnamed), so its digest cannot be compared with the signed file's.</summary>
    public const string LayerNotComparable = "LayerNotComparable";
    /// <summary>The source scheme (s3, pvc, https, …) has no signatures to check online.</summary>
    public const string NotVerifiable = "NotVerifiable";
}
