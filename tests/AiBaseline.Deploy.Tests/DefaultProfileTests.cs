using System.Globalization;
using System.Text.Json.Nodes;
using AiBaseline.Deploy.Tests.Infrastructure;
using YamlDotNet.RepresentationModel;

namespace AiBaseline.Deploy.Tests;

/// <summary>The shipped `default` BaselineProfile is valid against the generated CRD, so the API server accepts it as written.</summary>
public sealed class DefaultProfileTests
{
    private static readonly YamlNode SpecSchema = Yaml.Node(
        Assert.Single(KubeDocument.ParseAll("crds/aibaseline.io_baselineprofiles.yaml", Repo.Read("crds/aibaseline.io_baselineprofiles.yaml"))).Root,
        "spec", "versions")! is YamlSequenceNode versions
        ? Yaml.Node(versions[0], "schema", "openAPIV3Schema", "properties", "spec")!
        : throw new InvalidDataException("crds/aibaseline.io_baselineprofiles.yaml: no spec.versions");

    public static TheoryData<string> Sources() => ["deploy/profile/default-profile.yaml", "helm-default", "helm-ci"];

    private static KubeDocument Profile(string source) => source switch
    {
        "helm-default" => Renders.Helm(Renders.DefaultValues).Single("BaselineProfile", "default"),
        "helm-ci" => Renders.Helm(Renders.CiValues).Single("BaselineProfile", "default"),
        _ => Assert.Single(KubeDocument.ParseAll(source, Repo.Read(source))),
    };

    [Theory]
    [MemberData(nameof(Sources))]
    public void Profile_fields_exist_in_the_crd_with_allowed_values(string source)
    {
        var profile = Profile(source);
        Assert.Equal("aibaseline.io/v1alpha1", profile.ApiVersion);
        var errors = new List<string>();
        Validate(Yaml.Node(profile.Root, "spec")!, SpecSchema, "spec", errors);
        Assert.True(errors.Count == 0, $"{source}: {string.Join("; ", errors)}");
    }

    [Fact]
    public void Validator_reports_unknown_fields_and_bad_enums()
    {
        var errors = new List<string>();
        Validate(Yaml.Load("mode: Warn\nimages:\n  requireDigests: true\nevidence:\n  maxAgeDays: many\n"), SpecSchema, "spec", errors);
        Assert.Equal(
            ["spec.mode: Warn is not one of Audit, Enforce", "spec.images.requireDigests: not in the CRD schema", "spec.evidence.maxAgeDays: many is not an integer"],
            errors);
    }

    [Theory]
    [InlineData("mode", "mode")]
    [InlineData("runtime/properties/level", "runtime/level")]
    public void Chart_schema_enums_match_the_crd(string valuesSchemaPath, string crdPath)
    {
        var values = JsonNode.Parse(Repo.Read("charts/aibaseline/values.schema.json"))!;
        JsonNode node = values["properties"]!["defaultProfile"]!["properties"]!["spec"]!["properties"]!;
        foreach (var segment in valuesSchemaPath.Split('/'))
        {
            node = node[segment]!;
        }

        var crd = SpecSchema;
        foreach (var segment in crdPath.Split('/'))
        {
            crd = Yaml.Node(crd, "properties", segment)!;
        }

        var crdEnum = ((YamlSequenceNode)Yaml.Node(crd, "enum")!).Children.Select(c => ((YamlScalarNode)c).Value!);
        Assert.Equal(crdEnum, node["enum"]!.AsArray().Select(v => (string)v!));
    }

    private static void Validate(YamlNode value, YamlNode schema, string path, List<string> errors)
    {
        var type = Yaml.Scalar(schema, "type");
        switch (value)
        {
            case YamlMappingNode mapping:
                foreach (var (key, child) in mapping.Children)
                {
                    var name = ((YamlScalarNode)key).Value!;
                    var childSchema = Yaml.Node(schema, "properties", name);
                    if (childSchema is null)
                    {
                        errors.Add($"{path}.{name}: not in the CRD schema");
                        continue;
                    }

                    Validate(child, childSchema, $"{path}.{name}", errors);
                }

                break;
            case YamlSequenceNode sequence:
                for (var i = 0; i < sequence.Children.Count; i++)
                {
                    Validate(sequence.Children[i], Yaml.Node(schema, "items")!, $"{path}[{i}]", errors);
                }

                break;
            case YamlScalarNode scalar:
                var text = scalar.Value ?? "";
                if (type == "boolean" && text is not ("true" or "false")) { errors.Add($"{path}: {text} is not a boolean"); }
                if (type == "integer" && !long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out _)) { errors.Add($"{path}: {text} is not an integer"); }
                if (Yaml.Node(schema, "enum") is YamlSequenceNode allowed && !allowed.Children.Any(a => ((YamlScalarNode)a).Value == text))
                {
                    errors.Add($"{path}: {text} is not one of {string.Join(", ", allowed.Children.Select(a => ((YamlScalarNode)a).Value))}");
                }

                break;
        }
    }
}
