namespace AiBaseline.Report;

/// <summary>
/// An equality-based label selector as kubectl's <c>-l</c> takes it: <c>key=value</c>, <c>key==value</c>,
/// <c>key!=value</c>, <c>key</c> and <c>!key</c>, separated by commas. The cluster applies it itself; for manifests
/// the report applies it to each AIModelDeployment's labels.
/// </summary>
public sealed class LabelSelector
{
    private readonly List<(string Key, string? Value, bool Negated)> terms;

    private LabelSelector(string text, List<(string, string?, bool)> terms) => (Text, this.terms) = (text, terms);

    /// <summary>The selector as given.</summary>
    public string Text { get; }

    /// <summary>Parses <paramref name="text"/>; null with <paramref name="problem"/> saying what is wrong.</summary>
    public static LabelSelector? Parse(string text, out string problem)
    {
        problem = "";
        var terms = new List<(string, string?, bool)>();
        foreach (var raw in text.Split(',', StringSplitOptions.TrimEntries))
        {
            (string Key, string? Value, bool Negated) term = raw switch
            {
                _ when raw.Contains("!=", StringComparison.Ordinal) => (raw[..raw.IndexOf("!=", StringComparison.Ordinal)], raw[(raw.IndexOf("!=", StringComparison.Ordinal) + 2)..], true),
                _ when raw.Contains("==", StringComparison.Ordinal) => (raw[..raw.IndexOf("==", StringComparison.Ordinal)], raw[(raw.IndexOf("==", StringComparison.Ordinal) + 2)..], false),
                _ when raw.Contains('=', StringComparison.Ordinal) => (raw[..raw.IndexOf('=', StringComparison.Ordinal)], raw[(raw.IndexOf('=', StringComparison.Ordinal) + 1)..], false),
                _ when raw.StartsWith('!') => (raw[1..], null, true),
                _ => (raw, null, false),
            };
            term = (term.Key.Trim(), term.Value?.Trim(), term.Negated);
            if (term.Key.Length == 0 || term.Key.Any(c => char.IsWhiteSpace(c) || c is '=' or '!' or '(' or ')') || (term.Value?.Any(c => char.IsWhiteSpace(c) || c is '=' or '!' or '(' or ')') ?? false))
            {
                problem = $"\"{raw}\" is not allowed: use key=value, key!=value, key or !key, separated by commas";
                return null;
            }

            terms.Add(term);
        }

        return new LabelSelector(text, terms);
    }

    /// <summary>True when <paramref name="labels"/> satisfy every term.</summary>
    public bool Matches(IDictionary<string, string>? labels)
    {
        foreach (var (key, value, negated) in terms)
        {
            var has = labels is not null && labels.TryGetValue(key, out var actual) && (value is null || actual == value);
            if (has == negated)
            {
                return false;
            }
        }

        return true;
    }
}
