namespace AiBaseline.KubeEmulator.Tests;

public sealed class HumanDurationTests
{
    [Theory]
    [InlineData(0, "0s", "just created")]
    [InlineData(-1, "0s", "a second of clock skew still reads as now")]
    [InlineData(-2, "<invalid>", "further in the future is a bad timestamp")]
    [InlineData(119, "119s", "seconds up to two minutes")]
    [InlineData(120, "2m", "whole minutes drop the seconds")]
    [InlineData(125, "2m5s", "minutes and seconds below ten minutes")]
    [InlineData(10 * 60 + 59, "10m", "from ten minutes, seconds are dropped")]
    [InlineData(179 * 60, "179m", "minutes up to three hours")]
    [InlineData(3 * 3600 + 5 * 60, "3h5m", "hours and minutes below eight hours")]
    [InlineData(8 * 3600 + 59 * 60, "8h", "from eight hours, minutes are dropped")]
    [InlineData(47 * 3600, "47h", "hours up to two days")]
    [InlineData(50 * 3600, "2d2h", "days and hours below eight days")]
    [InlineData(48 * 3600, "2d", "whole days drop the hours")]
    [InlineData(8 * 86400 + 3600, "8d", "from eight days, hours are dropped")]
    [InlineData(729 * 86400, "729d", "days up to two years")]
    [InlineData(731 * 86400, "2y1d", "years and days below eight years")]
    [InlineData(8 * 365 * 86400 + 86400, "8y", "from eight years, days are dropped")]
    public void Ages_read_as_kubectl_users_expect(long seconds, string expected, string reason)
    {
        var text = HumanDuration.Format(TimeSpan.FromSeconds(seconds));

        Assert.True(expected == text, $"{reason}: {seconds}s printed as {text}, expected {expected}");
    }
}
