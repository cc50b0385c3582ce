using AiBaseline.Api.V1Alpha1;
using AiBaseline.Engine.Controls;
using AiBaseline.Engine.Status;
using k8s;
using Microsoft.Extensions.Time.Testing;
using static AiBaseline.Engine.Tests.Builders;

namespace AiBaseline.Engine.Tests;

/// <summary>
/// The verdict history in the status: one entry per change of Ready or of the standard's verdict, naming only the
/// provisions that changed and why, the last five kept, and nothing touched by a pass whose verdict did not change.
/// Each pass here is what the operator does: evaluate the deployment as stored, then record against the stored status.
/// </summary>
public sealed class VerdictHistoryTests
{
    private const string Unpinned = "registry.example.com/ml/scorer:latest";

    private readonly FakeTimeProvider clock = new(Now);
    private readonly AIModelDeployment deployment = Deployment();

    /// <summary>One pass on the stored deployment, with the serving container's image; stores the status it writes.</summary>
    private AIModelDeploymentStatus Pass(string? image = null, BaselineProfile? profile = null)
    {
        var status = BaselineEngine.Evaluate(Snapshot(deployment, Workload(Container(image: image))), profile ?? Profile(), clock);
        var written = VerdictHistory.Record(deployment.Status, status, clock.GetUtcNow());

        // The API server stores JSON: the next pass reads what was written, not the objects built here.
        deployment.Status = KubernetesJson.Deserialize<AIModelDeploymentStatus>(KubernetesJson.Serialize(written));
        return deployment.Status;
    }

    private static string Ready(AIModelDeploymentStatus status) => status.Conditions!.Single(c => c.Type == ConditionTypes.Ready).Status;

    [Fact]
    public void The_first_verdict_is_the_first_entry_with_its_time_and_verdicts()
    {
        var status = Pass();

        var entry = Assert.Single(status.History!);
        Assert.Equal(new DateTime(2026, 11, 24, 12, 0, 0, DateTimeKind.Utc), entry.At);
        Assert.Equal((status.Summary!.Verdict!.Value, Ready(status)), (entry.Verdict, entry.Ready));
        Assert.Equal("True", entry.Ready);

        // Nothing was not met or unchecked, so the first verdict names no provision.
        Assert.Null(entry.Provisions);
        Assert.Null(entry.More);
    }

    [Fact]
    public void A_first_verdict_that_fails_names_the_provisions_not_met_and_the_control_that_failed_them()
    {
        var status = Pass(image: Unpinned);

        var entry = Assert.Single(status.History!);
        Assert.Equal((ConformityVerdict.Fail, "False"), (entry.Verdict, entry.Ready));
        // An image pulled by tag fails two controls: ImageProvenance, and KnownGoodState (no earlier state runs the same image).
        Assert.Equal(
            [($"ImageProvenance: {ImageProvenanceControl.DigestMissingReason}", ProvisionResult.NotMet), ($"KnownGoodState: {KnownGoodStateControl.ImageNotPinnedReason}", ProvisionResult.NotMet)],
            entry.Provisions!.Select(g => (g.Reason, g.Result)));
        Assert.All(entry.Provisions!, g => Assert.Null(g.Was));
        Assert.Equal(status.EachProvision().Where(p => p.Result == ProvisionResult.NotMet).Select(p => p.Id).Order(), entry.Provisions!.SelectMany(g => g.Ids).Order());
    }

    [Fact]
    public void A_pass_whose_verdict_did_not_change_writes_the_identical_status_history_included()
    {
        Pass();
        var stored = KubernetesJson.Serialize(deployment.Status);

        // An hour later nothing changed: the whole status serialises to the same bytes, so nothing is written.
        clock.Advance(TimeSpan.FromHours(1));
        var again = Pass();

        Assert.Equal(stored, KubernetesJson.Serialize(again));
    }

    [Fact]
    public void A_change_of_provisions_that_leaves_both_verdicts_as_they_were_is_not_recorded()
    {
        Pass(image: Unpinned);
        var history = KubernetesJson.Serialize(deployment.Status!.History);

        // Still failing, now for a second reason too: Ready stays False and the verdict Fail.
        clock.Advance(TimeSpan.FromMinutes(5));
        var status = Pass(image: Unpinned, profile: Profile(p => p.Images.TrustedRegistries = ["registry.other.example/"]));

        Assert.Equal((ConformityVerdict.Fail, "False"), (status.Summary!.Verdict, Ready(status)));
        Assert.Equal(history, KubernetesJson.Serialize(status.History));
    }

    [Fact]
    public void Failing_and_recovering_each_add_an_entry_naming_only_the_provisions_that_changed_and_why()
    {
        var compliant = Pass();
        clock.Advance(TimeSpan.FromMinutes(10));
        var failing = Pass(image: Unpinned);
        clock.Advance(TimeSpan.FromMinutes(10));
        Pass();

        var history = deployment.Status!.History!;
        Assert.Equal([compliant.Summary!.Verdict!.Value, ConformityVerdict.Fail, compliant.Summary.Verdict.Value], history.Select(h => h.Verdict));
        Assert.Equal(["True", "False", "True"], history.Select(h => h.Ready));
        Assert.Equal([Now.UtcDateTime, Now.UtcDateTime.AddMinutes(10), Now.UtcDateTime.AddMinutes(20)], history.Select(h => h.At));

        // Exactly the provisions whose result moved, no others.
        var moved = failing.EachProvision().Where(p => compliant.Provision(p.Id)!.Result != p.Result).Select(p => p.Id).ToList();
        Assert.NotEmpty(moved);
        var down = history[1].Provisions!;
        Assert.Equal(
            [(ProvisionResult.Met, ProvisionResult.NotMet, $"ImageProvenance: {ImageProvenanceControl.DigestMissingReason}"), (ProvisionResult.Met, ProvisionResult.NotMet, $"KnownGoodState: {KnownGoodStateControl.ImageNotPinnedReason}")],
            down.Select(g => (g.Was, g.Result, g.Reason)));
        Assert.Equal(moved.Order(), down.SelectMany(g => g.Ids).Order());

        // Back to met, because of the controls whose result changed (not ModelIntegrity, met all along, on 5.2.1-2).
        var up = history[2].Provisions!;
        Assert.Equal(
            [(ProvisionResult.NotMet, ProvisionResult.Met, $"ImageProvenance: {ImageProvenanceControl.AcceptedReason}"), (ProvisionResult.NotMet, ProvisionResult.Met, $"KnownGoodState: {KnownGoodStateControl.RestorableReason}")],
            up.Select(g => (g.Was, g.Result, g.Reason)));
        Assert.Equal(moved.Order(), up.SelectMany(g => g.Ids).Order());
    }

    [Fact]
    public void The_history_keeps_the_last_five_changes_oldest_first()
    {
        // Verdicts alone (no provision listed), so only the count bounds the history.
        AIModelDeploymentStatus? stored = null;
        for (var pass = 0; pass < 8; pass++)
        {
            var failing = pass % 2 == 1;
            var next = new AIModelDeploymentStatus
            {
                Summary = new ComplianceSummary { Verdict = failing ? ConformityVerdict.Fail : ConformityVerdict.Pass },
                Conditions = [new k8s.Models.V1Condition { Type = ConditionTypes.Ready, Status = failing ? "False" : "True" }],
            };
            stored = VerdictHistory.Record(stored, next, Now.AddMinutes(pass));
        }

        var history = stored!.History!;
        Assert.Equal(VerdictChange.MaxEntries, history.Count);

        // Passes 3 to 7 remain; the first three (minutes 0 to 2) were dropped.
        Assert.Equal(Enumerable.Range(3, 5).Select(m => Now.UtcDateTime.AddMinutes(m)), history.Select(h => h.At));
        Assert.Equal(["False", "True", "False", "True", "False"], history.Select(h => h.Ready));
    }

    [Fact]
    public void The_history_keeps_only_the_newest_changes_that_fit_in_its_byte_budget()
    {
        for (var pass = 0; pass < 8; pass++)
        {
            Pass(image: pass % 2 == 0 ? null : Unpinned);
            clock.Advance(TimeSpan.FromMinutes(1));
        }

        var history = deployment.Status!.History!;
        Assert.True(KubernetesJson.Serialize(history).Length <= VerdictChange.MaxBytes, KubernetesJson.Serialize(history));

        // At least two of these changes fit (each names four provisions in two groups); they are the newest, in order.
        Assert.InRange(history.Count, 2, VerdictChange.MaxEntries);
        Assert.Equal(Enumerable.Range(8 - history.Count, history.Count).Select(m => Now.UtcDateTime.AddMinutes(m)), history.Select(h => h.At));
        Assert.Equal("False", history[^1].Ready);
    }

    [Fact]
    public void A_change_of_many_provisions_names_eight_and_counts_the_rest()
    {
        var compliant = Pass();

        // The profile is deleted: every provision a control decides can no longer be checked.
        clock.Advance(TimeSpan.FromMinutes(1));
        var stalled = BaselineEngine.Evaluate(Snapshot(deployment, Workload()), profile: null, clock);
        var status = VerdictHistory.Record(deployment.Status, stalled, clock.GetUtcNow());

        var entry = status.History![^1];
        Assert.Equal("False", entry.Ready);
        var changed = stalled.EachProvision().Count(p => compliant.Provision(p.Id)!.Result != p.Result);
        Assert.True(changed > VerdictChange.MaxIds, $"{changed} provisions changed");
        var named = entry.Provisions!.SelectMany(g => g.Ids).ToList();
        Assert.Equal(VerdictChange.MaxIds, named.Count);
        Assert.Equal(changed - VerdictChange.MaxIds, entry.More);
        Assert.All(entry.Provisions!, g => Assert.Equal(ProvisionResult.Unknown, g.Result));
        Assert.All(entry.Provisions!, g => Assert.All(g.Reason!.Split("; "), r => Assert.EndsWith($": {BaselineEngine.ProfileNotFoundReason}", r, StringComparison.Ordinal)));
    }

    [Fact]
    public void Evidence_that_expires_is_recorded_with_the_evidence_and_the_day_it_expired()
    {
        var status = Pass();
        var met = status.EachProvision().Where(p => p is { Result: ProvisionResult.Met, Evidence: "IncidentPlan" }).ToList();
        Assert.NotEmpty(met);
        var lastDay = met[0].ExpiresAt!.Value;

        // The day after the incident plan's last day, the provisions only it covered await evidence again.
        clock.SetUtcNow(new DateTimeOffset(lastDay.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero));
        var expired = Pass();

        Assert.NotEqual(status.Summary!.Verdict, expired.Summary!.Verdict);
        var entry = expired.History![^1];
        var stale = entry.Provisions!.Single(g => g.Reason == $"IncidentPlan expired {lastDay:yyyy-MM-dd}");
        Assert.Equal((ProvisionResult.Met, ProvisionResult.Attestation), (stale.Was, stale.Result));
    }
}
