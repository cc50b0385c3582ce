using System.Text.Json.Nodes;
using AiBaseline.Api.V1Alpha1;
using AiBaseline.Engine;
using k8s;
using k8s.Models;

namespace AiBaseline.Cli.Tests.Crds;

/// <summary>
/// The status the engine computes, serialized as the operator sends it, passes the generated schema, so the
/// API server accepts the operator's status writes in every situation the engine reports.
/// </summary>
public sealed class EngineStatusSchemaTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    public static TheoryData<string> Situations => new("compliant-looking", "profile missing", "no workload", "retired", "second pass");

    [Theory]
    [MemberData(nameof(Situations))]
    public void Engine_status_is_accepted_by_the_schema(string situation)
    {
        var deployment = Deployment(situation == "retired" ? LifecycleStage.Retirement : LifecycleStage.Deployment);
        var profile = situation == "profile missing" ? null : new BaselineProfile { Metadata = new V1ObjectMeta { Name = ApiGroup.DefaultProfileName } };
        var snapshot = new Snapshot { Deployment = deployment, Workload = situation is "no workload" or "retired" ? null : Workload() };
        var clock = new FixedClock(Now);

        deployment.Status = BaselineEngine.Evaluate(snapshot, profile, clock);
        if (situation == "second pass")
        {
            // The next pass starts from the stored status, as the operator's does.
            deployment = KubernetesJson.Deserialize<AIModelDeployment>(KubernetesJson.Serialize(deployment));
            deployment.Status = BaselineEngine.Evaluate(snapshot with { Deployment = deployment }, profile, new FixedClock(Now.AddHours(1)));
        }

        var document = JsonNode.Parse(KubernetesJson.Serialize(deployment))!;

        Assert.NotEmpty(deployment.Status.Conditions!);
        Assert.Empty(SchemaCheck.Check(document));
    }

    private static AIModelDeployment Deployment(LifecycleStage stage) => new()
    {
        Metadata = new V1ObjectMeta { Name = "scorer", NamespaceProperty = "ml", Generation = 2 },
        Spec = new AIModelDeploymentSpec
        {
            Stage = stage,
            WorkloadRef = new WorkloadReference { Kind = WorkloadKind.Deployment, Name = "scorer" },
            Owners = [new Owner { Name = "ml-platform" }],
            Models = [new ModelArtifact { Name = "weights", Source = "pvc://scorer-weights/model.safetensors" }],
            Evidence = [new EvidenceReference { Type = EvidenceType.ModelCard, Uri = "https://docs.example.com/model-card", Date = new DateOnly(2026, 10, 1) }],
            Retirement = new RetirementSpec { Secrets = ["scorer-key"] },
        },
    };

    private static WorkloadState Workload() => new(
        WorkloadKind.Deployment,
        "scorer",
        1,
        new V1PodTemplateSpec
        {
            Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "scorer" } },
            Spec = new V1PodSpec { Containers = [new V1Container { Name = "server", Image = "registry.example.com/ml/scorer:1.0" }] },
        });

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
