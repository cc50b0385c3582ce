using System.Security.Cryptography;
using AiBaseline.Provenance.Signing;

namespace AiBaseline.Provenance.Sigstore;

/// <summary>A verified bundle: who signed, when the log or a timestamp authority (or, for keys and private chains, nobody) says, and the DSSE payload.</summary>
/// <param name="Signer">The certificate's identity and issuer, or the key's description.</param>
/// <param name="SignedAt">The first verified time: a log entry's integrated time (signed by its SET), else an RFC 3161 genTime.</param>
/// <param name="Envelope">The verified DSSE envelope, for bundles that carry one.</param>
public sealed record SigstoreVerification(string Signer, DateTimeOffset? SignedAt, DsseEnvelope? Envelope);

/// <summary>
/// Verifies Sigstore bundles: the signature over the artifact or DSSE payload, the Rekor entry (body, signed
/// entry timestamp, inclusion proof and checkpoint), RFC 3161 timestamps when the root lists timestamp authorities,
/// the certificate chain at every verified signing time, the SCT, and the signer's identity. Each failure throws <see cref="SigstoreVerificationException"/> with its own reason.
/// </summary>
public static class SigstoreVerifier
{
    /// <summary>Verifies <paramref name="bundle"/> under <paramref name="policy"/>.</summary>
    /// <param name="bundle">The parsed bundle.</param>
    /// <param name="policy">Whom to trust.</param>
    /// <param name="artifactSha256">For message signatures: the sha256 of the signed artifact (required then).</param>
    /// <param name="now">The verifier's clock, for key and private-chain bundles without a log entry.</param>
    public static SigstoreVerification Verify(SigstoreBundle bundle, SigstorePolicy policy, byte[]? artifactSha256, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        ArgumentNullException.ThrowIfNull(policy);
        if (policy.Key is not null && bundle.HasCertificate)
        {
            throw new SigstoreVerificationException(SigstoreReasons.UntrustedKey, "the bundle is signed with a certificate, and the policy trusts a public key");
        }

        if (policy.Key is null && !bundle.HasCertificate)
        {
            throw new SigstoreVerificationException(SigstoreReasons.UntrustedKey, $"the bundle is signed with a bare key, and the policy trusts {policy.Description}");
        }

        CertificateInfo? leaf = null;
        SigningKey key;
        if (policy.Key is { } trusted)
        {
            key = trusted;
        }
        else
        {
            leaf = CertificateInfo.TryParse(bundle.Certificates[0]) ?? throw SigstoreVerificationException.Malformed("the bundle's signing certificate is not an X.509 certificate");
            key = leaf.Key ?? throw SigstoreVerificationException.Malformed("the signing certificate's key is not of a supported algorithm");
        }

        VerifySignature(bundle, key, artifactSha256);

        var times = new List<DateTimeOffset>();
        if (policy.RequireTlog)
        {
            times.AddRange(VerifyLogEntries(bundle, policy.Root, leaf!.Der));
        }

        var timestampAuthorities = leaf is not null && !policy.Root.TimestampAuthorities.IsEmpty;
        if (timestampAuthorities)
        {
            times.AddRange(TimestampCheck.VerifyAll(bundle.Rfc3161Timestamps, SignatureBytes(bundle), policy.Root).Select(t => t.GenTime));
        }

        if (times.Count == 0 && policy.RequireTlog)
        {
            throw new SigstoreVerificationException(SigstoreReasons.MissingTlogEntry, timestampAuthorities
                ? "no log entry has a signed entry timestamp and no RFC 3161 timestamp dates the signature"
                : "no log entry has a signed entry timestamp to date the signature, and the trusted root has no timestamp authority");
        }

        if (times.Count == 0 && timestampAuthorities)
        {
            throw new SigstoreVerificationException(SigstoreReasons.MissingTimestamp,
                "the trusted root dates signatures by RFC 3161 timestamps (it lists no transparency log), and the bundle has none");
        }

        if (leaf is null)
        {
            return new SigstoreVerification(policy.Description, null, bundle.Dsse);
        }

        var intermediates = bundle.Certificates.Skip(1)
            .Select(d => CertificateInfo.TryParse(d) ?? throw SigstoreVerificationException.Malformed("a certificate of the bundle's chain is not an X.509 certificate"))
            .ToList();

        // As sigstore does: the certificate and its chain must be valid at every verified time, or at the clock when none dates it.
        var issuer = times.Count == 0
            ? ChainCheck.Verify(leaf, intermediates, policy.Root, now, dated: false)
            : times.Select(t => ChainCheck.Verify(leaf, intermediates, policy.Root, t)).ToList()[0];
        DateTimeOffset? signedAt = times.Count == 0 ? null : times[0];
        if (policy.RequireSct)
        {
            SctCheck.Verify(leaf, issuer, policy.Root);
        }

        var claims = FulcioClaims.Of(leaf);
        if (!policy.Identities.IsEmpty && !policy.Identities.Any(i => i.Matches(claims)))
        {
            throw new SigstoreVerificationException(SigstoreReasons.IdentityMismatch, $"signed by {claims}, and the policy trusts {policy.Description}");
        }

        var signer = policy.Identities.IsEmpty ? $"{leaf.Certificate.SubjectDN} ({policy.Description})" : claims.ToString();
        return new SigstoreVerification(signer, signedAt, bundle.Dsse);
    }

    private static byte[] SignatureBytes(SigstoreBundle bundle) => bundle.Dsse is { } envelope ? envelope.Signatures[0] : bundle.MessageSignature!.Signature;

    private static void VerifySignature(SigstoreBundle bundle, SigningKey key, byte[]? artifactSha256)
    {
        if (bundle.Dsse is { } envelope)
        {
            if (!key.Verify(DsseCheck.Pae(envelope.PayloadType, envelope.Payload), envelope.Signatures[0]))
            {
                throw new SigstoreVerificationException(SigstoreReasons.SignatureMismatch, "the DSSE envelope's signature does not verify with the signer's key");
            }

            return;
        }

        var message = bundle.MessageSignature!;
        var digest = artifactSha256 ?? message.Digest ?? throw SigstoreVerificationException.Malformed("the bundle's message signature has no digest, and no artifact was given");
        if (message.Digest is not null && (message.DigestAlgorithm is not (null or "SHA2_256") || !message.Digest.AsSpan().SequenceEqual(digest)))
        {
            throw new SigstoreVerificationException(SigstoreReasons.SignatureMismatch, "the bundle's message digest is not the artifact's sha256");
        }

        if (!key.VerifyDigest(digest, HashAlgorithmName.SHA256, message.Signature))
        {
            throw new SigstoreVerificationException(SigstoreReasons.SignatureMismatch, "the message signature does not verify over the artifact with the signer's key");
        }
    }

    /// <summary>
    /// Every entry must be from a log in the trusted root and verify, with no entry twice. Returns the integrated times
    /// of the entries whose SET verified: without a SET, the integrated time is not signed by anyone.
    /// </summary>
    private static List<DateTimeOffset> VerifyLogEntries(SigstoreBundle bundle, TrustedRoot root, byte[] signerDer)
    {
        if (bundle.TlogEntries.IsEmpty)
        {
            throw new SigstoreVerificationException(SigstoreReasons.MissingTlogEntry, "the bundle has no transparency log entry");
        }

        var times = new List<DateTimeOffset>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in bundle.TlogEntries)
        {
            var log = root.Tlogs.FirstOrDefault(l => l.KeyId.AsSpan().SequenceEqual(entry.LogKeyId))
                ?? throw new SigstoreVerificationException(SigstoreReasons.MissingTlogEntry,
                    $"log entry {entry.LogIndex} is from log {Convert.ToHexStringLower(entry.LogKeyId)}, which is not in the trusted root");
            if (!seen.Add(Convert.ToBase64String(entry.LogKeyId) + " " + Convert.ToBase64String(entry.CanonicalizedBody)))
            {
                throw new SigstoreVerificationException(SigstoreReasons.TlogEntryMismatch, $"log entry {entry.LogIndex} is in the bundle twice");
            }

            TlogBodyCheck.Verify(entry, bundle, signerDer);
            var time = TlogCheck.Verify(entry, log, bundle.MinorVersion);
            if (entry.SignedEntryTimestamp is not null)
            {
                if (!log.ValidAt(time))
                {
                    throw new SigstoreVerificationException(SigstoreReasons.InvalidSignedEntryTimestamp, $"the log {log.BaseUrl} was not valid at the entry's time {time:u}");
                }

                times.Add(time);
            }
        }

        return times;
    }
}
