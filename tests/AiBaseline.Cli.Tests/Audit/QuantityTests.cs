namespace AiBaseline.Cli.Tests.Audit;

/// <summary>Resource quantities follow the Kubernetes grammar; one that does not is a bad-input line naming its field.</summary>
public sealed class QuantityTests
{
    private const string Limits = "          limits:\n            nvidia.com/gpu: 1\n            memory: 32Gi\n";

    public static TheoryData<string, string, string> Invalid => new()
    {
        { "an unexpanded template variable", "            nvidia.com/gpu: ${ACCELERATOR_COUNT}\n", "spec.template.spec.containers[0].resources.limits.nvidia.com/gpu: \"${ACCELERATOR_COUNT}\" is not a Kubernetes quantity: write a number with an optional suffix such as 500m, 2, 10Gi" },
        { "GB is not a suffix: G or Gi is", "            memory: 10GB\n", "resources.limits.memory: \"10GB\" is not a Kubernetes quantity: " },
        { "suffixes are case-sensitive: gi is not Gi", "            memory: \"1gi\"\n", "resources.limits.memory: \"1gi\" is not a Kubernetes quantity: " },
        { "a word left from a template", "            memory: FILESTORE_CAPACITY\n", "resources.limits.memory: \"FILESTORE_CAPACITY\" is not a Kubernetes quantity: " },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void An_invalid_quantity_is_bad_input_naming_the_field(string reason, string line, string expected)
    {
        using var temp = ExampleWithLimits(line);

        var run = AuditHarness.Run(temp.Dir);

        Assert.True(run.Exit == 2, $"{reason}: exit {run.Exit}\n{run.All}");
        Assert.Contains(Path.Combine(temp.Dir, "deployment.yaml") + ":64: Deployment/llama-chat: ", run.Stderr, StringComparison.Ordinal);
        Assert.Contains(expected, run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.All, StringComparison.Ordinal);
    }

    public static TheoryData<string, string> Valid => new()
    {
        { "milli", "500m" },
        { "a decimal suffix", "1k" },
        { "E is exa, not an exponent without digits", "1E" },
        { "an exponent", "1e3" },
        { "a fraction without a leading digit", ".5" },
        { "a signed number", "+2" },
        { "a binary suffix", "64Mi" },
    };

    [Theory]
    [MemberData(nameof(Valid))]
    public void A_valid_quantity_is_read(string reason, string quantity)
    {
        using var temp = ExampleWithLimits($"            nvidia.com/gpu: \"{quantity}\"\n");

        var run = AuditHarness.Run(temp.Dir);

        Assert.True(run.Exit == 0, $"{reason}: exit {run.Exit}\n{run.All}");
    }

    [Fact]
    public void Every_invalid_quantity_of_a_claim_and_a_workload_is_reported_in_one_run()
    {
        using var temp = ExampleWithLimits("            memory: 10GB\n");
        temp.Write("claim.yaml", "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: models\nspec:\n  resources:\n    requests:\n      storage: FILESTORE_CAPACITY\n");

        var run = AuditHarness.Run(temp.Dir);

        Assert.Equal(2, run.Exit);
        Assert.Contains("claim.yaml:8: PersistentVolumeClaim/models: spec.resources.requests.storage: \"FILESTORE_CAPACITY\" is not a Kubernetes quantity", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("deployment.yaml:64: Deployment/llama-chat: spec.template.spec.containers[0].resources.limits.memory: \"10GB\"", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("2 problems in the input", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unclosed_flow_mapping_is_malformed_yaml_with_its_line()
    {
        using var temp = new TempManifests();
        var path = temp.Write("aimd.yaml", "apiVersion: aibaseline.io/v1alpha1\nkind: AIModelDeployment\nmetadata:\n  name: scorer\nspec:\n  stage: Deployment\n  workloadRef: {kind: Deployment, name: scorer\n  profile: default\n");

        var run = AuditHarness.Run(path);

        Assert.Equal(2, run.Exit);
        Assert.StartsWith(path + ":8: malformed YAML at column 3: ", run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.All, StringComparison.Ordinal);
    }

    private static TempManifests ExampleWithLimits(string lines)
    {
        var temp = new TempManifests();
        foreach (var file in Directory.GetFiles(AuditHarness.Examples("llm-inference-compliant")))
        {
            var text = File.ReadAllText(file);
            temp.Write(Path.GetFileName(file), Path.GetFileName(file) == "deployment.yaml" ? text.Replace(Limits, "          limits:\n" + lines, StringComparison.Ordinal) : text);
        }

        return temp;
    }
}
