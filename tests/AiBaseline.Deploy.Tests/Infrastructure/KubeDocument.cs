using System.Text.RegularExpressions;
using k8s;
using YamlDotNet.RepresentationModel;

namespace AiBaseline.Deploy.Tests.Infrastructure;

/// <summary>One Kubernetes object from a rendered manifest stream, kept as YAML text and as a node tree.</summary>
internal sealed record KubeDocument(string Source, string ApiVersion, string Kind, string Name, string Namespace, string Text, YamlMappingNode Root)
{
    /// <summary>Kind, namespace and name, the identity the parity test compares.</summary>
    public string Identity => $"{Kind} {(Namespace.Length == 0 ? "" : Namespace + "/")}{Name}";

    /// <summary>The object as a KubernetesClient model, read by the same deserializer the operator uses.</summary>
    public T As<T>() => KubernetesYaml.Deserialize<T>(Text, strict: true);

    /// <summary>Splits a multi-document YAML stream into objects; a document without apiVersion, kind or name fails the test.</summary>
    public static IReadOnlyList<KubeDocument> ParseAll(string source, string yaml)
    {
        var documents = new List<KubeDocument>();
        var chunks = Regex.Split(yaml, @"^---[ \t]*$", RegexOptions.Multiline);
        for (var index = 0; index < chunks.Length; index++)
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(chunks[index]));
            if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
            {
                continue;
            }

            var where = $"{source}: document {index}";
            var kind = Yaml.Scalar(root, "kind") ?? throw new InvalidDataException($"{where}: no kind");
            var apiVersion = Yaml.Scalar(root, "apiVersion") ?? throw new InvalidDataException($"{where} ({kind}): no apiVersion");
            var name = Yaml.Scalar(root, "metadata", "name") ?? throw new InvalidDataException($"{where} ({kind}): no metadata.name");
            var ns = Yaml.Scalar(root, "metadata", "namespace") ?? "";
            documents.Add(new KubeDocument(source, apiVersion, kind, name, ns, chunks[index], root));
        }

        return documents;
    }
}

/// <summary>Small readers over YamlDotNet node trees.</summary>
internal static class Yaml
{
    public static YamlNode? Node(YamlNode node, params string[] path)
    {
        var current = node;
        foreach (var key in path)
        {
            if (current is not YamlMappingNode mapping || !mapping.Children.TryGetValue(new YamlScalarNode(key), out var next))
            {
                return null;
            }

            current = next;
        }

        return current;
    }

    public static string? Scalar(YamlNode node, params string[] path) => (Node(node, path) as YamlScalarNode)?.Value;

    /// <summary>A node tree as plain data (dictionaries, lists, strings) for structural comparison.</summary>
    public static object? ToData(YamlNode? node) => node switch
    {
        YamlMappingNode mapping => new SortedDictionary<string, object?>(
            mapping.Children.ToDictionary(pair => ((YamlScalarNode)pair.Key).Value!, pair => ToData(pair.Value)), StringComparer.Ordinal),
        YamlSequenceNode sequence => sequence.Children.Select(ToData).ToList(),
        YamlScalarNode scalar => scalar.Value,
        _ => null,
    };

    /// <summary>Canonical text of a node tree: keys sorted, so two trees with the same content compare equal.</summary>
    public static string Canonical(YamlNode? node) => System.Text.Json.JsonSerializer.Serialize(ToData(node));

    public static YamlMappingNode Load(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }
}
