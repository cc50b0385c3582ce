using System.Text.Json.Nodes;
using AiBaseline.Crds;

namespace AiBaseline.Cli.Tests.Crds;

/// <summary>The rewrite from exported JSON Schema to the structural subset, on shapes the exporter produces.</summary>
public sealed class StructuralSchemaTests
{
    [Fact]
    public void Nullable_type_arrays_become_one_type_plus_nullable()
    {
        var result = StructuralSchema.Rewrite(Parse("""{"type":"object","properties":{"a":{"type":["string","null"]}}}"""));

        Assert.Equal("""{"nullable":true,"type":"string"}""", result["properties"]!["a"]!.ToJsonString());
    }

    [Fact]
    public void Null_is_taken_out_of_enums_and_the_enum_gets_a_string_type()
    {
        var result = StructuralSchema.Rewrite(Parse("""{"type":"object","properties":{"a":{"enum":["A","B",null]}}}"""));

        Assert.Equal("""{"enum":["A","B"],"nullable":true,"type":"string"}""", result["properties"]!["a"]!.ToJsonString());
    }

    [Fact]
    public void References_are_inlined_and_keywords_beside_them_win()
    {
        var exported = Parse("""
            {"type":"object","properties":{
              "first":{"type":"object","description":"shape","properties":{"x":{"type":"integer"}}},
              "second":{"$ref":"#/properties/first","description":"the second use"}}}
            """);

        var second = StructuralSchema.Rewrite(exported)["properties"]!["second"]!;

        Assert.Equal("""{"description":"the second use","properties":{"x":{"type":"integer"}},"type":"object"}""", second.ToJsonString());
    }

    [Fact]
    public void A_node_with_two_types_is_rejected_with_its_path()
    {
        var exported = Parse("""{"type":"object","properties":{"spec":{"type":"object","properties":{"size":{"type":["string","integer"]}}}}}""");

        var error = Assert.Throws<InvalidOperationException>(() => StructuralSchema.Rewrite(exported));

        Assert.Contains(".spec.size", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_node_without_a_type_is_rejected_with_its_path()
    {
        var exported = Parse("""{"type":"object","properties":{"anything":{}}}""");

        var error = Assert.Throws<InvalidOperationException>(() => StructuralSchema.Rewrite(exported));

        Assert.Contains(".anything", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Properties_and_required_are_sorted()
    {
        var result = StructuralSchema.Rewrite(Parse("""{"type":"object","required":["b","a"],"properties":{"b":{"type":"string"},"a":{"type":"string"}}}"""));

        Assert.Equal(["a", "b"], result["properties"]!.AsObject().Select(p => p.Key));
        Assert.Equal("""["a","b"]""", result["required"]!.ToJsonString());
    }

    private static JsonNode Parse(string json) => JsonNode.Parse(json)!;
}
