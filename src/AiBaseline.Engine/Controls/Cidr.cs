using System.Net;
using System.Net.Sockets;

namespace AiBaseline.Engine.Controls;

/// <summary>
/// An IPv4 or IPv6 block such as 10.0.0.0/8 or 2001:db8::/32. Host bits below the prefix are ignored, the way
/// Kubernetes reads ipBlock.cidr.
/// </summary>
internal readonly record struct Cidr(bool IsV6, UInt128 Address, int PrefixLength)
{
    private int Bits => IsV6 ? 128 : 32;

    /// <summary>True for a /0 block: every address of its family.</summary>
    public bool IsEverywhere => PrefixLength == 0;

    public static bool TryParse(string? text, out Cidr cidr)
    {
        cidr = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var span = text.AsSpan().Trim();
        var slash = span.IndexOf('/');
        if (slash < 0 || !IPAddress.TryParse(span[..slash], out var address)
            || !int.TryParse(span[(slash + 1)..], System.Globalization.NumberStyles.None, null, out var prefix))
        {
            return false;
        }

        var isV6 = address.AddressFamily == AddressFamily.InterNetworkV6;
        if (prefix > (isV6 ? 128 : 32))
        {
            return false;
        }

        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out var written);
        UInt128 value = 0;
        for (var i = 0; i < written; i++)
        {
            value = (value << 8) | bytes[i];
        }

        cidr = new Cidr(isV6, value, prefix);
        return true;
    }

    /// <summary>True when every address of <paramref name="inner"/> lies in this block.</summary>
    public bool Contains(Cidr inner)
    {
        if (inner.IsV6 != IsV6 || inner.PrefixLength < PrefixLength)
        {
            return false;
        }

        if (PrefixLength == 0)
        {
            return true;
        }

        var shift = Bits - PrefixLength;
        return (inner.Address >> shift) == (Address >> shift);
    }
}
