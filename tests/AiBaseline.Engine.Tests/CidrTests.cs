using AiBaseline.Engine.Controls;

namespace AiBaseline.Engine.Tests;

public sealed class CidrTests
{
    [Theory]
    [InlineData("10.0.0.0/8", "10.1.0.0/16", true, "a longer prefix inside the block")]
    [InlineData("10.0.0.0/8", "10.0.0.0/8", true, "a block contains itself")]
    [InlineData("10.0.0.0/16", "10.0.0.0/8", false, "a wider block is not inside a narrower one")]
    [InlineData("10.0.0.0/8", "11.0.0.0/16", false, "a block of another network")]
    [InlineData("10.1.2.3/8", "10.200.0.0/16", true, "host bits below the prefix are ignored, as Kubernetes does")]
    [InlineData("0.0.0.0/0", "198.51.100.7/32", true, "/0 holds every address of its family")]
    [InlineData("0.0.0.0/0", "2001:db8::/32", false, "IPv4 never holds IPv6")]
    [InlineData("::/0", "10.0.0.0/8", false, "IPv6 never holds IPv4")]
    [InlineData("2001:db8::/32", "2001:db8:ffff::/48", true, "IPv6 containment")]
    [InlineData("2001:db8::/33", "2001:db8:8000::/48", false, "IPv6 containment at an odd prefix length")]
    public void Containment_compares_network_bits(string outer, string inner, bool contained, string reason)
    {
        Assert.True(Cidr.TryParse(outer, out var a), reason);
        Assert.True(Cidr.TryParse(inner, out var b), reason);
        Assert.True(contained == a.Contains(b), reason);
    }

    [Theory]
    [InlineData("10.0.0.0", "no prefix length")]
    [InlineData("10.0.0.0/33", "an IPv4 prefix beyond 32 bits")]
    [InlineData("2001:db8::/129", "an IPv6 prefix beyond 128 bits")]
    [InlineData("10.0.0.0/-1", "a negative prefix")]
    [InlineData("example.com/24", "a host name")]
    [InlineData("", "nothing")]
    public void Malformed_blocks_do_not_parse(string text, string reason)
    {
        Assert.False(Cidr.TryParse(text, out _), reason);
    }
}
