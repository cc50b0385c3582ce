using System.Globalization;

namespace AiBaseline.KubeEmulator;

/// <summary>
/// Ages as the API server prints them in <c>date</c> table cells (<c>45s</c>, <c>5m3s</c>, <c>3h10m</c>, <c>2d4h</c>,
/// <c>3y12d</c>): two units while the larger is small, one unit once it grows, so columns stay short.
/// </summary>
internal static class HumanDuration
{
    public static string Format(TimeSpan age)
    {
        var seconds = (long)Math.Truncate(age.TotalSeconds);

        // Clocks on different machines disagree a little; a timestamp up to a second ahead still reads as now.
        if (seconds < -1)
        {
            return "<invalid>";
        }

        if (seconds < 0)
        {
            return "0s";
        }

        if (seconds < 2 * 60)
        {
            return Text(seconds, "s");
        }

        var minutes = seconds / 60;
        if (minutes < 10)
        {
            return Text(minutes, "m", seconds % 60, "s");
        }

        if (minutes < 3 * 60)
        {
            return Text(minutes, "m");
        }

        var hours = minutes / 60;
        if (hours < 8)
        {
            return Text(hours, "h", minutes % 60, "m");
        }

        if (hours < 48)
        {
            return Text(hours, "h");
        }

        var days = hours / 24;
        if (days < 8)
        {
            return Text(days, "d", hours % 24, "h");
        }

        if (days < 2 * 365)
        {
            return Text(days, "d");
        }

        var years = days / 365;
        return years < 8 ? Text(years, "y", days % 365, "d") : Text(years, "y");
    }

    private static string Text(long value, string unit, long rest = 0, string restUnit = "") =>
        rest == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{value}{unit}")
            : string.Create(CultureInfo.InvariantCulture, $"{value}{unit}{rest}{restUnit}");
}
