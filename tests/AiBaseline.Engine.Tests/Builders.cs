using System.Collections.Immutable;
using AiBaseline.Api.V1Alpha1;
using k8s.Models;

namespace AiBaseline.Engine.Tests;

/// <summary>Builders for the objects engine tests judge: a compliant serving deployment by default, changed per test.</summary>
internal static class Builders
{
    public static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);
    public const string Namespace = "ml";
    public const string Digest = "sha256:1f7c6b5e1d3c2a4b5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5";

    public static AIModelDeployment Deployment(LifecycleStage stage = LifecycleStage.Deployment) => new()
    {
        Metadata = new V1ObjectMeta { Name = "scorer", NamespaceProperty = Namespace, Generation = 3 },
        Spec = new AIModelDeploymentSpec
        {
            Stage = stage,
            WorkloadRef = new WorkloadReference { Kind = WorkloadKind.Deployment, Name = "scorer" },
            Owners = [new Owner { Name = "ml-platform", Contact = "ml-platform@example.com" }],
            Models = [new ModelArtifact { Name = "weights", Source = "oci://registry.example.com/models/scorer@" + Digest, Digest = Digest }],
            Evidence =
            [
                new EvidenceReference { Type = EvidenceType.ModelCard, Uri = "https://docs.example.com/scorer/model-card", Date = new DateOnly(2026, 10, 1) },
                new EvidenceReference { Type = EvidenceType.ThreatModel, Uri = "https://docs.example.com/scorer/threat-model", Date = new DateOnly(2026, 9, 1) },
                new EvidenceReference { Type = EvidenceType.SecurityTestReport, Uri = "https://docs.example.com/scorer/pentest", Date = new DateOnly(2026, 8, 1) },
                new EvidenceReference { Type = EvidenceType.IncidentPlan, Uri = "https://docs.example.com/scorer/incident-plan", Date = new DateOnly(2026, 7, 1) },
            ],
        },
    };

    public static BaselineProfile Profile(Action<BaselineProfileSpec>? change = null)
    {
        var profile = new BaselineProfile { Metadata = new V1ObjectMeta { Name = ApiGroup.DefaultProfileName } };
        change?.Invoke(profile.Spec);
        return profile;
    }

    public static V1Container Container(string name = "server", string? image = null) => new()
    {
        Name = name,
        Image = image ?? "registry.example.com/ml/scorer@" + Digest,
        SecurityContext = new V1SecurityContext
        {
            AllowPrivilegeEscalation = false,
            RunAsNonRoot = true,
            Capabilities = new V1Capabilities { Drop = ["ALL"] },
            SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
            ReadOnlyRootFilesystem = true,
        },
    };

    public static WorkloadState Workload(params V1Container[] containers) => new(
        WorkloadKind.Deployment,
        "scorer",
        2,
        new V1PodTemplateSpec
        {
            Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "scorer" } },
            Spec = new V1PodSpec
            {
                ServiceAccountName = "scorer",
                AutomountServiceAccountToken = false,
                SecurityContext = new V1PodSecurityContext { RunAsNonRoot = true, SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" } },
                Containers = containers.Length == 0 ? [Container()] : [.. containers],
            },
        });

    /// <summary>The model's ClusterIP Service: it selects the pods (app: scorer) and names its metrics port.</summary>
    public static ExposedService MetricsService() => new("scorer", "ClusterIP", ImmutableDictionary<string, string>.Empty.Add("app", "scorer"), [])
    {
        Labels = ImmutableDictionary<string, string>.Empty.Add("app", "scorer"),
        PortNames = ["http", "metrics"],
    };

    /// <summary>A ServiceMonitor scraping <see cref="MetricsService"/> and a PrometheusRule alerting on its job, as the Prometheus Operator reads them.</summary>
    public static MonitoringState Monitored() => new(
        true,
        [new MetricsMonitor("ServiceMonitor", Namespace, "scorer", new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "scorer" } }, false, [], null, ["metrics"])],
        [new AlertRuleSet(Namespace, "scorer-alerts", [AlertRule.Of("ScorerLatencyHigh", """histogram_quantile(0.99, sum by (le) (rate(request_latency_seconds_bucket{job="scorer"}[5m]))) > 2""")])]);

    /// <summary>
    /// A snapshot of <paramref name="deployment"/> with its workload: serving (2 replicas) from stage Deployment on,
    /// scaled to zero before it, as a model in Design or Development does not serve yet. Its metrics are scraped and
    /// alerted on (<see cref="Monitored"/>).
    /// </summary>
    public static Snapshot Snapshot(AIModelDeployment? deployment = null, WorkloadState? workload = null) => new()
    {
        Deployment = deployment ?? Deployment(),
        Workload = workload ?? (deployment?.Spec.Stage is LifecycleStage.Design or LifecycleStage.Development ? Workload() with { Replicas = 0 } : Workload()),
        ServiceAccount = new V1ServiceAccount { Metadata = new V1ObjectMeta { Name = "scorer", NamespaceProperty = Namespace }, AutomountServiceAccountToken = false },
        NetworkPolicies = NetworkPolicyBuilders.Isolating(),
        Secrets = ImmutableArray<SecretMetadata>.Empty,
        ExposedServices = [MetricsService()],
        Monitoring = Monitored(),
    };
}
