namespace AiBaseline.Engine.Tests;

public sealed class SmokeTests
{
    [Fact]
    public void Runner_works() => Assert.Equal(4, 2 + 2);
}
