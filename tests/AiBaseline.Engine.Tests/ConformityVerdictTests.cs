using AiBaseline.Api.V1Alpha1;
using AiBaseline.Engine.Catalog;
using Microsoft.Extensions.Time.Testing;
using static AiBaseline.Engine.Tests.Builders;

namespace AiBaseline.Engine.Tests;

/// <summary>
/// The standard's verdict, kept apart from Ready: Fail when an applicable provision is not met, Pass when every
/// applicable shall provision is met or waived, Inconclusive otherwise; and the profile can narrow the scope.
/// </summary>
public sealed class ConformityVerdictTests
{
    private readonly FakeTimeProvider clock = new(Now);

    [Fact]
    public void A_deployment_whose_checks_all_pass_is_ready_but_inconclusive_while_shall_provisions_await_evidence()
    {
        var status = BaselineEngine.Evaluate(Snapshot(), Profile(), clock);

        Assert.Equal("True", Condition(status, ConditionTypes.Ready).Status);
        Assert.Equal(ConformityVerdict.Inconclusive, status.Summary!.Verdict);
        var conformant = Condition(status, ConditionTypes.Conformant);
        Assert.Equal(("Unknown", "Inconclusive"), (conformant.Status, conformant.Reason));
        var awaiting = ShallAwaitingEvidence(status);
        Assert.NotEmpty(awaiting);
        Assert.Equal($"none failed, but {awaiting.Count} applicable shall provisions await evidence: {string.Join(", ", awaiting.Take(5))} and {awaiting.Count - 5} more", conformant.Message);
    }

    [Fact]
    public void One_provision_not_met_fails_the_verdict_and_names_it()
    {
        var status = BaselineEngine.Evaluate(Snapshot(Deployment(), Workload(Container(image: "registry.example.com/ml/scorer:latest"))), Profile(), clock);

        Assert.Equal(ConformityVerdict.Fail, status.Summary!.Verdict);
        var conformant = Condition(status, ConditionTypes.Conformant);
        Assert.Equal(("False", "Fail"), (conformant.Status, conformant.Reason));
        Assert.Contains("5.2.3-1", conformant.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Declaring_the_open_shall_provisions_out_of_scope_passes_and_reports_each_as_not_applicable_with_its_reason()
    {
        var open = ShallAwaitingEvidence(BaselineEngine.Evaluate(Snapshot(), Profile(), clock));
        var profile = Profile(p => p.Scope.OutOfScope = [.. open.Select(id => new ScopeExclusion { Provision = id, Reason = "covered by the group ISMS" })]);

        var status = BaselineEngine.Evaluate(Snapshot(), profile, clock);

        Assert.Equal(ConformityVerdict.Pass, status.Summary!.Verdict);
        Assert.Equal(("True", "Pass"), (Condition(status, ConditionTypes.Conformant).Status, Condition(status, ConditionTypes.Conformant).Reason));
        Assert.All(open, id => Assert.Equal((ProvisionResult.NotApplicable, "out of scope: covered by the group ISMS"), (status.Provision(id)!.Result, status.Provision(id)!.Reason)));

        // Should provisions awaiting evidence do not stand in the way of a pass.
        Assert.Contains(status.EachProvision(), p => p.Result == ProvisionResult.Attestation && !IsShall(p.Id));
    }

    [Fact]
    public void Provisions_outside_the_stage_say_so()
    {
        var status = BaselineEngine.Evaluate(Snapshot(), Profile(), clock);

        Assert.Equal("outside the phases of stage Deployment", status.Provision("5.5.1-2")!.Reason);
    }

    [Fact]
    public void A_digest_only_declared_cannot_meet_the_provision_that_asks_for_authenticated_assets()
    {
        var deployment = Deployment();
        deployment.Spec.Models = [new ModelArtifact { Name = "weights", Source = "s3://models/scorer/weights.safetensors", Digest = "sha256:" + new string('a', 64) }];

        var status = BaselineEngine.Evaluate(Snapshot(deployment), Profile(), clock);

        Assert.Equal("DigestDeclared", Condition(status, ConditionTypes.ModelIntegrityVerified).Reason);
        // No control meets it any more: it is left to evidence, as an attestation provision is.
        var authenticated = status.Provision("5.2.1-2")!;
        Assert.True(authenticated.Result == ProvisionResult.Attestation || authenticated.Evidence is not null, $"5.2.1-2 is {authenticated.Result} without evidence");
        Assert.Equal(ProvisionResult.Met, status.Provision("5.2.4-1.2")!.Result);
        Assert.Equal("True", Condition(status, ConditionTypes.Ready).Status);
    }

    private static bool IsShall(string id) => ProvisionCatalog.Provisions.Single(p => p.Id == id).Shall;

    private static List<string> ShallAwaitingEvidence(AIModelDeploymentStatus status) =>
        [.. status.EachProvision().Where(p => p.Result == ProvisionResult.Attestation && IsShall(p.Id)).Select(p => p.Id)];

    private static k8s.Models.V1Condition Condition(AIModelDeploymentStatus status, string type) =>
        Assert.Single(status.Conditions!, c => c.Type == type);
}
