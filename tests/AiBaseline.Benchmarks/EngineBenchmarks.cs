using AiBaseline.Api.V1Alpha1;
using AiBaseline.Engine;
using BenchmarkDotNet.Attributes;
using k8s.Models;

namespace AiBaseline.Benchmarks;

/// <summary>
/// One evaluation of a realistic deployment: 3 containers, 5 NetworkPolicies and 10 Secret references.
/// Target: under 50 µs and 50 KB allocated per evaluation, so one operator replica judges thousands of
/// deployments per second.
/// </summary>
[MemoryDiagnoser]
public class EngineBenchmarks
{
    private const string Digest = "@sha256:3f1c9a7e5b2d4c6f8a0e1b3d5c7f9a2b4d6e8f0a1c3e5b7d9f2a4c6e8b0d1f3a";
    private static readonly TimeProvider Clock = TimeProvider.System;
    private Snapshot snapshot = null!;
    private BaselineProfile profile = null!;

    [GlobalSetup]
    public void Setup()
    {
        (snapshot, profile) = Typical();
        var status = BaselineEngine.Evaluate(snapshot, profile, Clock);
        if (status.Conditions![0].Status != "True")
        {
            throw new InvalidOperationException("the benchmark deployment must be compliant, so every control runs to the end: " + status.Conditions[0].Message);
        }
    }

    [Benchmark]
    public AIModelDeploymentStatus Evaluate() => BaselineEngine.Evaluate(snapshot, profile, Clock);

    /// <summary>The compliant deployment every engine benchmark judges, with the profile it meets.</summary>
    internal static (Snapshot Snapshot, BaselineProfile Profile) Typical()
    {
        var labels = new Dictionary<string, string> { ["app"] = "chat" };
        var containers = Enumerable.Range(0, 3).Select(c => new V1Container
        {
            Name = $"c{c}",
            Image = $"registry.acme.example/ml/server-{c}{Digest}",
            Env = [.. Enumerable.Range(0, c == 0 ? 4 : 3).Select(e => new V1EnvVar
            {
                Name = $"TOKEN_{c}_{e}",
                ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = $"secret-{c}-{e}", Key = "value" } },
            })],
            SecurityContext = new V1SecurityContext { AllowPrivilegeEscalation = false, Capabilities = new V1Capabilities { Drop = ["ALL"] } },
        }).ToList();
        var template = new V1PodTemplateSpec
        {
            Metadata = new V1ObjectMeta { Labels = labels },
            Spec = new V1PodSpec
            {
                ServiceAccountName = "chat",
                AutomountServiceAccountToken = false,
                SecurityContext = new V1PodSecurityContext { RunAsNonRoot = true, SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" } },
                Containers = containers,
            },
        };
        var deployment = new AIModelDeployment
        {
            Metadata = new V1ObjectMeta { Name = "chat", NamespaceProperty = "serving", Generation = 1 },
            Spec = new AIModelDeploymentSpec
            {
                Stage = LifecycleStage.Deployment,
                WorkloadRef = new WorkloadReference { Kind = WorkloadKind.Deployment, Name = "chat" },
                Models = [new ModelArtifact { Name = "llm", Source = "oci://registry.acme.example/models/llm" + Digest, Digest = Digest[1..] }],
                Owners = [new Owner { Name = "team" }],
                Evidence = [.. new[] { EvidenceType.ModelCard, EvidenceType.ThreatModel, EvidenceType.SecurityTestReport, EvidenceType.IncidentPlan }
                    .Select(t => new EvidenceReference { Type = t, Uri = "https://docs.example/" + t, Date = new DateOnly(2026, 3, 1) })],
            },
        };
        var snapshot = new Snapshot
        {
            Deployment = deployment,
            Workload = new WorkloadState(WorkloadKind.Deployment, "chat", 2, template),
            NetworkPolicies = [.. Enumerable.Range(0, 5).Select(Policy)],
            Secrets = [.. containers.SelectMany(c => c.Env).Select(e => new SecretMetadata(e.ValueFrom.SecretKeyRef.Name, "Opaque"))],
            ServiceAccount = new V1ServiceAccount { Metadata = new V1ObjectMeta { Name = "chat", NamespaceProperty = "serving" }, AutomountServiceAccountToken = false },
        };
        var profile = new BaselineProfile
        {
            Metadata = new V1ObjectMeta { Name = "default" },
            Spec = new BaselineProfileSpec
            {
                Images = new ImagePolicy { TrustedRegistries = ["registry.acme.example/"] },
                Network = new NetworkPolicyRules { AllowedIngressNamespaces = ["ai-gateway"] },
                Evidence = new EvidencePolicy { MaxAgeDays = 3650 },
            },
        };
        return (snapshot, profile);
    }

    private static V1NetworkPolicy Policy(int i) => new()
    {
        Metadata = new V1ObjectMeta { Name = $"policy-{i}", NamespaceProperty = "serving" },
        Spec = i switch
        {
            0 => new V1NetworkPolicySpec { PodSelector = new V1LabelSelector(), PolicyTypes = ["Ingress", "Egress"] },
            1 => new V1NetworkPolicySpec
            {
                PodSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "chat" } },
                PolicyTypes = ["Ingress"],
                Ingress = [new V1NetworkPolicyIngressRule { FromProperty = [new V1NetworkPolicyPeer { NamespaceSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["kubernetes.io/metadata.name"] = "ai-gateway" } } }] }],
            },
            2 => new V1NetworkPolicySpec
            {
                PodSelector = new V1LabelSelector(),
                PolicyTypes = ["Egress"],
                Egress = [new V1NetworkPolicyEgressRule { Ports = [new V1NetworkPolicyPort { Protocol = "UDP", Port = 53 }, new V1NetworkPolicyPort { Protocol = "TCP", Port = 53 }] }],
            },
            _ => new V1NetworkPolicySpec
            {
                // Policies for other workloads of the namespace: the control must look at them and skip them.
                PodSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = $"other-{i}" } },
                PolicyTypes = ["Ingress"],
            },
        },
    };
}
