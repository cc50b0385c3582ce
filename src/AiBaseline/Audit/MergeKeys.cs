using YamlDotNet.RepresentationModel;

namespace AiBaseline.Audit;

/// <summary>
/// Resolves YAML merge keys (<c>&lt;&lt;: *anchor</c> and <c>&lt;&lt;: [*a, *b]</c>) as kubectl does (go-yaml v2):
/// a key written after the merge wins over a merged one, a merged one over a key written before it, and an earlier
/// mapping of a merged list over a later one.
/// </summary>
public static class MergeKeys
{
    /// <summary>Merges in place every mapping under the node; shared (anchored) nodes are resolved once.</summary>
    public static void Apply(YamlNode root) => Walk(root, new HashSet<YamlNode>(ReferenceEqualityComparer.Instance));

    private static void Walk(YamlNode node, HashSet<YamlNode> seen)
    {
        if (!seen.Add(node))
        {
            return;
        }

        switch (node)
        {
            case YamlMappingNode mapping:
                foreach (var value in mapping.Children.Values.ToList())
                {
                    Walk(value, seen);
                }

                if (mapping.Children.Keys.Any(IsMergeKey))
                {
                    Resolve(mapping);
                }

                break;
            case YamlSequenceNode sequence:
                foreach (var item in sequence.Children)
                {
                    Walk(item, seen);
                }

                break;
        }
    }

    // go-yaml v2 reads the keys in order, each write replacing an earlier one: a merge overrides the keys written
    // before it, keys written after it override the merge, and of a list of merged mappings the first wins.
    private static void Resolve(YamlMappingNode mapping)
    {
        var result = new List<KeyValuePair<YamlNode, YamlNode>>();
        void Set(YamlNode key, YamlNode value)
        {
            var at = result.FindIndex(p => p.Key.Equals(key));
            if (at >= 0)
            {
                result[at] = new(key, value);
            }
            else
            {
                result.Add(new(key, value));
            }
        }

        foreach (var (key, value) in mapping.Children)
        {
            if (!IsMergeKey(key))
            {
                Set(key, value);
                continue;
            }

            var sources = value is YamlSequenceNode list ? list.Children : [value];
            foreach (var source in sources.Reverse().OfType<YamlMappingNode>())
            {
                foreach (var (mergedKey, mergedValue) in source.Children)
                {
                    Set(mergedKey, mergedValue);
                }
            }
        }

        mapping.Children.Clear();
        foreach (var (key, value) in result)
        {
            mapping.Children.Add(key, value);
        }
    }

    // A quoted "<<" is an ordinary key.
    private static bool IsMergeKey(YamlNode key) =>
        key is YamlScalarNode { Value: "<<", Style: YamlDotNet.Core.ScalarStyle.Plain or YamlDotNet.Core.ScalarStyle.Any };
}
