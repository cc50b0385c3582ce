using AiBaseline.Api.V1Alpha1;
using AiBaseline.Engine.Controls;
using Microsoft.Extensions.Time.Testing;
using static AiBaseline.Engine.Tests.Builders;

namespace AiBaseline.Engine.Tests;

public sealed class ControlRegistrationTests
{
    [Fact]
    public void Controls_are_listed_in_status_order_with_one_condition_each()
    {
        var names = ControlSet.All.Select(c => c.Name).ToList();
        string[] order = ["SecretsHandling", "RuntimeHardening", "Retirement", "Evidence"];

        Assert.Equal(order, names.Where(order.Contains));
        Assert.Equal(names.Count, ControlSet.All.Select(c => c.ConditionType).Distinct().Count());
    }

    [Fact]
    public void The_compliant_deployment_meets_secrets_runtime_and_evidence_and_is_not_retiring()
    {
        var status = BaselineEngine.Evaluate(Snapshot(), Profile(), new FakeTimeProvider(Now));

        var results = status.Controls!.ToDictionary(c => c.Name, c => c.Result);
        Assert.Equal(ControlResult.Met, results["SecretsHandling"]);
        Assert.Equal(ControlResult.Met, results["RuntimeHardening"]);
        Assert.Equal(ControlResult.Met, results["Evidence"]);
        Assert.Equal(ControlResult.NotApplicable, results["Retirement"]);
        Assert.DoesNotContain(status.Conditions!, c => c.Type == ConditionTypes.RetirementComplete);
        Assert.Equal("True", status.Conditions!.Single(c => c.Type == ConditionTypes.SecretsProtected).Status);
    }
}
