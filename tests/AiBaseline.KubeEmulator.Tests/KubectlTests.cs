using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using k8s;
using k8s.Models;

namespace AiBaseline.KubeEmulator.Tests;

/// <summary>The everyday kubectl commands a user runs against the shipped CRDs, with the real kubectl binary.</summary>
public sealed partial class KubectlTests
{
    private const string Group = "aibaseline.io";
    private const string Version = "v1alpha1";
    private const string Plural = "aimodeldeployments";

    [Fact]
    public async Task Get_across_namespaces_shows_the_printer_columns_with_the_written_status()
    {
        await using var api = await SeededAsync();
        using var kubectl = new Kubectl(api);

        var table = Kubectl.Table(kubectl.Run("get", "aimd", "-A").Succeeded());

        Assert.Equal(["NAMESPACE", "NAME", "STAGE", "READY", "VERDICT", "COMPLIANCE", "AGE"], table[0]);
        Assert.Equal(["llm-serving", "llama-chat", "Deployment", "False", "Fail", "14/15"], table[1][..6]);
        Assert.Equal(["team-b", "draft", "Design", "", "", ""], table[2][..6]);
        Assert.All(table.Skip(1), row => Assert.Matches(SecondsOld(), row[6]));
        Assert.Equal(3, table.Count);
    }

    [Fact]
    public async Task Paging_one_object_at_a_time_prints_the_same_table()
    {
        await using var api = await SeededAsync();
        using var kubectl = new Kubectl(api);

        var whole = Kubectl.Table(kubectl.Run("get", "aimd", "-A").Succeeded());
        var paged = Kubectl.Table(kubectl.Run("get", "aimd", "-A", "--chunk-size=1").Succeeded());

        Assert.Equal(whole.Select(r => string.Join('|', r[..6])), paged.Select(r => string.Join('|', r[..6])));
        Assert.Equal(1 + 2, api.Requests.Count("list", "aimodeldeployments.aibaseline.io"));  // one whole list, then two pages
    }

    [Fact]
    public async Task Wide_output_adds_the_message_column()
    {
        await using var api = await SeededAsync();
        using var kubectl = new Kubectl(api);

        var table = Kubectl.Table(kubectl.Run("get", "aimd", "-n", "llm-serving", "-o", "wide").Succeeded());

        Assert.Equal(["NAME", "STAGE", "READY", "VERDICT", "COMPLIANCE", "AGE", "MESSAGE"], table[0]);
        Assert.Equal(["llama-chat", ReadyMessage], [table[1][0], table[1][6]]);
    }

    [Fact]
    public async Task Watching_prints_a_new_row_when_the_operator_writes_status()
    {
        await using var api = await SeededAsync();
        using var kubectl = new Kubectl(api);
        var watching = Task.Run(() => kubectl.Run("get", "aimd", "-n", "team-b", "-w", "--request-timeout=10s"));
        while (api.OpenWatches == 0 && !watching.IsCompleted)
        {
            await Task.Delay(50);
        }

        await WriteStatusAsync(api, "team-b", "draft", "15/15", "True", "All checked provisions are met");
        var table = Kubectl.Table((await watching).Stdout);

        Assert.Equal(["NAME", "STAGE", "READY", "VERDICT", "COMPLIANCE", "AGE"], table[0]);
        Assert.Equal(["draft", "Design", "", "", ""], table[1][..5]);
        Assert.Equal(["draft", "Design", "True", "Pass", "15/15"], table[2][..5]);
        Assert.Equal(3, table.Count);
    }

    [Fact]
    public async Task Get_by_name_as_json_prints_the_stored_object_with_its_status()
    {
        await using var api = await SeededAsync();
        using var kubectl = new Kubectl(api);

        var obj = JsonNode.Parse(kubectl.Run("get", "aimd", "llama-chat", "-n", "llm-serving", "-o", "json").Succeeded())!;

        Assert.Equal("AIModelDeployment", obj["kind"]!.GetValue<string>());
        Assert.Equal("Deployment", obj["spec"]!["stage"]!.GetValue<string>());
        Assert.Equal("14/15", obj["status"]!["compliance"]!.GetValue<string>());
    }

    [Fact]
    public async Task Get_by_name_as_yaml_prints_the_stored_object_with_its_status()
    {
        await using var api = await SeededAsync();
        using var kubectl = new Kubectl(api);

        var output = kubectl.Run("get", "aimd", "llama-chat", "-n", "llm-serving", "-o", "yaml").Succeeded();

        Assert.Contains("kind: AIModelDeployment", output, StringComparison.Ordinal);
        Assert.Contains("  stage: Deployment", output, StringComparison.Ordinal);
        Assert.Contains("  compliance: 14/15", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Server_side_apply_of_the_example_creates_the_deployment()
    {
        await using var api = await SeededAsync();
        using var kubectl = new Kubectl(api);
        var manifest = Path.Combine(AppContext.BaseDirectory, "examples", "aimodeldeployment.yaml");

        var output = kubectl.Run("apply", "--server-side", "-f", manifest).Succeeded();

        Assert.Contains("aimodeldeployment.aibaseline.io/llama-chat", output, StringComparison.Ordinal);
        var stored = api.Get($"{Group}/{Version}", "AIModelDeployment", "llm-serving", "llama-chat")!;
        Assert.Equal("default", stored["spec"]!["profile"]!.GetValue<string>());
        Assert.Equal(4, stored["spec"]!["evidence"]!.AsArray().Count);
    }

    [Theory]
    [InlineData("stage: Production", "spec.stage", "Unsupported value: \"Production\"", "a stage outside the enum is refused")]
    [InlineData("profile: default", "spec.stage", "Required value", "the required stage is missing")]
    [InlineData("stage: Design\n  workloadRef:\n    name: x", "spec.workloadRef.kind", "Required value", "a nested required field is missing")]
    public async Task Create_of_an_invalid_deployment_fails_naming_the_field(string spec, string field, string why, string reason)
    {
        await using var api = await SeededAsync();
        using var kubectl = new Kubectl(api);
        var manifest = Path.Combine(kubectl.Directory, "invalid.yaml");
        await File.WriteAllTextAsync(manifest, $"""
            apiVersion: aibaseline.io/v1alpha1
            kind: AIModelDeployment
            metadata:
              name: broken
              namespace: team-b
            spec:
              {spec}
            """);

        var result = kubectl.Run("create", "-f", manifest);

        Assert.True(result.ExitCode != 0, reason);
        Assert.Contains($"The AIModelDeployment \"broken\" is invalid: {field}: {why}", result.Stderr, StringComparison.Ordinal);
        Assert.Null(api.Get($"{Group}/{Version}", "AIModelDeployment", "team-b", "broken"));
    }

    [Theory]
    [InlineData("condition=Ready=False", "the Ready condition the operator wrote")]
    [InlineData("jsonpath={.status.compliance}=14/15", "a status field read by JSONPath")]
    public async Task Wait_returns_once_the_written_status_matches(string condition, string reason)
    {
        await using var api = await SeededAsync();
        using var kubectl = new Kubectl(api);

        var result = kubectl.Run("wait", $"--for={condition}", "aimd/llama-chat", "-n", "llm-serving", "--timeout=10s");

        Assert.True(result.ExitCode == 0, $"{reason}: {result.Stderr}");
        Assert.Contains("aimodeldeployment.aibaseline.io/llama-chat condition met", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Explain_reads_the_field_documentation_from_the_crd_schema()
    {
        await using var api = await SeededAsync();
        using var kubectl = new Kubectl(api);

        var output = kubectl.Run("explain", "aimd.spec.stage").Succeeded();

        Assert.Contains("KIND:       AIModelDeployment", output, StringComparison.Ordinal);
        Assert.Contains("Life-cycle stage of the model", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Built_in_kinds_list_with_the_default_name_and_created_at_columns()
    {
        await using var api = await SeededAsync();
        api.Create(new V1Deployment
        {
            Metadata = new() { Name = "llama-chat", NamespaceProperty = "llm-serving" },
            Spec = new V1DeploymentSpec
            {
                Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "llama-chat" } },
                Template = new V1PodTemplateSpec { Metadata = new() { Labels = new Dictionary<string, string> { ["app"] = "llama-chat" } } },
            },
        });
        using var kubectl = new Kubectl(api);

        var namespaces = Kubectl.Table(kubectl.Run("get", "ns").Succeeded());
        var deployments = Kubectl.Table(kubectl.Run("get", "deploy", "-n", "llm-serving").Succeeded());

        Assert.Equal(["NAME", "CREATED AT"], namespaces[0]);
        Assert.Equal(["default", "kube-system", "llm-serving", "team-b"], namespaces.Skip(1).Select(r => r[0]));
        Assert.All(namespaces.Skip(1), row => Assert.Matches(Rfc3339(), row[1]));
        Assert.Equal(["NAME", "CREATED AT"], deployments[0]);
        Assert.Equal(["llama-chat"], deployments.Skip(1).Select(r => r[0]));
    }

    [Fact]
    public async Task Categories_get_every_kind_in_them_at_once()
    {
        await using var api = await SeededAsync();
        api.Create(new JsonObject
        {
            ["apiVersion"] = $"{Group}/{Version}",
            ["kind"] = "BaselineProfile",
            ["metadata"] = new JsonObject { ["name"] = "default" },
        });
        api.Create(new V1Service { Metadata = new() { Name = "llama-chat", NamespaceProperty = "llm-serving" } });
        using var kubectl = new Kubectl(api);

        var aibaseline = kubectl.Run("get", "aibaseline", "-A").Succeeded();
        var all = kubectl.Run("get", "all", "-n", "llm-serving").Succeeded();

        Assert.Contains("aimodeldeployment.aibaseline.io/llama-chat", aibaseline, StringComparison.Ordinal);
        Assert.Contains("aimodeldeployment.aibaseline.io/draft", aibaseline, StringComparison.Ordinal);
        Assert.Contains("baselineprofile.aibaseline.io/default", aibaseline, StringComparison.Ordinal);
        Assert.Contains("service/llama-chat", all, StringComparison.Ordinal);
        Assert.DoesNotContain("aimodeldeployment", all, StringComparison.Ordinal);
    }

    private const string ReadyMessage = "2 of 15 provisions are not met: 5.1.2-1 threat model is older than the profile allows";

    /// <summary>Two namespaces, one deployment whose status the operator wrote and one draft without status.</summary>
    private static async Task<KubeEmulator> SeededAsync()
    {
        var api = await KubeEmulator.StartAsync();
        api.ApplyCrdsFrom(Path.Combine(AppContext.BaseDirectory, "crds"));
        foreach (var ns in (string[])["llm-serving", "team-b"])
        {
            api.Create(new V1Namespace { Metadata = new() { Name = ns } });
        }

        api.Create(Deployment("llm-serving", "llama-chat", "Deployment"));
        api.Create(Deployment("team-b", "draft", "Design"));
        await WriteStatusAsync(api, "llm-serving", "llama-chat", "14/15", "False", ReadyMessage);
        return api;
    }

    /// <summary>Writes status through the status subresource, as the operator does.</summary>
    private static async Task WriteStatusAsync(KubeEmulator api, string ns, string name, string compliance, string ready, string message)
    {
        var status = new JsonObject
        {
            ["status"] = new JsonObject
            {
                ["compliance"] = compliance,
                ["summary"] = new JsonObject { ["verdict"] = ready == "True" ? "Pass" : "Fail" },
                ["conditions"] = new JsonArray(
                    Condition("Reconciling", "False", "Evaluated", ""),
                    Condition("Ready", ready, ready == "True" ? "ProvisionsMet" : "ProvisionsNotMet", message)),
            },
        };
        using var client = api.CreateClient();
        await client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(
            new V1Patch(status.ToJsonString(), V1Patch.PatchType.MergePatch), Group, Version, ns, Plural, name);
    }

    private static JsonObject Deployment(string ns, string name, string stage) => new()
    {
        ["apiVersion"] = $"{Group}/{Version}",
        ["kind"] = "AIModelDeployment",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
        ["spec"] = new JsonObject { ["stage"] = stage },
    };

    private static JsonObject Condition(string type, string status, string reason, string message) => new()
    {
        ["type"] = type,
        ["status"] = status,
        ["reason"] = reason,
        ["message"] = message,
        ["lastTransitionTime"] = "2026-01-01T00:00:00Z",
    };

    [GeneratedRegex(@"^\d+s$")]
    private static partial Regex SecondsOld();

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")]
    private static partial Regex Rfc3339();
}
