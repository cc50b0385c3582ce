using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace AiBaseline.Provenance.Oci;

/// <summary>Content digests as the distribution spec writes them ("sha256:&lt;64 hex&gt;").</summary>
public static partial class Digests
{
    /// <summary>Whether <paramref name="digest"/> is a well-formed sha256 or sha512 digest.</summary>
    public static bool IsValid(string digest) => DigestPattern().IsMatch(digest);

    /// <summary>The sha256 digest of <paramref name="content"/>.</summary>
    public static string Sha256(ReadOnlySpan<byte> content) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));

    /// <summary>Whether <paramref name="content"/> hashes to <paramref name="digest"/> (sha256 or sha512).</summary>
    public static bool Matches(string digest, ReadOnlySpan<byte> content)
    {
        if (digest.StartsWith("sha256:", StringComparison.Ordinal))
        {
            return string.Equals(Sha256(content), digest, StringComparison.Ordinal);
        }

        return digest.StartsWith("sha512:", StringComparison.Ordinal)
            && string.Equals("sha512:" + Convert.ToHexStringLower(SHA512.HashData(content)), digest, StringComparison.Ordinal);
    }

    /// <summary>The tag cosign stores a digest's signatures or attestations under: "sha256-&lt;hex&gt;.sig".</summary>
    public static string CosignTag(string digest, string suffix) => digest.Replace(':', '-') + "." + suffix;

    [GeneratedRegex("^(sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})$")]
    private static partial Regex DigestPattern();
}
