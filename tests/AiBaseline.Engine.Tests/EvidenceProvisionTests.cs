using AiBaseline.Api.V1Alpha1;
using AiBaseline.Engine.Catalog;
using Microsoft.Extensions.Time.Testing;
using static AiBaseline.Engine.Tests.Builders;

namespace AiBaseline.Engine.Tests;

/// <summary>
/// What status.provisions says about provisions no control decides: met by which evidence until when, stale since
/// when, or never evidenced; and when the operator must look again because evidence ages.
/// </summary>
public sealed class EvidenceProvisionTests
{
    private readonly FakeTimeProvider clock = new(Now);

    private static readonly Dictionary<string, Action<AIModelDeploymentSpec>> Changes = new()
    {
        ["builders"] = _ => { },
        ["user guidance"] = s => s.Evidence!.Add(new EvidenceReference { Type = EvidenceType.UserGuidance, Uri = "x", Date = new DateOnly(2026, 11, 1) }),
        ["user guidance naming logging"] = s => s.Evidence!.Add(new EvidenceReference { Type = EvidenceType.UserGuidance, Uri = "x", Date = new DateOnly(2026, 11, 1), Provisions = ["5.4.2-1", "5.2.2-2"] }),
        ["stale threat model"] = s => s.Evidence!.Single(e => e.Type == EvidenceType.ThreatModel).Date = new DateOnly(2025, 1, 1),
        ["newer threat model"] = s => s.Evidence!.Add(new EvidenceReference { Type = EvidenceType.ThreatModel, Uri = "tm-v2", Date = new DateOnly(2026, 11, 1) }),
        ["risk assessment"] = s => s.Evidence!.Add(new EvidenceReference { Type = EvidenceType.RiskAssessment, Uri = "ra", Date = new DateOnly(2026, 6, 1) }),
        ["threat model in the future"] = s => s.Evidence!.Single(e => e.Type == EvidenceType.ThreatModel).Date = new DateOnly(2026, 12, 1),
    };

    [Theory]
    [InlineData("user guidance", null, "5.4.2-1", ProvisionResult.Attestation, null, null, null, "a user guide does not show that activity is logged")]
    [InlineData("user guidance", null, "5.4.2-2", ProvisionResult.Attestation, null, null, null, "a user guide does not show that logs are analysed")]
    [InlineData("user guidance", null, "5.2.2-2", ProvisionResult.Met, null, null, null, "ApiRateLimit decides it from the cluster (no Service exposes the model), not the user guide")]
    [InlineData("user guidance naming logging", null, "5.4.2-1", ProvisionResult.Attestation, null, null, null, "naming a cluster-shown provision meets nothing")]
    [InlineData("user guidance", null, "5.3.1-2", ProvisionResult.Met, "UserGuidance", "2027-11-01", null, "user documentation is what a user guide shows, until its date plus 365 days")]
    [InlineData("builders", null, "5.1.3-1", ProvisionResult.Met, "ThreatModel", "2027-09-01", null, "met until the threat model's date plus maxAgeDays")]
    [InlineData("builders", "two-years", "5.1.3-1", ProvisionResult.Met, "ThreatModel", "2028-08-31", null, "the expiry follows the profile's maxAgeDays")]
    [InlineData("newer threat model", null, "5.1.3-1", ProvisionResult.Met, "ThreatModel", "2027-11-01", null, "the newest covering reference decides")]
    [InlineData("stale threat model", null, "5.1.3-1", ProvisionResult.Attestation, "ThreatModel", null, "2026-01-01", "stale evidence says which and since when")]
    [InlineData("builders", null, "5.1.1-1", ProvisionResult.Attestation, null, null, null, "never evidenced: neither evidence nor a date")]
    [InlineData("risk assessment", null, "5.1.3-1.3", ProvisionResult.Met, "ThreatModel", "2027-09-01", null, "of two types that can meet it, the newer reference decides")]
    [InlineData("builders", "digest-for-threat-models", "5.1.3-1", ProvisionResult.Attestation, null, null, null, "a threat model without the required digest counts for nothing")]
    [InlineData("threat model in the future", null, "5.1.3-1", ProvisionResult.Attestation, null, null, null, "a reference dated after today is not evidence yet")]
    [InlineData("user guidance", null, "5.2.2-1", ProvisionResult.Met, null, null, null, "controls still decide their provisions")]
    public void Evidence_meets_stales_or_leaves_a_provision(string change, string? profile, string id, ProvisionResult result, string? evidence, string? expiresAt, string? expiredAt, string why)
    {
        var deployment = Deployment(LifecycleStage.Maintenance);
        Changes[change](deployment.Spec);

        var status = BaselineEngine.Evaluate(Snapshot(deployment), ProfileNamed(profile), clock);

        var provision = Assert.Single(status.EachProvision(), p => p.Id == id);
        Assert.True(
            (result, evidence, expiresAt, expiredAt) == (provision.Result, provision.Evidence, Show(provision.ExpiresAt), Show(provision.ExpiredAt)),
            $"{change}: {id} ({why}): got {provision}");
    }

    [Fact]
    public void One_group_per_result_evidence_and_expiry_and_stale_apart_from_never_evidenced()
    {
        var deployment = Deployment(LifecycleStage.Maintenance);
        Changes["stale threat model"](deployment.Spec);

        var groups = BaselineEngine.Evaluate(Snapshot(deployment), Profile(), clock).Provisions!;

        Assert.Equal(groups.Count, groups.Select(g => (g.Result, g.Evidence, g.ExpiresAt, g.ExpiredAt)).Distinct().Count());
        var stale = Assert.Single(groups, g => g.ExpiredAt is not null);
        Assert.Equal((ProvisionResult.Attestation, "ThreatModel", new DateOnly(2026, 1, 1)), (stale.Result, stale.Evidence, stale.ExpiredAt!.Value));
        Assert.Contains("5.1.3-1", stale.Ids);
        var never = Assert.Single(groups, g => g.Result == ProvisionResult.Attestation && g.Evidence is null);
        Assert.Contains("5.1.1-1", never.Ids);
        Assert.All(groups.Where(g => g.Result == ProvisionResult.Met && g.Evidence is not null), g => Assert.NotNull(g.ExpiresAt));
    }

    [Theory]
    [InlineData("builders", null, "2027-06-01", "the incident plan (2026-07-01, expires 2027-07-01) enters the 30-day window first")]
    [InlineData("builders", "no-warning", "2027-07-02", "without a window, the first expiry: the day after the incident plan's last day")]
    [InlineData("threat model in the future", null, "2026-12-01", "a reference dated in the future starts to count on its date")]
    [InlineData("stale threat model", null, "2027-06-01", "a stale reference changes nothing any more")]
    [InlineData("none", null, null, "without evidence time changes nothing")]
    public void The_next_change_by_time_alone_is_when_evidence_starts_warns_or_expires(string change, string? profile, string? next, string why)
    {
        var deployment = Deployment(LifecycleStage.Maintenance);
        if (change == "none")
        {
            deployment.Spec.Evidence = null;
        }
        else
        {
            Changes[change](deployment.Spec);
        }

        var at = EvidenceExpiry.NextChange(deployment, ProfileNamed(profile).Spec.Evidence, Now);

        Assert.True(next == at?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), $"{change}: {why}: got {at}");
        Assert.True(at is null || at.Value.TimeOfDay == TimeSpan.Zero, "changes happen at midnight UTC");
    }

    [Fact]
    public void Past_the_next_change_the_condition_says_what_expires()
    {
        var deployment = Deployment(LifecycleStage.Maintenance);
        var next = EvidenceExpiry.NextChange(deployment, Profile().Spec.Evidence, Now)!.Value;
        clock.SetUtcNow(next.AddSeconds(-1));
        Assert.Equal("EvidenceCurrent", Condition(deployment).Reason);

        clock.SetUtcNow(next);
        var warned = Condition(deployment);

        Assert.Equal(("True", "EvidenceExpiring"), (warned.Status, warned.Reason));
        Assert.Contains("IncidentPlan https://docs.example.com/scorer/incident-plan expires after 2027-07-01", warned.Message, StringComparison.Ordinal);
    }

    private k8s.Models.V1Condition Condition(AIModelDeployment deployment) =>
        BaselineEngine.Evaluate(Snapshot(deployment), Profile(), clock).Conditions!.Single(c => c.Type == ConditionTypes.EvidenceCurrent);

    private static BaselineProfile ProfileNamed(string? name) => Profile(p =>
    {
        switch (name)
        {
            case "two-years": p.Evidence.MaxAgeDays = 730; break;
            case "no-warning": p.Evidence.WarnBeforeExpiryDays = 0; break;
            case "digest-for-threat-models": p.Evidence.RequireDigest = [EvidenceType.ThreatModel]; break;
        }
    });

    private static string? Show(DateOnly? date) => date?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}
