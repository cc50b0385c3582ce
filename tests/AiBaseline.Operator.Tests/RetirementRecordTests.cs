using AiBaseline.Api.V1Alpha1;
using k8s;
using k8s.Models;

namespace AiBaseline.Operator.Tests;

/// <summary>
/// What a RetirementRecord keeps of a retired deployment (built from the deployment and its last verdict), and that
/// the operator writes one before it lets a retiring deployment go, and holds the deployment while it cannot.
/// </summary>
public sealed class RetirementRecordTests
{
    private const string Legacy = "legacy-models";
    private const string Summarizer = "legacy-summarizer";
    private const string ModelDigest = "sha256:7d3b1f5a9c2e6b0d4f8a1c5e9b3d7f0a2c6e4b8d1f5a9c3e7b0d2f6a4c8e1b5d";
    private const string ImageDigest = "sha256:5e9a3c7f1b4d8e2a6c0f3b7d1e5a9c2f6b0d4e8a1c5f9b3d7e0a2c6f4b8d1e5a";

    [Fact]
    public void A_proven_disposal_records_the_deployment_its_artifacts_owners_and_the_check_that_proved_it()
    {
        var deployment = Retired();
        var status = Verdict(ControlResult.Met, "DisposalComplete", "workload, 1 secret, 1 volume claim and 1 service are gone");

        var record = RetirementRecords.Build(deployment, status, waiver: null, waiverObject: null, new DateTimeOffset(2026, 12, 2, 4, 30, 15, 640, TimeSpan.Zero));

        Assert.Equal("aimd-6f1c2a9e-0000-4000-8000-000000000001", record.Metadata.Name);
        Assert.Equal(ApiGroup.RetirementRecordKind, record.Kind);
        Assert.Equal((Legacy, Summarizer, "6f1c2a9e-0000-4000-8000-000000000001"), (record.Spec.Deployment.Namespace, record.Spec.Deployment.Name, record.Spec.Deployment.Uid));
        Assert.Equal(new DateTime(2026, 12, 2, 4, 30, 15, DateTimeKind.Utc), record.Spec.DisposedAt);
        Assert.Equal(RetirementRelease.DisposalProven, record.Spec.ReleasedBy);
        Assert.Equal(("Retirement", "Met", "DisposalComplete"), (record.Spec.Check.Control, record.Spec.Check.Result, record.Spec.Check.Reason));
        Assert.Contains("are gone", record.Spec.Check.Message, StringComparison.Ordinal);
        Assert.Equal([("5.5.1-1", "Met"), ("5.5.1-2", "Met")], record.Spec.Provisions!.Select(p => (p.Id, p.Result)));
        Assert.Equal(ModelDigest, Assert.Single(record.Spec.Models!).Digest);
        Assert.Equal(ImageDigest, Assert.Single(record.Spec.Images!).Digest);
        Assert.Equal(WorkloadKind.Deployment, record.Spec.Workload!.Kind);
        Assert.Equal(["summarizer-api-key"], record.Spec.Disposed!.Secrets!);
        Assert.Equal("Document AI team", Assert.Single(record.Spec.Owners!).Name);
        Assert.Equal(EvidenceType.ModelCard, Assert.Single(record.Spec.Evidence!).Type);
        Assert.Null(record.Spec.Waiver);
        Assert.Equal(Summarizer, record.Metadata.Labels[RetirementRecords.NameLabel]);
        Assert.Equal("document-ai", record.Metadata.Labels["team"]);
    }

    [Fact]
    public void A_waived_disposal_records_the_waiver_its_approver_ticket_and_expiry()
    {
        var waiver = new BaselineException
        {
            Metadata = new V1ObjectMeta { Name = "summarizer-disposal", NamespaceProperty = Legacy },
            Spec = new BaselineExceptionSpec { ApprovedBy = "ciso", Ticket = "RISK-42", Justification = "key revoked upstream", ExpiresAt = new DateTime(2027, 1, 1, 0, 0, 0, DateTimeKind.Utc) },
        };

        var record = RetirementRecords.Build(Retired(), Verdict(ControlResult.Waived, "LeftoversRemain", "secret summarizer-api-key remains"), "summarizer-disposal", waiver, DateTimeOffset.UnixEpoch);

        Assert.Equal(RetirementRelease.Waived, record.Spec.ReleasedBy);
        Assert.Equal("Waived", record.Spec.Check.Result);
        var recorded = record.Spec.Waiver!;
        Assert.Equal(("summarizer-disposal", "ciso", "RISK-42"), (recorded.Name, recorded.ApprovedBy, recorded.Ticket));
        Assert.Equal(new DateTime(2027, 1, 1, 0, 0, 0, DateTimeKind.Utc), recorded.ExpiresAt);
    }

    [Fact]
    public void With_the_workload_gone_the_images_are_those_of_the_status_last_written()
    {
        var deployment = Retired();
        deployment.Status = new AIModelDeploymentStatus { Images = [new ImageStatus { Container = "server", Image = "registry.acme.example/summarizer", Digest = ImageDigest }] };
        var status = Verdict(ControlResult.Met, "DisposalComplete", "all gone");
        status.Images = null;

        var record = RetirementRecords.Build(deployment, status, null, null, DateTimeOffset.UnixEpoch);

        Assert.Equal(ImageDigest, Assert.Single(record.Spec.Images!).Digest);
    }

    [Fact]
    public async Task A_deployment_whose_disposal_is_proven_leaves_a_record_when_it_goes()
    {
        await using var cluster = await OperatorFixture.StartAsync();
        using var client = await HoldDeletionAsync(cluster);
        Assert.Empty(Records(cluster));

        DisposeLeftovers(cluster);

        await OperatorFixture.EventuallyAsync(() => cluster.Get(Legacy, Summarizer) is null, "the deployment goes once its leftovers are gone");
        var record = Assert.Single(Records(cluster));
        Assert.Equal(Summarizer, record.Spec.Deployment.Name);
        Assert.Equal(RetirementRelease.DisposalProven, record.Spec.ReleasedBy);
        Assert.Equal("Met", record.Spec.Check.Result);
        Assert.Equal(ModelDigest, Assert.Single(record.Spec.Models!).Digest);
        Assert.Contains(cluster.Events(Legacy), e => e["reason"]?.GetValue<string>() == RetirementHold.RecordedReason);
    }

    [Fact]
    public async Task Without_a_record_the_deployment_stays_held_until_one_can_be_written()
    {
        // A cluster where the RetirementRecord CRD is not installed yet (an operator upgraded before its CRDs).
        var crds = Directory.CreateTempSubdirectory("crds-");
        try
        {
            foreach (var file in Directory.GetFiles(OperatorFixture.CrdFolder, "*.yaml").Where(f => !f.EndsWith("_retirementrecords.yaml", StringComparison.Ordinal)))
            {
                File.Copy(file, Path.Combine(crds.FullName, Path.GetFileName(file)));
            }

            await using var cluster = await OperatorFixture.StartAsync(crds.FullName);
            using var client = await HoldDeletionAsync(cluster);
            DisposeLeftovers(cluster);

            await OperatorFixture.EventuallyAsync(() => Notes(cluster, RetirementHold.RecordFailedReason).Count > 0, "the operator says the record could not be written");
            Assert.Contains("deletion held", Notes(cluster, RetirementHold.RecordFailedReason)[0], StringComparison.Ordinal);
            Assert.True(cluster.Get(Legacy, Summarizer)?.Metadata.Finalizers?.Contains(ApiGroup.RetirementFinalizer), "the finalizer stays while no record exists");

            cluster.Server.ApplyCrdsFrom(OperatorFixture.CrdFolder);
            await OperatorFixture.EventuallyAsync(() => cluster.Get(Legacy, Summarizer) is null, "the deployment goes once its record is written", seconds: 60);
            Assert.Single(Records(cluster));
        }
        finally
        {
            crds.Delete(recursive: true);
        }
    }

    /// <summary>The retired example under a running operator, deleted: its deletion held while its leftovers remain.</summary>
    private static async Task<Kubernetes> HoldDeletionAsync(OperatorFixture cluster)
    {
        cluster.Apply("profiles", "retired-model");
        await cluster.StartOperatorAsync();
        await OperatorFixture.EventuallyAsync(() => cluster.Get(Legacy, Summarizer)?.Metadata.Finalizers?.Contains(ApiGroup.RetirementFinalizer) == true, "the retired deployment carries the retirement finalizer");
        var client = new Kubernetes(cluster.Server.CreateClientConfiguration());
        await client.CustomObjects.DeleteNamespacedCustomObjectAsync(ApiGroup.Group, ApiGroup.Version, Legacy, ApiGroup.AIModelDeploymentPlural, Summarizer, cancellationToken: TestContext.Current.CancellationToken);
        await OperatorFixture.EventuallyAsync(() => Notes(cluster, "DeletionHeld").Count == 1, "the deletion is held");
        return client;
    }

    private static void DisposeLeftovers(OperatorFixture cluster)
    {
        cluster.Server.Delete("apps/v1", "Deployment", Legacy, Summarizer);
        cluster.Server.Delete("v1", "Secret", Legacy, "summarizer-api-key");
        cluster.Server.Delete("v1", "PersistentVolumeClaim", Legacy, "summarizer-weights");
    }

    private static List<RetirementRecord> Records(OperatorFixture cluster) =>
        [.. cluster.Server.List(ApiGroup.GroupVersion, ApiGroup.RetirementRecordKind).Select(r => KubernetesJson.Deserialize<RetirementRecord>(r.ToJsonString()))];

    private static List<string> Notes(OperatorFixture cluster, string reason) =>
        [.. cluster.Events(Legacy).Where(e => e["reason"]?.GetValue<string>() == reason).Select(e => e["note"]!.GetValue<string>())];

    private static AIModelDeployment Retired() => new()
    {
        Metadata = new V1ObjectMeta { Name = Summarizer, NamespaceProperty = Legacy, Uid = "6f1c2a9e-0000-4000-8000-000000000001", Labels = new Dictionary<string, string> { ["team"] = "document-ai" } },
        Spec = new AIModelDeploymentSpec
        {
            Stage = LifecycleStage.Retirement,
            WorkloadRef = new WorkloadReference { Kind = WorkloadKind.Deployment, Name = Summarizer },
            Models = [new ModelArtifact { Name = "summarizer-t5-large", Source = "oci://registry.acme.example/models/summarizer-t5-large", Digest = ModelDigest }],
            Owners = [new Owner { Name = "Document AI team", Contact = "document-ai@acme.example" }],
            Evidence = [new EvidenceReference { Type = EvidenceType.ModelCard, Uri = "https://docs.acme.example/model-card", Date = new DateOnly(2026, 1, 20) }],
            Retirement = new RetirementSpec { Secrets = ["summarizer-api-key"], PersistentVolumeClaims = ["summarizer-weights"], Services = [Summarizer] },
        },
    };

    private static AIModelDeploymentStatus Verdict(ControlResult result, string reason, string message) => new()
    {
        Controls = [new ControlStatus { Name = "Retirement", Result = result }],
        Conditions = [new V1Condition { Type = ConditionTypes.RetirementComplete, Status = result == ControlResult.Met ? "True" : "False", Reason = reason, Message = message }],
        Images = [new ImageStatus { Container = "server", Image = "registry.acme.example/summarizer", Digest = ImageDigest }],
        Provisions = [new ProvisionGroup { Result = result == ControlResult.Met ? ProvisionResult.Met : ProvisionResult.Waived, Ids = ["5.5.1-1", "5.5.1-2"] }],
    };
}
