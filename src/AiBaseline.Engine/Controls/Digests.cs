namespace AiBaseline.Engine.Controls;

/// <summary>Content digests as OCI writes them: "sha256:" and 64 lowercase hex digits, or "sha512:" and 128.</summary>
internal static class Digests
{
    /// <summary>True for a well-formed sha256 or sha512 digest.</summary>
    public static bool IsWellFormed(ReadOnlySpan<char> digest)
    {
        if (digest.StartsWith("sha256:", StringComparison.Ordinal))
        {
            return IsLowerHex(digest[7..], 64);
        }

        return digest.StartsWith("sha512:", StringComparison.Ordinal) && IsLowerHex(digest[7..], 128);
    }

    private static bool IsLowerHex(ReadOnlySpan<char> text, int length)
    {
        if (text.Length != length)
        {
            return false;
        }

        foreach (var c in text)
        {
            if (c is not ((>= '0' and <= '9') or (>= 'a' and <= 'f')))
            {
                return false;
            }
        }

        return true;
    }
}
