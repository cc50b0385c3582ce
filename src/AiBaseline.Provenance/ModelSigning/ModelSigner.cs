using AiBaseline.Provenance.Sigstore;

namespace AiBaseline.Provenance.ModelSigning;

/// <summary>One signer a profile trusts for models: how status names it, and the policy that checks it.</summary>
/// <param name="Name">The key's or chain's name from the profile; null for keyless identities, named by their certificate.</param>
/// <param name="Policy">The Sigstore policy of the signer.</param>
public sealed record ModelSigner(string? Name, SigstorePolicy Policy)
{
    /// <summary>How status names the signer of a verified bundle: the profile's name for it, then the certificate's identity.</summary>
    public string Describe(string verifiedSigner) => Name is null ? verifiedSigner : $"{Name}, {verifiedSigner}";
}
