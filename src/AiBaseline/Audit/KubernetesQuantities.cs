using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace AiBaseline.Audit;

/// <summary>
/// Checks the resource quantities of a workload or claim before it is decoded, so that a value such as
/// <c>${ACCELERATOR_COUNT}</c>, <c>10GB</c> or <c>1gi</c> is a problem naming its field rather than a crash.
/// Quantities are the values of <c>resources.limits</c> and <c>resources.requests</c> (containers, pods,
/// claims and claim templates), of <c>overhead</c>, and <c>emptyDir.sizeLimit</c>.
/// </summary>
public static partial class KubernetesQuantities
{
    /// <summary>What a user is told to write instead.</summary>
    public const string Advice = "write a number with an optional suffix such as 500m, 2, 10Gi";

    /// <summary>Reports every quantity of the object that Kubernetes would refuse, with its dotted path.</summary>
    public static void Check(YamlMappingNode root, Action<string, int, string> report) => Walk(root, "", report);

    /// <summary>Whether the text is a Kubernetes quantity: a signed decimal number with an optional suffix.</summary>
    public static bool IsQuantity(string text) => Grammar().IsMatch(text);

    private static void Walk(YamlNode node, string path, Action<string, int, string> report)
    {
        switch (node)
        {
            case YamlMappingNode mapping:
                foreach (var (key, value) in mapping.Children)
                {
                    var name = (key as YamlScalarNode)?.Value ?? "";
                    if (path.Length == 0 && name is "metadata" or "data" or "binaryData" or "status")
                    {
                        continue;
                    }

                    var child = path.Length == 0 ? name : $"{path}.{name}";
                    if (name is "limits" or "requests" && path.EndsWith("resources", StringComparison.Ordinal) || name == "overhead")
                    {
                        CheckAll(value, child, report);
                    }
                    else if (name == "sizeLimit" && path.EndsWith("emptyDir", StringComparison.Ordinal))
                    {
                        CheckOne(value, child, report);
                    }
                    else
                    {
                        Walk(value, child, report);
                    }
                }

                break;
            case YamlSequenceNode sequence:
                for (var i = 0; i < sequence.Children.Count; i++)
                {
                    Walk(sequence.Children[i], $"{path}[{i}]", report);
                }

                break;
        }
    }

    private static void CheckAll(YamlNode node, string path, Action<string, int, string> report)
    {
        if (node is not YamlMappingNode mapping)
        {
            return; // a list or a scalar here is a type error the decoder reports
        }

        foreach (var (key, value) in mapping.Children)
        {
            CheckOne(value, $"{path}.{(key as YamlScalarNode)?.Value}", report);
        }
    }

    private static void CheckOne(YamlNode node, string path, Action<string, int, string> report)
    {
        if (node is YamlScalarNode { Value: { Length: > 0 } text } && !IsQuantity(text))
        {
            report(path, (int)node.Start.Line, $"\"{text}\" is not a Kubernetes quantity: {Advice}");
        }
    }

    // k8s.io/apimachinery/pkg/api/resource: <signedNumber><suffix>, suffix binary (Ki…Ei), decimal (n u m k M G T P E)
    // or an exponent (e3, E-2).
    [GeneratedRegex(@"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?[0-9]+)?$")]
    private static partial Regex Grammar();
}
