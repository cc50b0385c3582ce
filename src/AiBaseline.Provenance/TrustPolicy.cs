using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using AiBaseline.Api.V1Alpha1;
using AiBaseline.Provenance.Signing;

namespace AiBaseline.Provenance;

/// <summary>An attestation an artifact must carry, signed by a trusted key.</summary>
/// <param name="PredicateType">The in-toto predicate type, such as https://slsa.dev/provenance/v1.</param>
/// <param name="BuilderId">When set, the SLSA builder id the predicate must name.</param>
public sealed record AttestationRequirement(string PredicateType, string? BuilderId = null);

/// <summary>
/// Whom to trust: the signature keys, the certificate signers (keyless identities, private chains) and the
/// attestations every artifact needs. Keys and trust roots are parsed once here;
/// <see cref="Fingerprint"/> identifies the policy's content, so results are cached per policy.
/// </summary>
public sealed class TrustPolicy
{
    /// <summary>Creates a policy; key names must be unique.</summary>
    public TrustPolicy(IEnumerable<TrustedKey> keys, IEnumerable<AttestationRequirement>? requiredAttestations = null, IEnumerable<CertificateSigner>? certificateSigners = null)
    {
        Keys = [.. keys.OrderBy(k => k.Name, StringComparer.Ordinal)];
        CertificateSigners = [.. certificateSigners ?? []];
        RequiredAttestations = [.. (requiredAttestations ?? []).OrderBy(a => a.PredicateType, StringComparer.Ordinal).ThenBy(a => a.BuilderId, StringComparer.Ordinal)];
        var duplicate = Keys.GroupBy(k => k.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"signature key \"{duplicate.Key}\" is listed more than once", nameof(keys));
        }

        var canonical = new StringBuilder();
        foreach (var key in Keys)
        {
            canonical.Append("key ").Append(key.Name).Append(' ').Append(key.Fingerprint).Append('\n');
        }

        foreach (var signer in CertificateSigners)
        {
            canonical.Append("cert ").Append(signer.Name).Append(' ').Append(signer.Fingerprint).Append('\n');
        }

        foreach (var attestation in RequiredAttestations)
        {
            canonical.Append("att ").Append(attestation.PredicateType).Append(' ').Append(attestation.BuilderId).Append('\n');
        }

        Fingerprint = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical.ToString())))[..32];
    }

    /// <summary>The trusted keys, sorted by name.</summary>
    public ImmutableArray<TrustedKey> Keys { get; }

    /// <summary>Signers trusted through a certificate: keyless identities and private chains, in the profile's order.</summary>
    public ImmutableArray<CertificateSigner> CertificateSigners { get; }

    /// <summary>Whether any key or certificate signer is trusted.</summary>
    public bool HasSigners => !Keys.IsEmpty || !CertificateSigners.IsEmpty;

    /// <summary>The required attestations, sorted by predicate type.</summary>
    public ImmutableArray<AttestationRequirement> RequiredAttestations { get; }

    /// <summary>A hash of the keys and requirements; equal policies have equal fingerprints.</summary>
    public string Fingerprint { get; }

    /// <summary>Builds the policy from a BaselineProfile's images section.</summary>
    /// <exception cref="FormatException">A key, chain, identity or trusted root is unusable; the message names the profile and field.</exception>
    public static TrustPolicy FromProfile(string profileName, ImagePolicy images)
    {
        ArgumentNullException.ThrowIfNull(images);
        var keys = new List<TrustedKey>();
        foreach (var key in images.SignatureKeys ?? [])
        {
            try
            {
                keys.Add(TrustedKey.FromPem(key.Name, key.PublicKey));
            }
            catch (FormatException e)
            {
                throw new FormatException($"BaselineProfile {profileName}: spec.images.signatureKeys: {e.Message}", e);
            }
        }

        ImmutableArray<CertificateSigner> certificateSigners;
        try
        {
            certificateSigners = CertificateSigner.FromProfile(images);
        }
        catch (FormatException e)
        {
            throw new FormatException($"BaselineProfile {profileName}: {e.Message}", e);
        }

        return new TrustPolicy(keys, (images.RequiredAttestations ?? []).Select(a => new AttestationRequirement(a.PredicateType, a.BuilderId)), certificateSigners);
    }
}
