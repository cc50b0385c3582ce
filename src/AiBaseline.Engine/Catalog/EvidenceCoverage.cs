using System.Collections.Frozen;
using System.Collections.Immutable;
using AiBaseline.Api.V1Alpha1;
using YamlDotNet.RepresentationModel;

namespace AiBaseline.Engine.Catalog;

/// <summary>How a provision can be shown.</summary>
public enum CoverageKind
{
    /// <summary>A fresh reference of one of the row's evidence types meets it.</summary>
    Document,
    /// <summary>Only the cluster's state can show it; no document meets it.</summary>
    Cluster,
    /// <summary>A control decides it from the cluster, whatever evidence says.</summary>
    Control,
}

/// <summary>One row of evidence-coverage.yaml: how a provision can be shown, and why.</summary>
/// <param name="Id">The provision id.</param>
/// <param name="Kind">Whether a document, only the cluster, or a control shows it.</param>
/// <param name="Types">For <see cref="CoverageKind.Document"/>: the evidence types that meet it; otherwise empty.</param>
/// <param name="Why">One line saying why.</param>
public sealed record CoverageRow(string Id, CoverageKind Kind, ImmutableArray<EvidenceType> Types, string Why);

/// <summary>
/// Which evidence can meet each provision, loaded once from the embedded evidence-coverage.yaml: the evidence types
/// whose documents can show it, or that only the cluster (or a control) can. A reference meets a provision of a
/// document row when its type is listed or when it names the provision in spec.evidence[].provisions; naming a
/// provision of a cluster or control row meets nothing, and <see cref="IgnoredClaims"/> lists those names.
/// </summary>
public static class EvidenceCoverage
{
    private static readonly Lazy<FrozenDictionary<string, CoverageRow>> Rows = new(Load);

    /// <summary>Every row, keyed by provision id.</summary>
    public static IReadOnlyDictionary<string, CoverageRow> All => Rows.Value;

    /// <summary>The row of <paramref name="id"/>.</summary>
    public static CoverageRow For(string id) => Rows.Value[id];

    /// <summary>True when <paramref name="reference"/> meets <paramref name="provision"/>, by its type or by naming it.</summary>
    public static bool Covers(EvidenceReference reference, Provision provision)
    {
        var row = For(provision.Id);
        return row.Kind == CoverageKind.Document
            && (row.Types.Contains(reference.Type) || (reference.Provisions?.Contains(provision.Id, StringComparer.Ordinal) ?? false));
    }

    /// <summary>The ids <paramref name="reference"/> names that no document can meet, in the order given, without repeats.</summary>
    public static ImmutableArray<string> IgnoredClaims(EvidenceReference reference) =>
        [.. (reference.Provisions ?? []).Distinct(StringComparer.Ordinal)
            .Where(id => Rows.Value.TryGetValue(id, out var row) && row.Kind != CoverageKind.Document)];

    private static FrozenDictionary<string, CoverageRow> Load()
    {
        using var stream = typeof(EvidenceCoverage).Assembly.GetManifestResourceStream("AiBaseline.Engine.Catalog.evidence-coverage.yaml")
            ?? throw new InvalidOperationException("evidence coverage: the embedded resource evidence-coverage.yaml is missing from the engine assembly");
        using var reader = new StreamReader(stream);
        var yaml = new YamlStream();
        yaml.Load(reader);
        var root = (YamlMappingNode)yaml.Documents[0].RootNode;
        var rows = new Dictionary<string, CoverageRow>(StringComparer.Ordinal);
        foreach (var (key, value) in ((YamlMappingNode)root["provisions"]).Children)
        {
            var id = ((YamlScalarNode)key).Value ?? "";
            var node = (YamlMappingNode)value;
            var why = ((YamlScalarNode)node["why"]).Value ?? "";
            rows[id] = node["evidence"] switch
            {
                YamlScalarNode { Value: "cluster" } => new CoverageRow(id, CoverageKind.Cluster, [], why),
                YamlScalarNode { Value: "control" } => new CoverageRow(id, CoverageKind.Control, [], why),
                YamlSequenceNode types => new CoverageRow(id, CoverageKind.Document, [.. types.Children.Select(t => Enum.Parse<EvidenceType>(((YamlScalarNode)t).Value ?? ""))], why),
                var other => throw new InvalidOperationException($"evidence coverage: {id}: evidence must be a list of evidence types, cluster or control, not {other}"),
            };
        }

        return rows.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
