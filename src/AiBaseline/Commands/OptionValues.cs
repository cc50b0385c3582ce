using System.CommandLine.Parsing;

namespace AiBaseline.Commands;

/// <summary>
/// Parsers for option values that report a value they cannot use as <c>--flag: "value" is not allowed: use …</c>,
/// the form bad manifests are reported in, instead of naming .NET types or throwing.
/// </summary>
internal static class OptionValues
{
    /// <summary>A whole number of at least <paramref name="minimum"/>; <paramref name="unit"/> says what it counts.</summary>
    public static int WholeNumber(ArgumentResult result, int minimum, string unit)
    {
        var text = Token(result);
        if (int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value) && value >= minimum)
        {
            return value;
        }

        result.AddError($"{OptionName(result)}: \"{text}\" is not allowed: use a whole number of {unit}, at least {minimum}");
        return minimum;
    }

    /// <summary>A number greater than zero, with a fraction or without, such as <paramref name="example"/>.</summary>
    public static double PositiveNumber(ArgumentResult result, string example)
    {
        var text = Token(result);
        if (double.TryParse(text, System.Globalization.NumberStyles.AllowDecimalPoint | System.Globalization.NumberStyles.AllowExponent, System.Globalization.CultureInfo.InvariantCulture, out var value)
            && value > 0 && double.IsFinite(value))
        {
            return value;
        }

        result.AddError($"{OptionName(result)}: \"{text}\" is not allowed: use a number greater than 0, such as {example}");
        return 1;
    }

    /// <summary>One of <paramref name="allowed"/>, matched without regard to case; the error lists them in order.</summary>
    public static T OneOf<T>(ArgumentResult result, IReadOnlyList<(string Name, T Value)> allowed)
    {
        var text = Token(result);
        foreach (var (name, value) in allowed)
        {
            if (string.Equals(name, text, StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }

        result.AddError($"{OptionName(result)}: \"{text}\" is not allowed: use one of {string.Join(", ", allowed.Select(a => a.Name))}");
        return allowed[0].Value;
    }

    /// <summary>
    /// Namespace names from every use of the option, each a name or names separated by commas, without duplicates;
    /// empty values are skipped, so <c>--namespace "$NAMESPACES"</c> with nothing in it means all namespaces.
    /// </summary>
    public static string[] NamespaceNames(ArgumentResult result)
    {
        var names = new List<string>();
        foreach (var name in result.Tokens.SelectMany(t => t.Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)))
        {
            if (!IsNamespaceName(name))
            {
                result.AddError($"{OptionName(result)}: \"{name}\" is not allowed: use namespace names (lowercase letters, digits and '-', at most 63), repeated or separated by commas");
                return [];
            }

            if (!names.Contains(name, StringComparer.Ordinal))
            {
                names.Add(name);
            }
        }

        return [.. names];
    }

    /// <summary>The error for a value that is not allowed, with what to use instead.</summary>
    public static void NotAllowed(OptionResult result, string value, string use) =>
        result.AddError($"{result.Option.Name}: \"{value}\" is not allowed: {use}");

    // An RFC 1123 label, as the API server requires of a namespace's name.
    private static bool IsNamespaceName(string name) =>
        name.Length is > 0 and <= 63 && name.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-') && name[0] != '-' && name[^1] != '-';

    private static string Token(ArgumentResult result) => result.Tokens.Count == 0 ? "" : result.Tokens[0].Value;

    private static string OptionName(ArgumentResult result) => result.Parent is OptionResult option ? option.Option.Name : result.Argument.Name;
}
