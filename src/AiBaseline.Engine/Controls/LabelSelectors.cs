using k8s.Models;

namespace AiBaseline.Engine.Controls;

/// <summary>Kubernetes label selector semantics: every matchLabels pair and every matchExpressions requirement must hold.</summary>
internal static class LabelSelectors
{
    /// <summary>True when <paramref name="selector"/> selects an object with <paramref name="labels"/>; an empty or absent selector selects everything.</summary>
    public static bool Matches(V1LabelSelector? selector, IDictionary<string, string>? labels)
    {
        if (selector is null)
        {
            return true;
        }

        // A plain dictionary or list is walked without an enumerator object: selectors are matched against every
        // workload of a namespace, many times over.
        switch (selector.MatchLabels)
        {
            case Dictionary<string, string> required:
                foreach (var (key, value) in required)
                {
                    if (!Has(labels, key, value))
                    {
                        return false;
                    }
                }

                break;
            case { } required:
                foreach (var (key, value) in required)
                {
                    if (!Has(labels, key, value))
                    {
                        return false;
                    }
                }

                break;
        }

        if (selector.MatchExpressions is { Count: > 0 } expressions)
        {
            for (var i = 0; i < expressions.Count; i++)
            {
                if (!Holds(expressions[i], labels))
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static bool Has(IDictionary<string, string>? labels, string key, string value) =>
        labels is not null && labels.TryGetValue(key, out var actual) && actual == value;

    /// <summary>"key=value" pairs sorted by key, for messages.</summary>
    public static string Describe(IDictionary<string, string>? labels)
    {
        if (labels is null || labels.Count == 0)
        {
            return "no labels";
        }

        var pairs = new string[labels.Count];
        var i = 0;
        foreach (var (key, value) in labels)
        {
            pairs[i++] = $"{key}={value}";
        }

        Array.Sort(pairs, StringComparer.Ordinal);
        return string.Join(",", pairs);
    }

    /// <summary>A selector as it reads in YAML, for messages: "{}" when it selects everything.</summary>
    public static string Describe(V1LabelSelector selector)
    {
        var labels = selector.MatchLabels is { Count: > 0 } ? Describe(selector.MatchLabels) : null;
        var expressions = selector.MatchExpressions is { Count: > 0 } list
            ? string.Join(",", list.Select(r => $"{r.Key} {r.OperatorProperty} ({string.Join(",", r.Values ?? [])})"))
            : null;
        return (labels, expressions) switch
        {
            (null, null) => "{}",
            (not null, null) => labels,
            (null, not null) => expressions,
            _ => $"{labels},{expressions}",
        };
    }

    private static bool Holds(V1LabelSelectorRequirement requirement, IDictionary<string, string>? labels)
    {
        string? actual = null;
        var present = labels is not null && labels.TryGetValue(requirement.Key, out actual);
        return requirement.OperatorProperty switch
        {
            "In" => present && Contains(requirement.Values, actual!),
            "NotIn" => !present || !Contains(requirement.Values, actual!),
            "Exists" => present,
            "DoesNotExist" => !present,
            // The API server rejects other operators; a selector it would not accept selects nothing.
            _ => false,
        };
    }

    private static bool Contains(IList<string>? values, string value)
    {
        if (values is null)
        {
            return false;
        }

        foreach (var candidate in values)
        {
            if (candidate == value)
            {
                return true;
            }
        }

        return false;
    }
}
