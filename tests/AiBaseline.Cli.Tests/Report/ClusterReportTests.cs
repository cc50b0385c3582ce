using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using AiBaseline.Cli.Tests.Audit;
using AiBaseline.KubeEmulator.Tests;

namespace AiBaseline.Cli.Tests.Report;

/// <summary>
/// <c>aibaseline report --kubeconfig</c> against the real API server of <c>AIBASELINE_E2E_KUBECONFIG</c>: the report
/// shows the statuses stored in the cluster (here written through the status subresource as the operator writes
/// them), the cluster's profile by digest, and the server applies the namespace and label selector. Skipped, saying
/// why, without a cluster.
/// </summary>
public sealed class ClusterReportTests(ClusterReportTests.Cluster cluster) : IClassFixture<ClusterReportTests.Cluster>
{
    [Fact]
    public void The_report_shows_the_statuses_the_cluster_holds()
    {
        Assert.SkipWhen(cluster.SkipReason is not null, cluster.SkipReason ?? "");

        var report = ReportHarness.Json("--kubeconfig", cluster.Kubeconfig, "-n", cluster.Namespace);

        Assert.Empty(ReportSchema.ReportErrors(report));
        var source = report.GetProperty("header").GetProperty("source");
        Assert.Equal("cluster", source.GetProperty("kind").GetString());
        Assert.Equal(cluster.Namespace, source.GetProperty("namespaces")[0].GetString());
        var deployments = report.GetProperty("deployments").EnumerateArray().ToList();
        Assert.Equal(["bot-a", "bot-b"], deployments.Select(d => d.GetProperty("name").GetString()));
        var bot = deployments[0];
        Assert.Equal("cluster", bot.GetProperty("origin").GetString());
        Assert.Equal("Fail", bot.GetProperty("verdicts").GetProperty("standard").GetString());
        Assert.Equal(cluster.Expected.GetProperty("summary").GetProperty("notMet").GetInt32(), bot.GetProperty("counts").GetProperty("notMet").GetInt32());
        Assert.Equal("NotMet", ReportHarness.Provision(bot, "5.2.3-1").GetProperty("result").GetString());
        var profile = bot.GetProperty("profile");
        Assert.Equal((cluster.Profile, "cluster"), (profile.GetProperty("name").GetString(), profile.GetProperty("origin").GetString()));
        Assert.Matches("^sha256:[0-9a-f]{64}$", profile.GetProperty("sha256").GetString());
    }

    [Fact]
    public void The_label_selector_is_applied_by_the_server()
    {
        Assert.SkipWhen(cluster.SkipReason is not null, cluster.SkipReason ?? "");

        var report = ReportHarness.Json("--kubeconfig", cluster.Kubeconfig, "-n", cluster.Namespace, "-l", "tier=canary");

        Assert.Equal(["bot-b"], report.GetProperty("deployments").EnumerateArray().Select(d => d.GetProperty("name").GetString()));
    }

    [Fact]
    public void A_kubeconfig_that_does_not_exist_is_named_and_exits_2()
    {
        var run = ReportHarness.Run("--kubeconfig", "/nonexistent/kubeconfig");

        Assert.Equal(2, run.Exit);
        Assert.Contains("--kubeconfig: /nonexistent/kubeconfig: no such file", run.Stderr, StringComparison.Ordinal);
        Assert.Empty(run.Stdout);
    }

    public sealed class Cluster : IDisposable
    {
        private readonly Kubectl? kubectl;
        private readonly string suffix = RandomNumberGenerator.GetString("abcdefghijklmnopqrstuvwxyz0123456789", 6);

        public Cluster()
        {
            var kubeconfig = Environment.GetEnvironmentVariable("AIBASELINE_E2E_KUBECONFIG");
            if (string.IsNullOrEmpty(kubeconfig))
            {
                SkipReason = "AIBASELINE_E2E_KUBECONFIG is not set: these tests read a real API server, which tests/run.sh starts when KUBEBUILDER_ASSETS names its binaries (see README)";
                return;
            }

            Kubeconfig = kubeconfig;
            kubectl = new Kubectl(kubeconfig);
            kubectl.Run("apply", "--server-side", "--field-manager", "aibaseline-scenarios", "--force-conflicts", "-f", RepositoryPaths.Crds).Succeeded();
            kubectl.Run("wait", "--for=condition=Established", "crd/aimodeldeployments.aibaseline.io", "crd/baselineprofiles.aibaseline.io", "--timeout=60s").Succeeded();
            kubectl.Run("create", "namespace", Namespace).Succeeded();

            // The example's non-compliant deployment, judged offline; its status is what the operator would write.
            var deployment = File.ReadAllText(AuditHarness.Examples("llm-inference-noncompliant/aimodeldeployment.yaml"))
                .Replace("namespace: chat-playground", $"namespace: {Namespace}", StringComparison.Ordinal)
                .Replace("spec:\n", $"spec:\n  profile: {Profile}\n", StringComparison.Ordinal);
            var profile = $"apiVersion: aibaseline.io/v1alpha1\nkind: BaselineProfile\nmetadata: {{name: {Profile}}}\nspec: {{mode: Audit}}\n";
            var folder = Path.Combine(kubectl.Directory, "manifests");
            Directory.CreateDirectory(folder);
            File.WriteAllText(Path.Combine(folder, "deployment.yaml"), File.ReadAllText(AuditHarness.Examples("llm-inference-noncompliant/deployment.yaml"))
                .Replace("namespace: chat-playground", $"namespace: {Namespace}", StringComparison.Ordinal));
            File.WriteAllText(Path.Combine(folder, "profile.yaml"), profile);
            File.WriteAllText(Path.Combine(folder, "aimd.yaml"), deployment.Replace("metadata:\n  name: support-bot\n", "metadata:\n  name: bot-a\n", StringComparison.Ordinal));
            var audit = JsonDocument.Parse(AuditHarness.Run(folder, "-n", Namespace, "-o", "json").Stdout).RootElement;
            Expected = audit.GetProperty("items")[0].GetProperty("status").Clone();

            var profileFile = Path.Combine(kubectl.Directory, "profile.yaml");
            File.WriteAllText(profileFile, profile);
            kubectl.Run("apply", "-f", profileFile).Succeeded();
            foreach (var (name, tier) in new[] { ("bot-a", "stable"), ("bot-b", "canary") })
            {
                var file = Path.Combine(kubectl.Directory, $"{name}.yaml");
                File.WriteAllText(file, deployment.Replace("metadata:\n  name: support-bot\n", $"metadata:\n  name: {name}\n  labels: {{tier: {tier}}}\n", StringComparison.Ordinal));
                kubectl.Run("apply", "-f", file).Succeeded();
                var status = new JsonObject { ["status"] = JsonNode.Parse(Expected.GetRawText()) }.ToJsonString();
                kubectl.Run("patch", "aimodeldeployment", name, "-n", Namespace, "--subresource=status", "--type=merge", "-p", status).Succeeded();
            }
        }

        public string? SkipReason { get; }

        public string Kubeconfig { get; } = "";

        public string Namespace => $"aib-report-{suffix}";

        public string Profile => $"report-{suffix}";

        public JsonElement Expected { get; }

        public void Dispose()
        {
            if (kubectl is not null)
            {
                kubectl.Run("delete", "namespace", Namespace, "--wait=false");
                kubectl.Run("delete", "baselineprofile", Profile, "--wait=false");
                kubectl.Dispose();
            }
        }
    }
}
