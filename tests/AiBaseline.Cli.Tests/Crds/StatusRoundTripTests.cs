using System.Text.Json.Nodes;
using AiBaseline.Api.V1Alpha1;
using k8s;
using k8s.Models;

namespace AiBaseline.Cli.Tests.Crds;

/// <summary>
/// What the operator writes, serialized as KubernetesClient sends it, is accepted by the generated schema:
/// a status the API server rejected would leave users with a stale verdict.
/// </summary>
public sealed class StatusRoundTripTests
{
    private static readonly DateTime Now = new(2026, 11, 24, 12, 0, 0, DateTimeKind.Utc);
    private const string Digest = "sha256:1f7c6b5e1d3c2a4b5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5";

    [Fact]
    public void Deployment_with_a_full_status_is_accepted()
    {
        var document = Serialize(FullDeployment());

        Assert.Empty(SchemaCheck.Check(document));
    }

    [Fact]
    public void The_sample_deployment_sets_every_field_the_schema_declares()
    {
        var document = Serialize(FullDeployment());

        Assert.Empty(MissingFields(CrdStructureTests.Schema("AIModelDeployment"), document, ""));
    }

    [Fact]
    public void Profile_with_a_status_is_accepted()
    {
        var profile = new BaselineProfile
        {
            Metadata = new V1ObjectMeta { Name = ApiGroup.DefaultProfileName, Generation = 2 },
            Status = new BaselineProfileStatus
            {
                ObservedGeneration = 2,
                Conditions = [Condition(ConditionTypes.Ready, "True", "Accepted", "The profile is valid")],
            },
        };

        Assert.Empty(SchemaCheck.Check(Serialize(profile)));
    }

    [Theory]
    [InlineData(ControlResult.Met)]
    [InlineData(ControlResult.NotMet)]
    [InlineData(ControlResult.Unknown)]
    [InlineData(ControlResult.NotApplicable)]
    [InlineData(ControlResult.Waived)]
    public void Every_control_result_is_accepted(ControlResult result)
    {
        var deployment = FullDeployment();
        deployment.Status!.Controls![0].Result = result;

        Assert.Empty(SchemaCheck.Check(Serialize(deployment)));
    }

    [Theory]
    [InlineData(ProvisionResult.Met)]
    [InlineData(ProvisionResult.NotMet)]
    [InlineData(ProvisionResult.Unknown)]
    [InlineData(ProvisionResult.Attestation)]
    [InlineData(ProvisionResult.NotApplicable)]
    [InlineData(ProvisionResult.Waived)]
    public void Every_provision_result_is_accepted(ProvisionResult result)
    {
        var deployment = FullDeployment();
        deployment.Status!.Provisions![0].Result = result;

        Assert.Empty(SchemaCheck.Check(Serialize(deployment)));
    }

    [Fact]
    public void A_condition_without_a_reason_is_rejected_as_the_api_server_would()
    {
        var deployment = FullDeployment();
        deployment.Status!.Conditions![0].Reason = null;

        var violation = Assert.Single(SchemaCheck.Check(Serialize(deployment)));

        Assert.Equal("status.conditions[0].reason", violation.Path);
    }

    private static AIModelDeployment FullDeployment() => new()
    {
        Metadata = new V1ObjectMeta { Name = "fraud-scorer", NamespaceProperty = "ml", Generation = 4 },
        Spec = new AIModelDeploymentSpec
        {
            Profile = "regulated",
            Stage = LifecycleStage.Deployment,
            WorkloadRef = new WorkloadReference { Kind = WorkloadKind.Deployment, Name = "fraud-scorer" },
            Models =
            [
                new ModelArtifact { Name = "weights", Source = "oci://registry.example.com/models/fraud@" + Digest, Digest = Digest },
                new ModelArtifact { Name = "adapter", Source = "pvc://fraud-weights/adapter", Digest = Digest, Signature = "model.sig", IgnorePaths = ["README.md"] },
            ],
            Owners = [new Owner { Name = "ml-platform", Contact = "ml-platform@example.com", Role = "model owner" }],
            Evidence = [new EvidenceReference { Type = EvidenceType.ThreatModel, Uri = "https://docs.example.com/threat-model", Date = new DateOnly(2026, 9, 1), Provisions = ["5.2.2-4"], Digest = "sha256:" + new string('a', 64), ApprovedBy = "Security review board" }],
            Retirement = new RetirementSpec { Secrets = ["fraud-key"], PersistentVolumeClaims = ["fraud-weights"], Services = ["fraud-scorer"] },
        },
        Status = new AIModelDeploymentStatus
        {
            ObservedGeneration = 4,
            Stage = LifecycleStage.Deployment,
            Summary = new ComplianceSummary { Met = 14, NotMet = 1, Unknown = 0, Attestation = 9, NotApplicable = 5, Waived = 1, Verdict = ConformityVerdict.Fail },
            Compliance = "14/15",
            Controls =
            [
                new ControlStatus { Name = "Retirement", Result = ControlResult.NotApplicable, Reason = "NotRetiring", Message = "the model is in stage Deployment, not Retirement" },
                new ControlStatus { Name = "ImageProvenance", Result = ControlResult.NotMet },
                new ControlStatus { Name = "NetworkIsolation", Result = ControlResult.Waived, Waiver = "egress-gateway-pending" },
            ],
            Images =
            [
                new ImageStatus
                {
                    Container = "server",
                    Image = "registry.example.com/ml/fraud-scorer@" + Digest,
                    Digest = Digest,
                    SignedBy = ["release"],
                    Attestations = ["https://slsa.dev/provenance/v1"],
                    VerifiedAt = Now,
                },
            ],
            Models =
            [
                new ModelStatus { Name = "adapter", Source = "pvc://fraud-weights/adapter", ManifestDigest = Digest, Signer = "release-key, public key sha256:0123456789abcdef…", VerifiedAt = Now },
                new ModelStatus { Name = "adapter-v2", Source = "pvc://fraud-weights/adapter-v2", Reason = "ModelNotReachable" },
                new ModelStatus { Name = "weights", Source = "oci://registry.example.com/models/fraud@" + Digest, Digest = Digest, ManifestDigest = Digest, Signer = "acme-model-ca, CN=release", VerifiedAt = Now },
            ],
            Provisions =
            [
                new ProvisionGroup { Result = ProvisionResult.Met, Evidence = "ThreatModel", ExpiresAt = new DateOnly(2027, 9, 1), Reason = "unused on a met group, set so every field is exercised", Ids = ["5.2.2-4"] },
                new ProvisionGroup { Result = ProvisionResult.Attestation, Evidence = "ModelCard", ExpiredAt = new DateOnly(2026, 6, 30), Ids = ["5.2.4-1.1"] },
                new ProvisionGroup { Result = ProvisionResult.NotMet, Ids = ["5.2.3-1"] },
                new ProvisionGroup { Result = ProvisionResult.Waived, Waiver = "egress-gateway-pending", Ids = ["5.2.2-3"] },
            ],
            Conditions =
            [
                Condition(ConditionTypes.Ready, "False", ReadyReasons.NotCompliant, "1 of 15 checked provisions not met: 5.2.3-1"),
                Condition(ConditionTypes.ImageProvenanceVerified, "False", "ImageNotSigned", "container server: no signature by a trusted key (EN 304 223 5.2.3-1, 5.2.3-2)"),
                Condition(ConditionTypes.Stalled, "Unknown", ReadyReasons.ProfileNotFound, ""),
            ],
            History =
            [
                new VerdictChange { At = Now.AddDays(-3), Verdict = ConformityVerdict.Inconclusive, Ready = "True" },
                new VerdictChange
                {
                    At = Now,
                    Verdict = ConformityVerdict.Fail,
                    Ready = "False",
                    Provisions = [new ProvisionChange { Was = ProvisionResult.Met, Result = ProvisionResult.NotMet, Reason = "ImageProvenance: ImageNotSigned", Ids = ["5.2.3-1"] }],
                    More = 2,
                },
            ],
        },
    };

    private static V1Condition Condition(string type, string status, string reason, string message) => new()
    {
        Type = type,
        Status = status,
        Reason = reason,
        Message = message,
        ObservedGeneration = 4,
        LastTransitionTime = Now,
    };

    private static JsonNode Serialize<T>(T resource) => JsonNode.Parse(KubernetesJson.Serialize(resource))!;

    // Paths of declared object fields the sample leaves out, so "full status" stays full as the types grow.
    private static IEnumerable<string> MissingFields(JsonNode schema, JsonNode? value, string path)
    {
        if (schema["properties"] is JsonObject properties && value is JsonObject obj && path != ".metadata")
        {
            foreach (var (name, child) in properties)
            {
                if (!obj.ContainsKey(name))
                {
                    yield return $"{path}.{name}";
                    continue;
                }

                foreach (var missing in MissingFields(child!, obj[name], $"{path}.{name}"))
                {
                    yield return missing;
                }
            }
        }
        else if (schema["items"] is { } items && value is JsonArray { Count: > 0 } array)
        {
            // A field counts as set when one item sets it: some fields belong to one kind of item only (a waiver to a waived control).
            var missingInAll = array.Select(item => MissingFields(items, item, path + "[*]").ToHashSet(StringComparer.Ordinal))
                .Aggregate((all, next) => [.. all.Intersect(next, StringComparer.Ordinal)]);
            foreach (var missing in missingInAll.Order(StringComparer.Ordinal))
            {
                yield return missing;
            }
        }
    }
}
