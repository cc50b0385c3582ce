using System.Text.Json.Nodes;
using AiBaseline.Api.V1Alpha1;
using AiBaseline.Engine.Status;

namespace AiBaseline.Cli.Tests.Audit;

/// <summary>The shipped examples give the verdicts the README promises.</summary>
public sealed class ExampleAuditTests
{
    [Theory]
    // Reason: the compliant server meets every control; Retirement does not apply before stage Retirement.
    [InlineData("llm-inference-compliant", "ImageProvenance", "Met", "Accepted")]
    [InlineData("llm-inference-compliant", "ModelIntegrity", "Met", "DigestPinned")]
    [InlineData("llm-inference-compliant", "NetworkIsolation", "Met", "Isolated")]
    [InlineData("llm-inference-compliant", "SecretsHandling", "Met", "SecretsProtected")]
    [InlineData("llm-inference-compliant", "RuntimeHardening", "Met", "PodSecurityLevelMet")]
    [InlineData("llm-inference-compliant", "LeastPrivilege", "Met", "LeastPrivilege")]
    [InlineData("llm-inference-compliant", "Retirement", "NotApplicable", "NotRetiring")]
    [InlineData("llm-inference-compliant", "Evidence", "Met", "EvidenceCurrent")]
    // Reason: each mistake the non-compliant example's comments mark is caught by its control.
    [InlineData("llm-inference-noncompliant", "ImageProvenance", "NotMet", "UntrustedRegistry")]
    [InlineData("llm-inference-noncompliant", "ModelIntegrity", "NotMet", "DigestMissing")]
    [InlineData("llm-inference-noncompliant", "NetworkIsolation", "NotMet", "NoEgressPolicy")]
    [InlineData("llm-inference-noncompliant", "SecretsHandling", "NotMet", "LiteralCredential")]
    [InlineData("llm-inference-noncompliant", "RuntimeHardening", "NotMet", "RestrictedViolated")]
    [InlineData("llm-inference-noncompliant", "LeastPrivilege", "Met", "LeastPrivilege")]
    [InlineData("llm-inference-noncompliant", "Evidence", "NotMet", "EvidenceMissing")]
    // Reason: a retired model is judged on disposal only; its leftovers make Retirement NotMet.
    [InlineData("retired-model", "Retirement", "NotMet", "DisposalIncomplete")]
    [InlineData("retired-model", "ImageProvenance", "NotApplicable", "Retired")]
    [InlineData("retired-model", "Evidence", "Met", "EvidenceCurrent")]
    // Reason: the KServe predictor and transformer are both judged and both pass; the policies select KServe's pod labels.
    [InlineData("kserve-inferenceservice", "ImageProvenance", "Met", "Accepted")]
    [InlineData("kserve-inferenceservice", "NetworkIsolation", "Met", "Isolated")]
    [InlineData("kserve-inferenceservice", "RuntimeHardening", "Met", "PodSecurityLevelMet")]
    [InlineData("kserve-inferenceservice", "LeastPrivilege", "Met", "LeastPrivilege")]
    // Reason: the LeaderWorkerSet's leader is hardened but its worker template is not.
    [InlineData("multihost-vllm-lws", "RuntimeHardening", "NotMet", "RestrictedViolated")]
    [InlineData("multihost-vllm-lws", "NetworkIsolation", "Met", "Isolated")]
    [InlineData("multihost-vllm-lws", "ImageProvenance", "Met", "Accepted")]
    public void Each_example_gives_the_expected_control_result(string example, string control, string result, string reason)
    {
        var run = AuditHarness.Run(AuditHarness.Examples(example), AuditHarness.Examples("profiles"), "-o", "json");

        // The JSON report's status is the operator's: an applicable control's reason is in its condition.
        var item = JsonNode.Parse(run.Stdout)!["items"]![0]!;
        var status = k8s.KubernetesJson.Deserialize<AIModelDeploymentStatus>(item["status"]!.ToJsonString());
        var entry = ControlMessages.All(status).Single(c => c.Name == control);
        Assert.Equal((result, reason), (entry.Result.ToString(), entry.Reason));
    }

    [Theory]
    // Reason: the exit code follows Ready: True is 0, False (a provision not met) is 1.
    [InlineData("llm-inference-compliant", 0, "True")]
    [InlineData("llm-inference-noncompliant", 1, "False")]
    [InlineData("retired-model", 1, "False")]
    [InlineData("kserve-inferenceservice", 0, "True")]
    [InlineData("multihost-vllm-lws", 1, "False")]
    public void Each_example_exits_with_its_verdict(string example, int exit, string ready)
    {
        var run = AuditHarness.Run(AuditHarness.Examples(example), AuditHarness.Examples("profiles"));

        Assert.Equal(exit, run.Exit);
        Assert.Matches($@"\n  Ready +{ready} ", run.Stdout);
    }

    [Fact]
    public void Auditing_all_examples_prints_five_verdicts_and_explains_exit_1_on_the_last_line()
    {
        var run = AuditHarness.Run(AuditHarness.Examples());

        Assert.Equal(1, run.Exit);
        Assert.Contains("llm-serving/llama-chat", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("chat-playground/support-bot", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("legacy-models/legacy-summarizer", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("kserve-models/granite-chat", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("multihost/llama-405b", run.Stdout, StringComparison.Ordinal);
        var last = run.Stdout.TrimEnd().Split('\n')[^1];
        Assert.StartsWith("5 deployments: 2 compliant, 3 not compliant, 0 unknown, 0 stalled; EN 304 223: 0 pass, 3 fail, 2 inconclusive; exit 1:", last, StringComparison.Ordinal);
        Assert.DoesNotContain("\u001b[", run.Stdout, StringComparison.Ordinal);
    }
}

/// <summary>The message of a workload of several templates names the one that fails.</summary>
public sealed class ExampleTemplateMessageTests
{
    [Fact]
    public void The_leader_worker_set_example_names_its_worker_template()
    {
        var run = AuditHarness.Run(AuditHarness.Examples("multihost-vllm-lws"), AuditHarness.Examples("profiles"));

        Assert.Contains("worker template: container vllm-worker: securityContext.allowPrivilegeEscalation must be false", run.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("leader template: container", run.Stdout, StringComparison.Ordinal);
    }
}
