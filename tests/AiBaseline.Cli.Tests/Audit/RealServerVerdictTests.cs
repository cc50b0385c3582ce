using System.Security.Cryptography;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AiBaseline.Cli.Tests.Crds;
using AiBaseline.KubeEmulator.Tests;

namespace AiBaseline.Cli.Tests.Audit;

/// <summary>
/// The audit and a real API server agree on what is valid: every shipped example, every fixture and every bad-input
/// case of the audit tests is sent to the cluster of <c>AIBASELINE_E2E_KUBECONFIG</c> as <c>kubectl create
/// --dry-run=server</c> (nothing is stored), and the server must accept exactly what <c>aibaseline audit</c> accepts,
/// and refuse what it refuses naming the same field. Skipped, saying why, without a cluster.
/// </summary>
public sealed partial class RealServerVerdictTests(RealServerVerdictTests.Cluster cluster) : IClassFixture<RealServerVerdictTests.Cluster>
{
    /// <summary>Kinds without a namespace; they are renamed so a dry run never meets an object of the cluster.</summary>
    private static readonly HashSet<string> ClusterScoped = ["BaselineProfile", "Namespace", "ClusterRole", "ClusterRoleBinding"];

    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(RepositoryPaths.Examples, "*.yaml", SearchOption.AllDirectories)
            .Concat(Directory.GetFiles(RepositoryPaths.Fixtures, "*.yaml", SearchOption.AllDirectories))
            .Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetRelativePath(RepositoryPaths.Root, file));
        }

        return data;
    }

    /// <summary>The bad-input cases whose objects a server can judge (decodable YAML with apiVersion and kind).</summary>
    public static TheoryData<string, string> BadInputs()
    {
        var data = new TheoryData<string, string>();
        foreach (var row in BadInputTests.Cases)
        {
            var values = ((ITheoryDataRow)row).GetData();
            var (reason, yaml) = ((string)values[0]!, (string)values[1]!);
            if (Regex.IsMatch(yaml, "^apiVersion: ", RegexOptions.Multiline) && Regex.IsMatch(yaml, "^kind: ", RegexOptions.Multiline) && TryLoad(yaml))
            {
                data.Add(reason, yaml);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void A_shipped_manifest_or_fixture_gets_the_same_verdict_from_the_audit_and_the_API_server(string relative) =>
        AssertSameVerdict(relative, File.ReadAllText(Path.Combine(RepositoryPaths.Root, relative)));

    [Theory]
    [MemberData(nameof(BadInputs))]
    public void A_bad_input_of_the_audit_tests_is_refused_by_the_API_server_too(string reason, string yaml) =>
        AssertSameVerdict(reason, yaml);

    private void AssertSameVerdict(string what, string yaml)
    {
        Assert.SkipWhen(cluster.SkipReason is not null, cluster.SkipReason ?? "");
        using var manifests = new TempManifests();
        var file = manifests.Write("input.yaml", yaml);

        // A valid deployment beside the input, so input without one (a profile, a Deployment) is judged for itself.
        var audit = AuditHarness.Run(file, Path.Combine(RepositoryPaths.Fixtures, "valid", "design-minimal.yaml"));
        var auditProblems = audit.Stderr.Split('\n').Where(l => l.StartsWith(file, StringComparison.Ordinal)).ToList();
        var auditRefuses = audit.Exit == 2 && auditProblems.Count > 0;

        var server = cluster.DryRun(manifests, yaml);
        var serverRefuses = server.ExitCode != 0;
        Assert.True(
            auditRefuses == serverRefuses,
            $"{what}: the audit {(auditRefuses ? "refuses" : "accepts")} it, the API server {(serverRefuses ? "refuses" : "accepts")} it\naudit: {audit.Stderr}\nserver: {server.Stderr}");

        // Each field the audit names is named by the server too: the whole path, or (for a missing object the audit
        // looks into, such as spec for spec.stage) one of its leading parts or its last name in quotes.
        foreach (var field in auditProblems.Select(l => FieldOf().Match(l)).Where(m => m.Success).Select(m => m.Groups["field"].Value))
        {
            var parts = field.Split('.');
            var named = server.Stderr.Contains(field, StringComparison.Ordinal)
                || server.Stderr.Contains($"\"{parts[^1]}\"", StringComparison.Ordinal)
                || Enumerable.Range(1, parts.Length - 1).Any(n => server.Stderr.Contains($"\"{string.Join('.', parts.Take(n))}\"", StringComparison.Ordinal));
            Assert.True(named, $"{what}: the server does not name {field}:\n{server.Stderr}");
        }
    }

    private static bool TryLoad(string yaml)
    {
        try
        {
            YamlDocuments.Load(yaml);
            return true;
        }
        catch (YamlDotNet.Core.YamlException)
        {
            return false;
        }
    }

    // ":7: AIModelDeployment/chat: spec.replicas: unknown field" -> spec.replicas
    [GeneratedRegex(@":\d+: [A-Za-z]+/[^:]+: (?<field>(spec|metadata)[A-Za-z0-9_.\[\]]*):")]
    private static partial Regex FieldOf();

    /// <summary>The cluster of <c>AIBASELINE_E2E_KUBECONFIG</c>, the shipped CRDs applied, and a namespace of the class's own.</summary>
    public sealed class Cluster : IDisposable
    {
        private readonly Kubectl? kubectl;
        private readonly string suffix = RandomNumberGenerator.GetString("abcdefghijklmnopqrstuvwxyz0123456789", 6);

        public Cluster()
        {
            var kubeconfig = Environment.GetEnvironmentVariable("AIBASELINE_E2E_KUBECONFIG");
            if (string.IsNullOrEmpty(kubeconfig))
            {
                SkipReason = "AIBASELINE_E2E_KUBECONFIG is not set: these tests compare the audit with a real API server, which tests/run.sh starts when KUBEBUILDER_ASSETS names its binaries (see README)";
                return;
            }

            kubectl = new Kubectl(kubeconfig);
            kubectl.Run("apply", "--server-side", "--field-manager", "aibaseline-scenarios", "--force-conflicts", "-f", RepositoryPaths.Crds).Succeeded();
            WaitEstablished(kubectl, "crd/aimodeldeployments.aibaseline.io", "crd/baselineexceptions.aibaseline.io", "crd/baselineprofiles.aibaseline.io");

            // The serving stacks' real CRDs, so the examples' LeaderWorkerSet and InferenceService are validated as users' clusters validate them.
            var serving = Path.Combine(RepositoryPaths.Root, "tests", "vendor", "serving-crds");
            kubectl.Run("apply", "--server-side", "--field-manager", "aibaseline-scenarios", "--force-conflicts", "-f", serving).Succeeded();
            WaitEstablished(kubectl, "crd/leaderworkersets.leaderworkerset.x-k8s.io", "crd/inferenceservices.serving.kserve.io", "crd/rayclusters.ray.io", "crd/rayservices.ray.io", "crd/services.serving.knative.dev");

            // The Prometheus Operator's and Trivy Operator's real CRDs, so the examples' ServiceMonitor, PodMonitor and PrometheusRule are validated too.
            var monitoring = Path.Combine(RepositoryPaths.Root, "tests", "vendor", "monitoring-crds");
            kubectl.Run("apply", "--server-side", "--field-manager", "aibaseline-scenarios", "--force-conflicts", "-f", monitoring).Succeeded();
            WaitEstablished(kubectl, "crd/servicemonitors.monitoring.coreos.com", "crd/podmonitors.monitoring.coreos.com", "crd/prometheusrules.monitoring.coreos.com", "crd/vulnerabilityreports.aquasecurity.github.io");
            kubectl.Run("create", "namespace", Namespace).Succeeded();
        }

        /// <summary>
        /// kubectl wait for CRDs just applied: a CRD whose status the server has not written yet makes kubectl wait fail at
        /// once ("status.conditions accessor error") instead of waiting, so it is asked again for up to a minute.
        /// </summary>
        private static void WaitEstablished(Kubectl kubectl, params string[] crds)
        {
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (true)
            {
                var wait = kubectl.Run(["wait", "--for=condition=Established", .. crds, "--timeout=20s"]);
                if (wait.ExitCode == 0 || DateTime.UtcNow > deadline)
                {
                    wait.Succeeded();
                    return;
                }

                Thread.Sleep(500);
            }
        }

        public string? SkipReason { get; }

        public string Namespace => $"aib-verdicts-{suffix}";

        /// <summary><c>kubectl create --dry-run=server</c> of the documents, moved into this namespace.</summary>
        internal KubectlResult DryRun(TempManifests manifests, string yaml)
        {
            var items = new JsonArray();
            foreach (var document in YamlDocuments.Load(yaml).OfType<JsonObject>())
            {
                if (document["metadata"] is JsonObject metadata && document["kind"]?.GetValue<string>() is { } kind)
                {
                    if (ClusterScoped.Contains(kind))
                    {
                        metadata["name"] = $"{metadata["name"]}-{suffix}";
                    }
                    else
                    {
                        metadata["namespace"] = Namespace;
                    }
                }

                items.Add(document);
            }

            var list = manifests.Write("server.json", new JsonObject { ["apiVersion"] = "v1", ["kind"] = "List", ["items"] = items }.ToJsonString());
            return kubectl!.Run("create", "--dry-run=server", "--validate=strict", "-f", list);
        }

        public void Dispose()
        {
            kubectl?.Run("delete", "namespace", Namespace, "--wait=false");
            kubectl?.Dispose();
        }
    }
}
