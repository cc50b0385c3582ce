using System.Text.Json.Nodes;

namespace AiBaseline.Cli.Tests.Audit;

/// <summary>The audit reads standard input, kubectl List output and JSON files like directories of YAML.</summary>
public sealed class InputFormsTests
{
    private static string ExampleText(string example) =>
        string.Join("\n---\n", Directory.GetFiles(AuditHarness.Examples(example), "*.yaml").Order(StringComparer.Ordinal).Select(File.ReadAllText))
        + "\n---\n" + File.ReadAllText(AuditHarness.Examples("profiles/default.yaml"));

    private static string ControlsOf(string json) =>
        string.Join(",", JsonNode.Parse(json)!["items"]!.AsArray().SelectMany(i => i!["status"]!["controls"]!.AsArray()).Select(c => $"{c!["name"]}={c["result"]}"));

    [Fact]
    public void Standard_input_gives_the_same_verdict_as_the_folder()
    {
        var fromStdin = AuditHarness.RunWithStdin(ExampleText("llm-inference-noncompliant"), "-", "-o", "json");
        var fromFolder = AuditHarness.Run(AuditHarness.Examples("llm-inference-noncompliant"), AuditHarness.Examples("profiles"), "-o", "json");

        Assert.Equal(1, fromStdin.Exit);
        Assert.Equal(ControlsOf(fromFolder.Stdout), ControlsOf(fromStdin.Stdout));
    }

    [Fact]
    public void An_empty_value_is_unset_as_the_API_server_reads_it_and_the_field_takes_its_default()
    {
        // "forbidSecretsInConfigMaps:" with nothing after it: the API server drops the null and defaults the field.
        var profile = "apiVersion: aibaseline.io/v1alpha1\nkind: BaselineProfile\nmetadata:\n  name: default\nspec:\n  secrets:\n    forbidSecretsInConfigMaps:\n";
        var withEmpty = AuditHarness.RunWithStdin(ExampleText("llm-inference-compliant").Replace(File.ReadAllText(AuditHarness.Examples("profiles/default.yaml")), profile, StringComparison.Ordinal), "-", "-o", "json");
        var withDefault = AuditHarness.RunWithStdin(ExampleText("llm-inference-compliant").Replace(File.ReadAllText(AuditHarness.Examples("profiles/default.yaml")), profile.Replace("    forbidSecretsInConfigMaps:\n", "", StringComparison.Ordinal), StringComparison.Ordinal), "-", "-o", "json");

        Assert.NotEqual(2, withEmpty.Exit);
        Assert.Equal(ControlsOf(withDefault.Stdout), ControlsOf(withEmpty.Stdout));
    }

    [Fact]
    public void Stdin_problems_name_the_input_as_dash()
    {
        var run = AuditHarness.RunWithStdin("apiVersion: aibaseline.io/v1alpha1\nkind: AIModelDeployment\nmetadata:\n  name: chat\nspec:\n  stage: Live\n", "-");

        Assert.Equal(2, run.Exit);
        Assert.StartsWith("-:6: AIModelDeployment/chat: spec.stage:", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_kubectl_List_is_read_item_by_item()
    {
        // What `kubectl get aimd,deploy,netpol,sa,secret -o yaml` prints: one List whose items are the objects.
        var items = ExampleText("llm-inference-compliant").Split("\n---\n")
            .Select(doc => "- " + string.Join("\n  ", doc.Split('\n').Where(l => !l.TrimStart().StartsWith('#') && l.Length > 0)));
        var list = "apiVersion: v1\nkind: List\nmetadata:\n  resourceVersion: \"\"\nitems:\n" + string.Join("\n", items) + "\n";
        using var temp = new TempManifests();
        var path = temp.Write("cluster.yaml", list);

        var run = AuditHarness.Run(path, "-o", "json");

        Assert.Equal(0, run.Exit);
        Assert.DoesNotContain("NotMet", ControlsOf(run.Stdout), StringComparison.Ordinal);
    }

    [Fact]
    public void Json_files_are_read_like_yaml()
    {
        using var temp = new TempManifests();
        temp.Write("aimd.json", """
            {"apiVersion": "aibaseline.io/v1alpha1", "kind": "AIModelDeployment",
             "metadata": {"name": "sketch", "namespace": "research"},
             "spec": {"stage": "Design", "owners": [{"name": "Research"}],
                      "evidence": [{"type": "ThreatModel", "uri": "https://docs.example/tm", "date": "2026-05-01"}]}}
            """);

        var run = AuditHarness.Run(temp.Dir, "-o", "json");

        Assert.Equal(0, run.Exit);
        Assert.Equal("research", (string?)JsonNode.Parse(run.Stdout)!["items"]![0]!["metadata"]!["namespace"]);
    }

    [Fact]
    public void Objects_without_namespace_get_the_namespace_option()
    {
        using var temp = new TempManifests();
        temp.Write("aimd.yaml", "apiVersion: aibaseline.io/v1alpha1\nkind: AIModelDeployment\nmetadata:\n  name: sketch\nspec:\n  stage: Design\n");

        var run = AuditHarness.Run(temp.Dir, "-n", "team-a", "-o", "json");

        Assert.Equal("team-a", (string?)JsonNode.Parse(run.Stdout)!["items"]![0]!["metadata"]!["namespace"]);
    }
}
