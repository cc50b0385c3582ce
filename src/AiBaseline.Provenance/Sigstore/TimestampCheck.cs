using System.Security.Cryptography;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Cms;
using Org.BouncyCastle.Asn1.Tsp;
using Org.BouncyCastle.Cms;
using Org.BouncyCastle.Tsp;

namespace AiBaseline.Provenance.Sigstore;

/// <summary>A verified RFC 3161 timestamp: when the authority saw the signature, and which certificate said so.</summary>
internal sealed record VerifiedTimestamp(DateTimeOffset GenTime, string AuthoritySerial);

/// <summary>
/// Verifies the RFC 3161 timestamps of a bundle (<c>timestampVerificationData.rfc3161Timestamps[].signedTimestamp</c>, a
/// DER TimeStampResp, or a bare TimeStampToken) against the timestamp authorities of the trusted root: the TSTInfo's
/// message imprint is the hash of the bundle's signature bytes; the token's signer is the first certificate of an
/// authority whose validity window holds the genTime; that authority's chain verifies and every certificate on it is
/// valid at the genTime; and the token's CMS signature, signed attributes and ESS certificate id verify with the
/// authority's certificate, which must carry the critical timeStamping extended key usage (RFC 3161 §2.3).
/// </summary>
internal static class TimestampCheck
{
    /// <summary>Verifies each timestamp (all must verify, none twice); returns their times.</summary>
    public static List<VerifiedTimestamp> VerifyAll(IReadOnlyList<byte[]> timestamps, byte[] signature, TrustedRoot root)
    {
        var verified = new List<VerifiedTimestamp>();
        for (var i = 0; i < timestamps.Count; i++)
        {
            var timestamp = Verify(timestamps[i], signature, root, i);
            if (verified.Contains(timestamp))
            {
                throw new SigstoreVerificationException(SigstoreReasons.InvalidTimestamp,
                    $"RFC 3161 timestamp {i} repeats another one (authority serial {timestamp.AuthoritySerial}, {timestamp.GenTime:u})");
            }

            verified.Add(timestamp);
        }

        return verified;
    }

    private static VerifiedTimestamp Verify(byte[] der, byte[] signature, TrustedRoot root, int index)
    {
        var name = $"RFC 3161 timestamp {index}";
        var token = Parse(der, name);
        var info = token.TimeStampInfo;
        var genTime = new DateTimeOffset(DateTime.SpecifyKind(info.GenTime, DateTimeKind.Utc));
        HashAlgorithmName? hash = info.MessageImprintAlgOid switch
        {
            "2.16.840.1.101.3.4.2.1" => HashAlgorithmName.SHA256,
            "2.16.840.1.101.3.4.2.2" => HashAlgorithmName.SHA384,
            "2.16.840.1.101.3.4.2.3" => HashAlgorithmName.SHA512,
            _ => null,
        };
        if (hash is not { } algorithm)
        {
            throw new SigstoreVerificationException(SigstoreReasons.InvalidTimestamp, $"{name}: message imprint algorithm {info.MessageImprintAlgOid} is not SHA-256, SHA-384 or SHA-512");
        }

        var expected = algorithm == HashAlgorithmName.SHA256 ? SHA256.HashData(signature)
            : algorithm == HashAlgorithmName.SHA384 ? SHA384.HashData(signature) : SHA512.HashData(signature);
        if (!CryptographicOperations.FixedTimeEquals(expected, info.GetMessageImprintDigest()))
        {
            throw new SigstoreVerificationException(SigstoreReasons.TimestampMismatch, $"{name}'s message imprint is not the {algorithm.Name} of this bundle's signature: it timestamps something else");
        }

        // The signer is named by issuer and serial, compared byte for byte (as sigstore does), not by RFC 5280 name matching.
        var signer = token.SignerID;
        var issuer = signer.Issuer?.GetDerEncoded();
        var authorities = root.TimestampAuthorities.Where(a => issuer is not null && signer.SerialNumber is not null
            && signer.SerialNumber.Equals(a.Chain[0].Certificate.SerialNumber)
            && issuer.AsSpan().SequenceEqual(a.Chain[0].Certificate.CertificateStructure.Issuer.GetDerEncoded())).ToList();
        var serial = signer.SerialNumber?.ToString(16) ?? "?";
        if (authorities.Count == 0)
        {
            throw new SigstoreVerificationException(SigstoreReasons.UntrustedTimestampAuthority,
                $"{name} is signed by \"{signer.Issuer}\" serial {serial}, which is not a timestamp authority of the trusted root");
        }

        SigstoreVerificationException? failure = null;
        foreach (var authority in authorities)
        {
            try
            {
                VerifyWith(token, authority, genTime, name);
                return new VerifiedTimestamp(genTime, serial);
            }
            catch (SigstoreVerificationException e)
            {
                failure = e;
            }
        }

        throw failure!;
    }

    private static void VerifyWith(TimeStampToken token, CertificateAuthority authority, DateTimeOffset genTime, string name)
    {
        var tsa = authority.Uri.Length > 0 ? authority.Uri : authority.Chain[0].Certificate.SubjectDN.ToString();
        if (!authority.ValidAt(genTime))
        {
            throw new SigstoreVerificationException(SigstoreReasons.UntrustedTimestampAuthority,
                $"{name} was made at {genTime:u}, outside the trusted root's validity window of timestamp authority {tsa}");
        }

        var chain = authority.Chain;
        for (var i = 0; i < chain.Length; i++)
        {
            if (!chain[i].IsValidAt(genTime))
            {
                throw new SigstoreVerificationException(SigstoreReasons.InvalidTimestamp,
                    $"{name} was made at {genTime:u}, and certificate {i} of timestamp authority {tsa} is valid from {chain[i].NotBefore:u} to {chain[i].NotAfter:u}");
            }

            if (i > 0 && (!chain[i].IsCa || !chain[i - 1].IsSignedBy(chain[i])))
            {
                throw new SigstoreVerificationException(SigstoreReasons.UntrustedTimestampAuthority,
                    $"the chain of timestamp authority {tsa} does not verify: certificate {i - 1} is not signed by the CA certificate {i}");
            }
        }

        try
        {
            // Checks the ESS signing-certificate id, the critical timeStamping extended key usage and the CMS signature.
            token.Validate(chain[0].Certificate);
        }
        catch (Exception e) when (e is TspException or CmsException or ArgumentException or InvalidOperationException)
        {
            throw new SigstoreVerificationException(SigstoreReasons.InvalidTimestamp, $"{name} does not verify with the certificate of timestamp authority {tsa}: {e.Message}");
        }
    }

    private static TimeStampToken Parse(byte[] der, string name)
    {
        ContentInfo content;
        try
        {
            var sequence = Asn1Sequence.GetInstance(Asn1Object.FromByteArray(der));
            if (sequence.Count >= 1 && sequence[0] is Asn1Sequence)
            {
                var response = TimeStampResp.GetInstance(sequence);
                var status = response.Status.Status.IntValueExact;
                if (status is not (0 or 1) || response.TimeStampToken is null)
                {
                    throw new SigstoreVerificationException(SigstoreReasons.InvalidTimestamp, $"{name} is a TimeStampResp with status {status} and no granted token");
                }

                content = response.TimeStampToken;
            }
            else
            {
                // A bare token (ContentInfo of SignedData) is also accepted.
                content = ContentInfo.GetInstance(sequence);
            }
        }
        catch (Exception e) when (e is not (SigstoreVerificationException or OutOfMemoryException))
        {
            throw new SigstoreVerificationException(SigstoreReasons.InvalidTimestamp, $"{name} is not a DER TimeStampResp or TimeStampToken: {e.Message}");
        }

        if (!content.ContentType.Equals(Org.BouncyCastle.Asn1.Pkcs.PkcsObjectIdentifiers.SignedData))
        {
            throw new SigstoreVerificationException(SigstoreReasons.InvalidTimestamp, $"{name}'s content type is {content.ContentType}, not signed data");
        }

        try
        {
            return new TimeStampToken(new CmsSignedData(content));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new SigstoreVerificationException(SigstoreReasons.InvalidTimestamp, $"{name}'s signed data is not a timestamp token: {e.Message}");
        }
    }
}
