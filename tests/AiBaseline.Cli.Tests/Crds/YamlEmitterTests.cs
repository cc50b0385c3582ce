using System.Text.Json.Nodes;
using AiBaseline.Crds;

namespace AiBaseline.Cli.Tests.Crds;

/// <summary>Emitted YAML reads back as the same JSON, whatever the strings look like.</summary>
public sealed class YamlEmitterTests
{
    [Theory]
    [InlineData("True", "a boolean word in YAML")]
    [InlineData("no", "a YAML 1.1 boolean")]
    [InlineData("365", "an integer")]
    [InlineData("1.5e3", "a float")]
    [InlineData("2026-01-01", "a YAML 1.1 timestamp")]
    [InlineData("0x1F", "a YAML 1.1 hex integer")]
    [InlineData("", "empty, which reads as null")]
    [InlineData("~", "null")]
    [InlineData("key: value", "a mapping indicator")]
    [InlineData("- item", "a sequence indicator")]
    [InlineData("text # comment", "a comment")]
    [InlineData("*alias", "an alias")]
    [InlineData(" padded ", "surrounding blanks")]
    [InlineData("quote \" and backslash \\", "escapes")]
    [InlineData("tab\there", "a control character")]
    [InlineData("Where: …", "non-ASCII text with a colon")]
    [InlineData(".status.conditions[?(@.type==\"Ready\")].status", "a JSONPath")]
    [InlineData("first line\nsecond: line", "several lines")]
    [InlineData("trailing newline\n", "a final line break")]
    public void Strings_read_back_as_the_same_strings(string text, string why)
    {
        var document = new JsonObject { ["value"] = text, ["list"] = new JsonArray(text) };

        var read = YamlDocuments.Load(YamlEmitter.Emit(document)).Single()!;

        Assert.True(text == (string?)read["value"], why);
        Assert.True(text == (string?)read["list"]![0], why);
    }

    [Fact]
    public void Nested_mappings_sequences_and_scalars_read_back_unchanged()
    {
        var document = JsonNode.Parse("""
            {"a":{"b":[{"c":1,"d":[true,false]},{"e":{}}],"f":[]},"g":null,"h":-3,"i":"x"}
            """)!;

        var read = YamlDocuments.Load(YamlEmitter.Emit(document)).Single()!;

        Assert.True(JsonNode.DeepEquals(document, read), read.ToJsonString());
    }

    [Fact]
    public void Sequences_of_mappings_are_written_the_way_kubectl_writes_them()
    {
        var yaml = YamlEmitter.Emit(JsonNode.Parse("""{"items":[{"name":"a","type":"b"}]}""")!);

        Assert.Equal("items:\n- name: a\n  type: b\n", yaml);
    }
}
