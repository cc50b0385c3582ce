using System.Collections.Frozen;
using System.Collections.Immutable;
using YamlDotNet.RepresentationModel;

namespace AiBaseline.Engine.Catalog;

/// <summary>The provisions of ETSI EN 304 223 V2.1.1, loaded once from the embedded provisions.yaml.</summary>
public static class ProvisionCatalog
{
    private static readonly Lazy<Loaded> Data = new(Load);

    /// <summary>The thirteen principles.</summary>
    public static ImmutableArray<Principle> Principles => Data.Value.Catalog.Principles;

    /// <summary>All provisions in the standard's order.</summary>
    public static ImmutableArray<Provision> Provisions => Data.Value.Catalog.Provisions;

    /// <summary>Finds a provision by id.</summary>
    public static bool TryGet(string id, out Provision provision) => Data.Value.ById.TryGetValue(id, out provision!);

    private sealed record Loaded(ProvisionCatalogData Catalog, FrozenDictionary<string, Provision> ById);

    private static Loaded Load()
    {
        using var stream = typeof(ProvisionCatalog).Assembly.GetManifestResourceStream("AiBaseline.Engine.Catalog.provisions.yaml")
            ?? throw new InvalidOperationException("provision catalog: the embedded resource provisions.yaml is missing from the engine assembly");
        using var reader = new StreamReader(stream);
        var yaml = new YamlStream();
        yaml.Load(reader);
        var root = (YamlMappingNode)yaml.Documents[0].RootNode;
        var stages = ((YamlMappingNode)root["iso_iec_22989_stages"]).Children
            .ToDictionary(pair => Text(pair.Key), pair => Text(pair.Value), StringComparer.Ordinal);

        var principles = ((YamlSequenceNode)root["principles"]).Children.Cast<YamlMappingNode>()
            .Select(node => new Principle(
                int.Parse(Text(node["number"]), System.Globalization.CultureInfo.InvariantCulture),
                Text(node["clause"]),
                Text(node["title"]),
                Text(node["phase"]),
                Text(node["iso_iec_22989_stage"])))
            .ToImmutableArray();

        var provisions = ((YamlSequenceNode)root["provisions"]).Children.Cast<YamlMappingNode>()
            .Select(node =>
            {
                var phase = Text(node["phase"]);
                return new Provision(
                    Text(node["id"]),
                    Text(node["uk_code_id"]),
                    int.Parse(Text(node["principle"]), System.Globalization.CultureInfo.InvariantCulture),
                    phase,
                    stages[phase],
                    Text(node["obligation"]) == "shall",
                    Text(node["summary"]),
                    Enum.Parse<Automation>(Text(node["automation"]), ignoreCase: true),
                    node.Children.TryGetValue(new YamlScalarNode("parent"), out var parent) ? Text(parent) : null)
                {
                    Stakeholders = node.Children.TryGetValue(new YamlScalarNode("stakeholders"), out var who) && who is YamlSequenceNode list
                        ? [.. list.Children.Select(Text)]
                        : [],
                };
            })
            .ToImmutableArray();

        return new Loaded(new ProvisionCatalogData(principles, provisions), provisions.ToFrozenDictionary(p => p.Id, StringComparer.Ordinal));
    }

    private static string Text(YamlNode node) => ((YamlScalarNode)node).Value ?? "";
}
