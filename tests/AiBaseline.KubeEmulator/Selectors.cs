using System.Text.RegularExpressions;

namespace AiBaseline.KubeEmulator;

/// <summary>Label and field selectors as list and watch accept them (<c>=, ==, !=, in, notin, key, !key</c>).</summary>
internal sealed partial class Selector
{
    private readonly IReadOnlyList<Func<StoredObject, bool>> _requirements;

    private Selector(IReadOnlyList<Func<StoredObject, bool>> requirements) => _requirements = requirements;

    public static Selector Everything { get; } = new([]);

    public bool Matches(StoredObject obj) => _requirements.All(r => r(obj));

    public static Selector Parse(string? labelSelector, string? fieldSelector)
    {
        var requirements = new List<Func<StoredObject, bool>>();
        foreach (var term in SplitTerms(labelSelector))
        {
            requirements.Add(ParseLabel(term));
        }

        foreach (var term in SplitTerms(fieldSelector))
        {
            requirements.Add(ParseField(term));
        }

        return requirements.Count == 0 ? Everything : new Selector(requirements);
    }

    private static Func<StoredObject, bool> ParseLabel(string term)
    {
        if (SetTerm().Match(term) is { Success: true } set)
        {
            var key = set.Groups[1].Value;
            var values = set.Groups[3].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToHashSet();
            return set.Groups[2].Value == "in"
                ? o => o.Labels.TryGetValue(key, out var v) && values.Contains(v)
                : o => !o.Labels.TryGetValue(key, out var v) || !values.Contains(v);
        }

        if (term.StartsWith('!'))
        {
            var key = term[1..].Trim();
            return o => !o.Labels.ContainsKey(key);
        }

        if (SplitEquality(term) is (var k, var op, var value))
        {
            return op == "!="
                ? o => !o.Labels.TryGetValue(k, out var v) || v != value
                : o => o.Labels.TryGetValue(k, out var v) && v == value;
        }

        if (!KeyTerm().IsMatch(term))
        {
            throw ApiError.BadRequest($"unable to parse requirement: invalid label selector term \"{term}\"");
        }

        return o => o.Labels.ContainsKey(term);
    }

    private static Func<StoredObject, bool> ParseField(string term)
    {
        if (SplitEquality(term) is not (var field, var op, var value))
        {
            throw ApiError.BadRequest($"invalid field selector: \"{term}\"");
        }

        Func<StoredObject, string> read = field switch
        {
            "metadata.name" => o => o.Name,
            "metadata.namespace" => o => o.Namespace,
            _ => throw ApiError.BadRequest($"field label not supported: {field}"),
        };
        return op == "!=" ? o => read(o) != value : o => read(o) == value;
    }

    private static (string Key, string Op, string Value)? SplitEquality(string term)
    {
        foreach (var op in new[] { "!=", "==", "=" })
        {
            var at = term.IndexOf(op, StringComparison.Ordinal);
            if (at > 0)
            {
                return (term[..at].Trim(), op, term[(at + op.Length)..].Trim());
            }
        }

        return null;
    }

    private static IEnumerable<string> SplitTerms(string? selector)
    {
        if (string.IsNullOrWhiteSpace(selector))
        {
            yield break;
        }

        var depth = 0;
        var start = 0;
        for (var i = 0; i <= selector.Length; i++)
        {
            if (i == selector.Length || (selector[i] == ',' && depth == 0))
            {
                var term = selector[start..i].Trim();
                if (term.Length > 0)
                {
                    yield return term;
                }

                start = i + 1;
            }
            else if (selector[i] == '(')
            {
                depth++;
            }
            else if (selector[i] == ')')
            {
                depth--;
            }
        }
    }

    [GeneratedRegex(@"^([^\s!=()]+)\s+(in|notin)\s+\((.*)\)$")]
    private static partial Regex SetTerm();

    [GeneratedRegex(@"^[A-Za-z0-9][-A-Za-z0-9_./]*$")]
    private static partial Regex KeyTerm();
}
