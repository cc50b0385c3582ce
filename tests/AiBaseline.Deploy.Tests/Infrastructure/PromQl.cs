using System.Text.RegularExpressions;

namespace AiBaseline.Deploy.Tests.Infrastructure;

/// <summary>Finds the metric names a PromQL expression selects: identifiers that are not functions, keywords or label names.</summary>
internal static partial class PromQl
{
    private static readonly HashSet<string> Keywords =
        new(StringComparer.OrdinalIgnoreCase) { "and", "or", "unless", "bool", "offset", "by", "without", "on", "ignoring", "group_left", "group_right", "inf", "nan" };

    public static IReadOnlySet<string> MetricNames(string expression)
    {
        var text = LabelMatchers().Replace(expression, " ");
        text = RangeSelectors().Replace(text, " ");
        text = Grouping().Replace(text, " ");
        text = GrafanaVariables().Replace(text, " ");
        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (Match match in Identifiers().Matches(text))
        {
            var isCall = match.Groups["call"].Success;
            if (!isCall && !Keywords.Contains(match.Groups["name"].Value))
            {
                names.Add(match.Groups["name"].Value);
            }
        }

        return names;
    }

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex LabelMatchers();

    [GeneratedRegex(@"\[[^\]]*\]")]
    private static partial Regex RangeSelectors();

    [GeneratedRegex(@"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", RegexOptions.IgnoreCase)]
    private static partial Regex Grouping();

    [GeneratedRegex(@"\$\{?[A-Za-z_][A-Za-z0-9_]*\}?")]
    private static partial Regex GrafanaVariables();

    [GeneratedRegex(@"(?<![A-Za-z0-9_:.])(?<name>[A-Za-z_:][A-Za-z0-9_:]*)(?<call>\s*\()?")]
    private static partial Regex Identifiers();
}
