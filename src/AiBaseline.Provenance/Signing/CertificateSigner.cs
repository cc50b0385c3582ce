using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using AiBaseline.Api.V1Alpha1;
using AiBaseline.Provenance.Sigstore;

namespace AiBaseline.Provenance.Signing;

/// <summary>
/// A signer trusted through a certificate: keyless identities under a Sigstore trusted root, or a private PKI's
/// chain (optionally narrowed to identities). <see cref="Fingerprint"/> covers the trust material and identities.
/// </summary>
/// <param name="Name">The chain's name from the profile; null for keyless identities, which status names by their certificate.</param>
/// <param name="Policy">The Sigstore policy that checks the certificate, its chain, logs and identity.</param>
/// <param name="Fingerprint">A hash of the trust material and identities, for cache keys.</param>
public sealed record CertificateSigner(string? Name, SigstorePolicy Policy, string Fingerprint)
{
    /// <summary>
    /// The certificate signers of a profile's spec.images: each certificate chain (with the identities, when any), and
    /// the identities under trustedRoot, or under the public-good root when neither trustedRoot nor a chain is set.
    /// </summary>
    /// <exception cref="FormatException">A chain, identity or trusted root is unusable; the message names the field.</exception>
    public static ImmutableArray<CertificateSigner> FromProfile(ImagePolicy images)
    {
        ArgumentNullException.ThrowIfNull(images);
        var identities = (images.Identities ?? []).Select((d, i) => Field($"spec.images.identities[{i}]", () =>
        {
            var identity = SigstoreIdentity.FromProfile(d);
            identity.Validate();
            return identity;
        })).ToImmutableArray();
        var signers = ImmutableArray.CreateBuilder<CertificateSigner>();
        foreach (var (chain, i) in (images.CertificateChains ?? []).Select((c, i) => (c, i)))
        {
            var policy = Field($"spec.images.certificateChains[{i}]", () => SigstorePolicy.CertificateChain([chain.Certificates], identities));
            signers.Add(new CertificateSigner(chain.Name, policy, Hash("chain", chain.Name, chain.Certificates, policy.Description)));
        }

        if (images.TrustedRoot is { } rootJson)
        {
            if (identities.IsEmpty)
            {
                throw new FormatException("spec.images.trustedRoot: name the identities it certifies in spec.images.identities");
            }

            var root = Field("spec.images.trustedRoot", () => TrustedRoot.Parse(Encoding.UTF8.GetBytes(rootJson), "spec.images.trustedRoot"));
            var policy = Field("spec.images.identities", () => SigstorePolicy.KeylessUnder(root, identities));
            signers.Add(new CertificateSigner(null, policy, Hash("root", rootJson, policy.Description)));
        }
        else if (!identities.IsEmpty && signers.Count == 0)
        {
            var policy = Field("spec.images.identities", () => SigstorePolicy.Keyless(TrustedRoot.PublicGood, identities));
            signers.Add(new CertificateSigner(null, policy, Hash("public-good", policy.Description)));
        }

        return signers.ToImmutable();
    }

    /// <summary>How status names a signer verified through this policy.</summary>
    internal string Describe(string certificateSigner) => Name is null ? certificateSigner : $"{Name}: {certificateSigner}";

    private static string Hash(params string[] parts) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', parts))))[..32];

    private static T Field<T>(string field, Func<T> make)
    {
        try
        {
            return make();
        }
        catch (FormatException e)
        {
            throw new FormatException($"{field}: {e.Message}", e);
        }
    }
}
