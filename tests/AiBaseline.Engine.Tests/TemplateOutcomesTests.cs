using AiBaseline.Api.V1Alpha1;
using AiBaseline.Engine.Controls;

namespace AiBaseline.Engine.Tests;

/// <summary>A workload of several templates is judged on each, and the worst template decides.</summary>
public sealed class TemplateOutcomesTests
{
    [Fact]
    public void Templates_that_agree_give_one_outcome_without_roles()
    {
        var met = ControlOutcome.Met("Accepted", "all good");

        var merged = TemplateOutcomes.Merge([("leader", met), ("worker", met)]);

        Assert.Equal((met.Result, met.Reason, met.Message), (merged.Result, merged.Reason, merged.Message));
    }

    [Fact]
    public void One_failing_template_fails_the_workload_and_is_named()
    {
        var merged = TemplateOutcomes.Merge([
            ("head", ControlOutcome.Met("PodSecurityLevelMet", "fine")),
            ("worker group gpu", ControlOutcome.NotMet("RestrictedViolated", "container ray: runs as root")),
        ]);

        Assert.Equal((ControlResult.NotMet, "RestrictedViolated", "worker group gpu template: container ray: runs as root"), (merged.Result, merged.Reason, merged.Message));
    }

    [Fact]
    public void NotMet_outranks_Unknown_and_templates_with_the_same_finding_are_named_together()
    {
        var merged = TemplateOutcomes.Merge([
            ("predictor", ControlOutcome.Unknown("SignatureNotChecked", "not checked")),
            ("transformer", ControlOutcome.NotMet("LiteralCredential", "env KEY is a literal")),
            ("explainer", ControlOutcome.NotMet("LiteralCredential", "env KEY is a literal")),
        ]);

        Assert.Equal((ControlResult.NotMet, "transformer, explainer templates: env KEY is a literal"), (merged.Result, merged.Message));
    }

    [Fact]
    public void A_leader_worker_set_whose_worker_runs_as_root_fails_RuntimeHardening_naming_the_worker()
    {
        var workload = Builders.Workload();
        var hardened = workload.Template;
        var root = Builders.Workload().Template;
        root.Spec.SecurityContext = null;
        foreach (var container in root.Spec.Containers)
        {
            container.SecurityContext = null;
        }

        var lws = WorkloadState.Of(WorkloadKind.LeaderWorkerSet, "scorer", 1, [new PodTemplate("leader", hardened), new PodTemplate("worker", root)]);
        var deployment = Builders.Deployment();
        deployment.Spec.WorkloadRef = new WorkloadReference { Kind = WorkloadKind.LeaderWorkerSet, Name = "scorer" };
        var snapshot = Builders.Snapshot(deployment) with
        {
            Workload = lws,
            PerTemplate = [.. lws.Templates.Select(t => new TemplateSnapshot(t.Role, Builders.Snapshot(deployment) with { Workload = lws with { Template = t.Template, Templates = [] } }))],
        };

        var status = BaselineEngine.Evaluate(snapshot, Builders.Profile(), new Microsoft.Extensions.Time.Testing.FakeTimeProvider(Builders.Now));

        var hardening = status.Conditions!.Single(c => c.Type == ConditionTypes.RuntimeHardened);
        Assert.Equal("False", hardening.Status);
        Assert.StartsWith("worker template: ", hardening.Message, StringComparison.Ordinal);
        Assert.Contains(status.Images!, i => i.Container.StartsWith("worker/", StringComparison.Ordinal));
    }
}
