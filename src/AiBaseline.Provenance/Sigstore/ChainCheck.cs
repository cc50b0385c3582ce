namespace AiBaseline.Provenance.Sigstore;

/// <summary>
/// Builds the path from a signing certificate to a certificate authority of the trusted root that issued at the
/// signing time, every certificate on it valid at that time (Fulcio certificates live ten minutes, so the time
/// is the transparency log's, not the verifier's clock).
/// </summary>
internal static class ChainCheck
{
    private const int MaxDepth = 6;

    /// <summary>
    /// The leaf's issuer on the verified path; throws UntrustedChain or ExpiredAtSigning. <c>dated</c> says whether
    /// <c>signedAt</c> is a signing time a log vouched for, or only the verifier's clock (for the message).
    /// </summary>
    public static CertificateInfo Verify(CertificateInfo leaf, IReadOnlyList<CertificateInfo> bundleIntermediates, TrustedRoot root, DateTimeOffset signedAt, bool dated = true)
    {
        var authorities = root.CertificateAuthorities.Where(ca => ca.ValidAt(signedAt)).ToList();
        if (authorities.Count == 0)
        {
            throw new SigstoreVerificationException(SigstoreReasons.UntrustedChain, $"no certificate authority in the trusted root issued certificates at {signedAt:u}");
        }

        foreach (var authority in authorities)
        {
            var issuer = FindPath(leaf, bundleIntermediates, authority, signedAt, 0);
            if (issuer is not null)
            {
                return leaf.IsValidAt(signedAt) ? issuer : throw new SigstoreVerificationException(SigstoreReasons.ExpiredAtSigning,
                    $"the signing certificate is valid from {leaf.NotBefore:u} to {leaf.NotAfter:u}, and the signature was "
                    + (dated ? $"made at {signedAt:u}" : $"checked at {signedAt:u} (no transparency log entry dates it)"));
            }
        }

        throw new SigstoreVerificationException(SigstoreReasons.UntrustedChain,
            $"the signing certificate (issuer \"{leaf.Certificate.IssuerDN}\") does not chain to a certificate authority in the trusted root valid at {signedAt:u}");
    }

    private static CertificateInfo? FindPath(CertificateInfo current, IReadOnlyList<CertificateInfo> intermediates, CertificateAuthority authority, DateTimeOffset at, int depth)
    {
        if (depth > MaxDepth)
        {
            return null;
        }

        foreach (var anchor in authority.Chain)
        {
            if (anchor.IsCa && anchor.IsValidAt(at) && current.IsSignedBy(anchor))
            {
                return anchor;
            }
        }

        foreach (var candidate in intermediates)
        {
            if (candidate != current && candidate.IsCa && candidate.IsValidAt(at) && current.IsSignedBy(candidate)
                && FindPath(candidate, intermediates.Where(c => c != candidate).ToList(), authority, at, depth + 1) is not null)
            {
                return candidate;
            }
        }

        return null;
    }
}
