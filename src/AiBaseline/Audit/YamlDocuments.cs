using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace AiBaseline.Audit;

/// <summary>One Kubernetes object as written in the input: its YAML and where it starts.</summary>
/// <param name="File">The file as the user named it.</param>
/// <param name="Line">The line of the file it starts at.</param>
/// <param name="Node">Its YAML.</param>
/// <param name="LineOffset">What to add to the lines of <paramref name="Node"/> to make them lines of the file: the lines before the part of the file it was parsed from.</param>
public sealed record ManifestDocument(string File, int Line, YamlMappingNode Node, int LineOffset = 0)
{
    /// <summary>The line of the file of the field at a dotted path, or of its deepest existing parent.</summary>
    public int LineOf(string field) => field.Length == 0 ? Line : YamlDocuments.LineOf(Node, field) + LineOffset;
}

/// <summary>
/// Splits a file into objects: every YAML document (separated by ---), and the items of a <c>kind: List</c>
/// (what <c>kubectl get -o yaml</c> prints). JSON files are read the same way, since JSON is YAML.
/// </summary>
public static class YamlDocuments
{
    /// <summary>
    /// The objects of <paramref name="text"/>, a file or a part of one that starts after <paramref name="lineOffset"/>
    /// lines of it, read by YamlDotNet; a syntax error stops it and becomes a problem with its line. For what the audit's
    /// own parser reads, <see cref="TryEach"/> gives the same objects faster.
    /// </summary>
    public static List<ManifestDocument> Split(string name, string text, int lineOffset, List<InputProblem> problems)
    {
        var documents = new List<ManifestDocument>();
        if (Load(name, text, lineOffset, problems) is not { } stream)
        {
            return documents;
        }

        // A merge key is a plain "<<", so text without one has nothing to merge.
        var merges = text.Contains("<<", StringComparison.Ordinal);
        foreach (var document in stream.Documents)
        {
            if (merges)
            {
                MergeKeys.Apply(document.RootNode);
            }

            Collect(name, lineOffset, document.RootNode, problems, documents);
        }

        return documents;
    }

    /// <summary>
    /// Hands the objects of <paramref name="text"/> (those <see cref="Split"/> finds) to <paramref name="each"/> one YAML
    /// document at a time, each document's YAML dropped once its objects are handed on; false when the audit's own parser does not read the text: then nothing handed or added to
    /// <paramref name="problems"/> counts, and the caller uses <see cref="Split"/>.
    /// </summary>
    public static bool TryEach(string name, string text, int lineOffset, List<InputProblem> problems, Action<ManifestDocument> each)
    {
        var merges = text.Contains("<<", StringComparison.Ordinal);
        var documents = new List<ManifestDocument>();
        return FastYamlParser.TryLoadEach(text, document =>
        {
            if (merges)
            {
                MergeKeys.Apply(document.RootNode);
            }

            documents.Clear();
            Collect(name, lineOffset, document.RootNode, problems, documents);
            foreach (var found in documents)
            {
                each(found);
            }
        });
    }

    // YamlDotNet's own parse, for what the fast parser does not read: its syntax errors become problems, and null.
    private static YamlStream? Load(string name, string text, int lineOffset, List<InputProblem> problems)
    {
        var stream = new YamlStream();
        using var reader = new StringReader(text);
        var scanner = new Scanner(reader);
        try
        {
            stream.Load(new Parser(scanner));
        }
        catch (YamlException e)
        {
            problems.Add(new InputProblem(name, (int)e.Start.Line + lineOffset, null, null, $"malformed YAML at column {e.Start.Column}: {FirstLine(e.Message)}: fix the syntax"));
            return null;
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner fails this way, without a mark, on some unclosed flow collections ({… or […).
            var at = scanner.CurrentPosition;
            problems.Add(new InputProblem(name, (int)at.Line + lineOffset, null, null, $"malformed YAML at column {at.Column}: unexpected text, often a {{ or [ that is not closed: fix the syntax"));
            return null;
        }

        return stream;
    }

    private static void Collect(string file, int lineOffset, YamlNode node, List<InputProblem> problems, List<ManifestDocument> documents)
    {
        if (node is YamlScalarNode { Value: null or "" or "~" or "null" })
        {
            return; // an empty document, such as a trailing ---
        }

        if (node is not YamlMappingNode mapping)
        {
            problems.Add(new InputProblem(file, (int)node.Start.Line + lineOffset, null, null, "document is not a Kubernetes object (expected a mapping with apiVersion and kind)"));
            return;
        }

        if (Scalar(mapping, "kind") == "List" && mapping.Children.TryGetValue(new YamlScalarNode("items"), out var items))
        {
            foreach (var item in (items as YamlSequenceNode)?.Children ?? [])
            {
                Collect(file, lineOffset, item, problems, documents);
            }

            return;
        }

        documents.Add(new ManifestDocument(file, (int)mapping.Start.Line + lineOffset, mapping, lineOffset));
    }

    /// <summary>The string value of a scalar child, or null.</summary>
    public static string? Scalar(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) && value is YamlScalarNode scalar ? scalar.Value : null;

    /// <summary>The mapping child, or null.</summary>
    public static YamlMappingNode? Mapping(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value as YamlMappingNode : null;

    /// <summary>The line of the node at a dotted path such as spec.models[0].digest, or of its deepest existing parent.</summary>
    public static int LineOf(YamlMappingNode root, string path)
    {
        YamlNode current = root;
        foreach (var segment in path.Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            var name = segment;
            var index = -1;
            var bracket = segment.IndexOf('[', StringComparison.Ordinal);
            if (bracket >= 0)
            {
                name = segment[..bracket];
                _ = int.TryParse(segment[(bracket + 1)..^1], out index);
            }

            if (current is not YamlMappingNode map || !map.Children.TryGetValue(new YamlScalarNode(name), out var child))
            {
                break;
            }

            current = child;
            if (index >= 0)
            {
                if (current is not YamlSequenceNode sequence || index >= sequence.Children.Count)
                {
                    break;
                }

                current = sequence.Children[index];
            }
        }

        return (int)current.Start.Line;
    }

    private static string FirstLine(string message)
    {
        // YamlDotNet prefixes "(Line: l, Col: c, Idx: i) - (…): "; the mark is reported separately.
        var text = message.Split('\n')[0].Trim();
        var dash = text.LastIndexOf("): ", StringComparison.Ordinal);
        return dash >= 0 ? text[(dash + 3)..] : text;
    }
}
