using AiBaseline.Api.V1Alpha1;
using AiBaseline.Engine;
using AiBaseline.Engine.Controls;
using BenchmarkDotNet.Attributes;
using k8s.Models;

namespace AiBaseline.Benchmarks;

/// <summary>
/// One evaluation of a typical serving deployment: three containers (one init), five NetworkPolicies and
/// ten Secret references, all compliant, so every check runs to the end. <c>Controls</c> runs the
/// registered controls alone, <c>OneControl</c> each of them by name, and <c>Engine</c> adds the
/// provision roll-up and the conditions.
/// </summary>
[MemoryDiagnoser]
public class ControlEvaluationBenchmarks
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);
    private readonly BaselineProfile profile = new() { Metadata = new V1ObjectMeta { Name = "default" } };
    private readonly TimeProvider clock = new FixedClock(Now);
    private Snapshot snapshot = null!;
    private EvaluationContext context = null!;

    private IControl single = null!;

    /// <summary>The name of the control <c>OneControl</c> runs.</summary>
    [ParamsSource(nameof(ControlNames))]
    public string Control { get; set; } = "";

    public static IEnumerable<string> ControlNames => ControlSet.All.Select(c => c.Name);

    [GlobalSetup]
    public void Setup()
    {
        snapshot = TypicalSnapshot();
        context = new EvaluationContext(snapshot, profile.Spec, Now);
        single = ControlSet.All.First(c => c.Name == Control);
    }

    [Benchmark]
    public ControlOutcome OneControl() => single.Evaluate(context);

    [Benchmark]
    public int Controls()
    {
        var met = 0;
        foreach (var control in ControlSet.All)
        {
            met += control.Evaluate(context).Result == ControlResult.Met ? 1 : 0;
        }

        return met;
    }

    [Benchmark]
    public AIModelDeploymentStatus Engine() => BaselineEngine.Evaluate(snapshot, profile, clock);

    private static Snapshot TypicalSnapshot()
    {
        const string digest = "sha256:1f7c6b5e1d3c2a4b5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5";
        var deployment = new AIModelDeployment
        {
            Metadata = new V1ObjectMeta { Name = "scorer", NamespaceProperty = "ml", Generation = 1 },
            Spec = new AIModelDeploymentSpec
            {
                Stage = LifecycleStage.Deployment,
                WorkloadRef = new WorkloadReference { Kind = WorkloadKind.Deployment, Name = "scorer" },
                Owners = [new Owner { Name = "ml-platform" }],
                Models = [new ModelArtifact { Name = "weights", Source = "oci://registry.example.com/models/scorer@" + digest, Digest = digest }],
                Evidence =
                [
                    new EvidenceReference { Type = EvidenceType.ModelCard, Uri = "card", Date = new DateOnly(2026, 10, 1) },
                    new EvidenceReference { Type = EvidenceType.ThreatModel, Uri = "tm", Date = new DateOnly(2026, 9, 1) },
                    new EvidenceReference { Type = EvidenceType.SecurityTestReport, Uri = "test", Date = new DateOnly(2026, 8, 1) },
                    new EvidenceReference { Type = EvidenceType.IncidentPlan, Uri = "ir", Date = new DateOnly(2026, 7, 1) },
                ],
            },
        };
        var pod = new V1PodSpec
        {
            ServiceAccountName = "scorer",
            AutomountServiceAccountToken = false,
            SecurityContext = new V1PodSecurityContext { RunAsNonRoot = true, SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" } },
            InitContainers = [Container("fetch-weights", digest, ["registry-token", "s3-key"], ["--source", "s3://models/scorer", "--dest", "/models"])],
            Containers =
            [
                Container("server", digest, ["hf-token", "openai-key", "db-password"], ["--model", "/models/scorer", "--max-tokens", "4096", "--port", "8080"]),
                Container("metrics", digest, ["metrics-token"], ["--listen", ":9090"]),
            ],
            Volumes =
            [
                new V1Volume { Name = "tls", Secret = new V1SecretVolumeSource { SecretName = "tls" } },
                new V1Volume { Name = "keys", Projected = new V1ProjectedVolumeSource { Sources = [new V1VolumeProjection { Secret = new V1SecretProjection { Name = "signing-key" } }] } },
                new V1Volume { Name = "models", EmptyDir = new V1EmptyDirVolumeSource() },
            ],
        };
        pod.Containers[0].EnvFrom = [new V1EnvFromSource { SecretRef = new V1SecretEnvSource { Name = "server-env" } }];
        pod.Containers[1].EnvFrom = [new V1EnvFromSource { SecretRef = new V1SecretEnvSource { Name = "metrics-env" } }];

        string[] secrets = ["registry-token", "s3-key", "hf-token", "openai-key", "db-password", "metrics-token", "server-env", "metrics-env", "tls", "signing-key", "unrelated-1", "unrelated-2"];
        return new Snapshot
        {
            Deployment = deployment,
            Workload = new WorkloadState(WorkloadKind.Deployment, "scorer", 2, new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "scorer" } },
                Spec = pod,
            }),
            ServiceAccount = new V1ServiceAccount { Metadata = new V1ObjectMeta { Name = "scorer", NamespaceProperty = "ml" }, AutomountServiceAccountToken = false },
            Secrets = [.. secrets.Select(name => new SecretMetadata(name, "Opaque"))],
            NetworkPolicies = [.. Enumerable.Range(0, 5).Select(Policy)],
            Services = ["scorer"],
        };
    }

    private static V1Container Container(string name, string digest, string[] secretRefs, List<string> args) => new()
    {
        Name = name,
        Image = "registry.example.com/ml/" + name + "@" + digest,
        Args = args,
        Env =
        [
            new V1EnvVar { Name = "MODEL_PATH", Value = "/models/scorer" },
            new V1EnvVar { Name = "MAX_TOKENS", Value = "4096" },
            new V1EnvVar { Name = "LOG_LEVEL", Value = "info" },
            .. secretRefs.Select(secret => new V1EnvVar
            {
                Name = secret.ToUpperInvariant().Replace('-', '_'),
                ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = secret, Key = "value" } },
            }),
        ],
        SecurityContext = new V1SecurityContext
        {
            AllowPrivilegeEscalation = false,
            Capabilities = new V1Capabilities { Drop = ["ALL"] },
        },
    };

    private static V1NetworkPolicy Policy(int i) => new()
    {
        Metadata = new V1ObjectMeta { Name = $"policy-{i}", NamespaceProperty = "ml" },
        Spec = new V1NetworkPolicySpec
        {
            PodSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "scorer" } },
            PolicyTypes = ["Ingress", "Egress"],
        },
    };

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
