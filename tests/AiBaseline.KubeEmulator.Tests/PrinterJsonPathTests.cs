using System.Text.Json.Nodes;

namespace AiBaseline.KubeEmulator.Tests;

public sealed class PrinterJsonPathTests
{
    private static readonly JsonNode Object = JsonNode.Parse("""
        {
          "metadata": { "name": "llama-chat", "labels": { "app.kubernetes.io/name": "llama" } },
          "spec": { "stage": "Deployment", "replicas": 2, "paused": false, "note": null,
                    "models": [ { "name": "a", "size": 7 }, { "name": "b", "size": 70 } ] },
          "status": { "conditions": [
            { "type": "Reconciling", "status": "False" },
            { "type": "Ready", "status": "True", "message": "all met" } ] }
        }
        """)!;

    [Theory]
    [InlineData(".spec.stage", "\"Deployment\"", "a dotted field")]
    [InlineData("$.spec.stage", "\"Deployment\"", "a leading $ is the same root")]
    [InlineData(".spec.replicas", "2", "numbers come back as numbers")]
    [InlineData(".spec.paused", "false", "false is a value, not a missing one")]
    [InlineData(".spec.note", "null", "an explicit null is selected as null")]
    [InlineData(".status.conditions[?(@.type==\"Ready\")].status", "\"True\"", "the Ready column's filter")]
    [InlineData(".status.conditions[?(@.type=='Ready')].message", "\"all met\"", "single-quoted filter literal")]
    [InlineData(".status.conditions[?(@.type != \"Ready\")].type", "\"Reconciling\"", "a not-equal filter with spaces")]
    [InlineData(".spec.models[?(@.size==70)].name", "\"b\"", "a numeric filter literal")]
    [InlineData(".status.conditions[0].type", "\"Reconciling\"", "an index")]
    [InlineData(".status.conditions[-1].type", "\"Ready\"", "a negative index counts from the end")]
    [InlineData(".spec.models[*].name", "\"a\",\"b\"", "a wildcard selects every element in order")]
    [InlineData(".metadata.labels['app.kubernetes.io/name']", "\"llama\"", "a quoted key holding dots and a slash")]
    [InlineData(".status.conditions[?(@.type==\"Stalled\")].status", "", "a filter matching nothing selects nothing")]
    [InlineData(".status.conditions[5].type", "", "an index past the end selects nothing")]
    [InlineData(".spec.missing.deeper", "", "missing keys select nothing rather than fail")]
    [InlineData(".spec.stage.length", "", "a field of a string selects nothing")]
    public void Evaluate_selects_what_the_server_selects(string path, string expected, string reason)
    {
        var found = string.Join(",", PrinterJsonPath.Parse(path).Evaluate(Object).Select(n => n?.ToJsonString() ?? "null"));

        Assert.True(expected == found, $"{reason}: {path} selected [{found}], expected [{expected}]");
    }

    [Theory]
    [InlineData(".spec[", "expected", "an unclosed bracket")]
    [InlineData(".spec.", "a field name", "a trailing dot")]
    [InlineData(".spec.models[x]", "an index", "a bracket holding neither index, name nor filter")]
    [InlineData(".status.conditions[?(@.type~\"Ready\")]", "'==' or '!='", "an unsupported filter operator")]
    [InlineData(".status.conditions[?(@.type==Ready)]", "a quoted string", "an unquoted string literal")]
    [InlineData("", "selects nothing", "an empty path")]
    public void Parse_refuses_paths_outside_the_subset_naming_the_problem(string path, string expected, string reason)
    {
        var error = Assert.Throws<FormatException>(() => PrinterJsonPath.Parse(path));

        Assert.True(error.Message.Contains(expected, StringComparison.Ordinal), $"{reason}: {error.Message}");
        Assert.Contains($"\"{path}\"", error.Message, StringComparison.Ordinal);
    }
}
