using System.Collections.Immutable;
using AiBaseline.Api.V1Alpha1;
using AiBaseline.Engine;
using AiBaseline.Engine.Controls;
using BenchmarkDotNet.Attributes;
using k8s.Models;

namespace AiBaseline.Benchmarks;

/// <summary>
/// The image, model, network and least-privilege controls on a typical serving deployment: three containers,
/// five NetworkPolicies, verified registry evidence and two role bindings. Every control passes, which is the
/// common and the most thorough path. Run with
/// <c>dotnet run -c Release --project tests/AiBaseline.Benchmarks -- --filter '*PodControlBenchmarks*'</c>.
/// </summary>
[MemoryDiagnoser]
public class PodControlBenchmarks
{
    private const string Digest = "sha256:1f7c6b5e1d3c2a4b5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5";

    private readonly ImageProvenanceControl images = new();
    private readonly ModelIntegrityControl models = new();
    private readonly NetworkIsolationControl network = new();
    private readonly LeastPrivilegeControl privilege = new();
    private readonly BaselineProfile profile = Profile();
    private EvaluationContext context = null!;
    private Snapshot snapshot = null!;

    [GlobalSetup]
    public void Setup()
    {
        snapshot = Build();
        context = new EvaluationContext(snapshot, profile.Spec, DateTimeOffset.UnixEpoch);
        foreach (var control in new IControl[] { images, models, network, privilege })
        {
            // Measuring a failure path by mistake would flatter the figures: refuse to run.
            var outcome = control.Evaluate(context);
            if (outcome.Result != ControlResult.Met)
            {
                throw new InvalidOperationException($"{control.Name} is {outcome.Result} on the benchmark fixture: {outcome.Message}");
            }
        }
    }

    [Benchmark]
    public ControlOutcome ImageProvenance() => images.Evaluate(context);

    [Benchmark]
    public ControlOutcome ModelIntegrity() => models.Evaluate(context);

    [Benchmark]
    public ControlOutcome NetworkIsolation() => network.Evaluate(context);

    [Benchmark]
    public ControlOutcome LeastPrivilege() => privilege.Evaluate(context);

    /// <summary>Every registered control, as the engine runs them, without the provision roll-up.</summary>
    [Benchmark]
    public int AllRegisteredControls()
    {
        var met = 0;
        foreach (var control in ControlSet.All)
        {
            met += control.Evaluate(context).Result == ControlResult.Met ? 1 : 0;
        }

        return met;
    }

    private static BaselineProfile Profile()
    {
        var profile = new BaselineProfile { Metadata = new V1ObjectMeta { Name = "default" } };
        profile.Spec.Images.TrustedRegistries = ["registry.example.com/ml/", "ghcr.io/acme/"];
        profile.Spec.Images.SignatureKeys = [new SignatureKey { Name = "release", PublicKey = "-----BEGIN PUBLIC KEY-----" }];
        profile.Spec.Images.RequiredAttestations = [new RequiredAttestation { PredicateType = "https://slsa.dev/provenance/v1" }];
        profile.Spec.Network.EgressAllowList = ["203.0.113.0/24", "2001:db8::/32"];
        profile.Spec.Network.AllowedIngressNamespaces = ["gateway"];
        return profile;
    }

    private static Snapshot Build()
    {
        string[] images = ["registry.example.com/ml/scorer@" + Digest, "registry.example.com/ml/proxy@" + Digest, "ghcr.io/acme/fetch@" + Digest];
        var model = "oci://registry.example.com/models/scorer@" + Digest;
        var labels = new Dictionary<string, string> { ["app"] = "scorer", ["tier"] = "serving" };
        return new Snapshot
        {
            Deployment = new AIModelDeployment
            {
                Metadata = new V1ObjectMeta { Name = "scorer", NamespaceProperty = "ml" },
                Spec = new AIModelDeploymentSpec
                {
                    Stage = LifecycleStage.Deployment,
                    WorkloadRef = new WorkloadReference { Kind = WorkloadKind.Deployment, Name = "scorer" },
                    Models = [new ModelArtifact { Name = "weights", Source = model, Digest = Digest }],
                },
            },
            Workload = new WorkloadState(WorkloadKind.Deployment, "scorer", 2, new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = labels },
                Spec = new V1PodSpec
                {
                    ServiceAccountName = "scorer",
                    InitContainers = [new V1Container { Name = "fetch", Image = images[2] }],
                    Containers = [new V1Container { Name = "server", Image = images[0] }, new V1Container { Name = "proxy", Image = images[1] }],
                },
            }),
            NetworkPolicies = Policies(),
            ServiceAccount = new V1ServiceAccount { Metadata = new V1ObjectMeta { Name = "scorer", NamespaceProperty = "ml" } },
            RoleGrants =
            [
                new RoleGrant("RoleBinding", "scorer-config", "Role", "config-reader", [new V1PolicyRule { ApiGroups = [""], Resources = ["configmaps"], Verbs = ["get", "list"] }]),
                new RoleGrant("ClusterRoleBinding", "scorer-nodes", "ClusterRole", "node-reader", [new V1PolicyRule { ApiGroups = [""], Resources = ["nodes"], Verbs = ["get"] }]),
            ],
            Provenance = images.Append(model).ToImmutableDictionary(
                r => r,
                r => new ArtifactVerification(r, Digest, VerificationOutcome.Verified, "Verified", "signed", ["release"], ["https://slsa.dev/provenance/v1"], DateTimeOffset.UnixEpoch)),
        };
    }

    private static ImmutableArray<V1NetworkPolicy> Policies()
    {
        static V1NetworkPolicy Policy(string name, V1LabelSelector selector, string[] types, V1NetworkPolicyIngressRule[]? ingress, V1NetworkPolicyEgressRule[]? egress) => new()
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "ml" },
            Spec = new V1NetworkPolicySpec { PodSelector = selector, PolicyTypes = types, Ingress = ingress, Egress = egress },
        };

        var scorer = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "scorer" } };
        var gateway = new V1NetworkPolicyPeer { NamespaceSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["kubernetes.io/metadata.name"] = "gateway" } } };
        var dns = new V1NetworkPolicyEgressRule
        {
            To = [new V1NetworkPolicyPeer { NamespaceSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["kubernetes.io/metadata.name"] = "kube-system" } } }],
            Ports = [new V1NetworkPolicyPort { Port = 53, Protocol = "UDP" }, new V1NetworkPolicyPort { Port = 53, Protocol = "TCP" }],
        };
        var tier = new V1LabelSelector { MatchExpressions = [new V1LabelSelectorRequirement { Key = "tier", OperatorProperty = "In", Values = ["serving", "canary"] }] };
        return
        [
            Policy("default-deny", new V1LabelSelector(), ["Ingress", "Egress"], null, null),
            Policy("scorer-ingress", scorer, ["Ingress"], [new V1NetworkPolicyIngressRule { FromProperty = [gateway] }], null),
            Policy("scorer-egress", scorer, ["Egress"], null, [dns, new V1NetworkPolicyEgressRule { To = [new V1NetworkPolicyPeer { IpBlock = new V1IPBlock { Cidr = "203.0.113.16/28" } }] }]),
            Policy("serving-metrics", tier, ["Ingress"], [new V1NetworkPolicyIngressRule { FromProperty = [gateway] }], null),
            Policy("batch-only", new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "batch" } }, ["Egress"], null, [new V1NetworkPolicyEgressRule()]),
        ];
    }
}
