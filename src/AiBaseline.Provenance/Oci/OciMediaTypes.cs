namespace AiBaseline.Provenance.Oci;

/// <summary>Media types the verifier asks for and reads.</summary>
public static class OciMediaTypes
{
    public const string OciManifest = "application/vnd.oci.image.manifest.v1+json";
    public const string OciIndex = "application/vnd.oci.image.index.v1+json";
    public const string DockerManifest = "application/vnd.docker.distribution.manifest.v2+json";
    public const string DockerManifestList = "application/vnd.docker.distribution.manifest.list.v2+json";
    public const string SimpleSigning = "application/vnd.dev.cosign.simplesigning.v1+json";
    public const string DsseEnvelope = "application/vnd.dsse.envelope.v1+json";
    public const string CosignSignatureArtifact = "application/vnd.dev.cosign.artifact.sig.v1+json";
    public const string SigstoreBundle = "application/vnd.dev.sigstore.bundle.v0.3+json";
    public const string Empty = "application/vnd.oci.empty.v1+json";

    /// <summary>Every manifest kind, so registries (distribution 2.8 among them) serve OCI manifests and indexes.</summary>
    public static readonly IReadOnlyList<string> ManifestAccept = [OciManifest, OciIndex, DockerManifest, DockerManifestList];
}
