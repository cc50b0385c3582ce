using AiBaseline.Api.V1Alpha1;
using AiBaseline.Engine.Controls;
using AiBaseline.Engine.Waivers;
using k8s.Models;
using Microsoft.Extensions.Time.Testing;
using static AiBaseline.Engine.Tests.Builders;

namespace AiBaseline.Engine.Tests;

public sealed class WaiverTests
{
    private const string ByTag = "registry.example.com/ml/scorer:1.0";
    private static readonly DateTime Created = Now.UtcDateTime.AddDays(-10);
    private static readonly DateTime InAMonth = Now.UtcDateTime.AddDays(30);
    private readonly FakeTimeProvider clock = new(Now);

    public static TheoryData<string, string, Action<BaselineException>, Action<BaselineProfileSpec>?, ControlResult, string> ControlRows => new()
    {
        { "by tag", "ImageProvenance", _ => { }, null, ControlResult.Waived, "a NotMet control the waiver names is waived" },
        { "unsigned", "ImageProvenance", _ => { }, null, ControlResult.Waived, "an Unknown control the waiver names is waived" },
        { "pinned", "ImageProvenance", _ => { }, null, ControlResult.Met, "a Met control stays Met: a waiver never hides a result that is fine" },
        { "by tag", "NetworkIsolation", _ => { }, null, ControlResult.NotMet, "a waiver of another control leaves this one as judged" },
        { "by tag", "ImageProvenance", w => w.Spec.ExpiresAt = Now.UtcDateTime, null, ControlResult.NotMet, "at expiresAt the waiver stops counting" },
        { "by tag", "ImageProvenance", w => w.Spec.ExpiresAt = Created.AddDays(91), null, ControlResult.NotMet, "91 days after creation is beyond the default 90" },
        { "by tag", "ImageProvenance", w => w.Spec.ExpiresAt = Created.AddDays(91), p => p.Waivers.MaxDurationDays = 120, ControlResult.Waived, "the profile may allow longer waivers" },
        { "by tag", "ImageProvenance", _ => { }, p => p.Waivers.NeverWaive = ["ImageProvenance"], ControlResult.NotMet, "a control the profile never waives" },
        { "by tag", "ImageProvenance", w => w.Spec.Provisions = ["5.5.1-1"], p => p.Waivers.NeverWaive = ["5.5.1-1"], ControlResult.NotMet, "naming one never-waivable item makes the whole waiver void" },
        { "by tag", "ImageProvenance", w => w.Spec.Controls = ["ImageProvenance", "Provenance"], null, ControlResult.NotMet, "an unknown name makes the waiver void" },
        { "by tag", "ImageProvenance", w => w.Spec.DeploymentNames = ["other"], null, ControlResult.NotMet, "a waiver for another deployment is not in the snapshot" },
    };

    [Theory]
    [MemberData(nameof(ControlRows))]
    public void A_waiver_turns_only_a_NotMet_or_Unknown_control_it_names_into_Waived(
        string image, string control, Action<BaselineException> change, Action<BaselineProfileSpec>? profileChange, ControlResult expected, string reason)
    {
        var waiver = Waiver(controls: [control]);
        change(waiver);
        var status = Evaluate(image, waiver, profileChange);

        var result = status.Controls!.Single(c => c.Name == "ImageProvenance");
        Assert.True(expected == result.Result, $"{reason}: expected {expected}, got {result.Result}");
        Assert.Equal(expected == ControlResult.Waived ? "legacy-registry" : null, result.Waiver);
    }

    public static TheoryData<Action<BaselineException>, Action<BaselineProfileSpec>?, string, string, string> ConditionRows => new()
    {
        { _ => { }, null, "True", WaiverReasons.Current, "BaselineException legacy-registry waives ImageProvenance (approved by Jane Roe, ticket RISK-42, expires at 2026-12-24T12:00:00Z)" },
        { w => w.Spec.ExpiresAt = Now.UtcDateTime.AddHours(-1), null, "False", WaiverReasons.WaiverExpired, "BaselineException legacy-registry expired at 2026-11-24T11:00:00Z: ImageProvenance count again; fix the finding or renew the waiver with a new approval" },
        { w => w.Spec.ExpiresAt = Created.AddDays(100), null, "False", WaiverReasons.WaiverTooLong, "BaselineException legacy-registry expires at 2027-02-22T12:00:00Z, more than the 90 days the profile's waivers.maxDurationDays allows after its creation at 2026-11-14T12:00:00Z: it does not apply; set an earlier spec.expiresAt" },
        { w => w.Metadata.CreationTimestamp = null, p => p.Waivers.MaxDurationDays = 7, "False", WaiverReasons.WaiverTooLong, "BaselineException legacy-registry expires at 2026-12-24T12:00:00Z, more than the 7 days the profile's waivers.maxDurationDays allows from now: it does not apply; set an earlier spec.expiresAt" },
        { _ => { }, p => p.Waivers.NeverWaive = ["ImageProvenance"], "False", WaiverReasons.WaiverNotAllowed, "BaselineException legacy-registry names ImageProvenance, which the profile's waivers.neverWaive lists: it does not apply; fix the finding instead" },
        { w => w.Spec.Controls = ["Provenance"], null, "False", WaiverReasons.WaiverUnknownNames, "BaselineException legacy-registry names Provenance, which is no control or provision id of EN 304 223: it does not apply; fix spec.controls and spec.provisions" },
        { w => w.Spec.Controls = null, null, "False", WaiverReasons.WaiverEmpty, "BaselineException legacy-registry names no control and no provision: it waives nothing; set spec.controls or spec.provisions" },
    };

    [Theory]
    [MemberData(nameof(ConditionRows))]
    public void WaiversCurrent_says_whether_each_waiver_applies_and_why_not(Action<BaselineException> change, Action<BaselineProfileSpec>? profileChange, string status, string reason, string message)
    {
        var waiver = Waiver(controls: ["ImageProvenance"]);
        change(waiver);

        var condition = Condition(Evaluate(ByTag, waiver, profileChange), ConditionTypes.WaiversCurrent);

        Assert.Equal((status, reason, message), (condition.Status, condition.Reason, condition.Message));
    }

    [Fact]
    public void A_waived_control_names_the_waiver_its_approver_ticket_and_expiry_and_keeps_the_finding()
    {
        var status = Evaluate(ByTag, Waiver(controls: ["ImageProvenance"]));

        var condition = Condition(status, ConditionTypes.ImageProvenanceVerified);
        Assert.Equal(("True", ReadyReasons.Waived), (condition.Status, condition.Reason));
        Assert.StartsWith("BaselineException legacy-registry waives ImageProvenance (approved by Jane Roe, ticket RISK-42, expires at 2026-12-24T12:00:00Z); found: ", condition.Message, StringComparison.Ordinal);
        Assert.Contains(ByTag, condition.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Provisions_only_waived_controls_decide_are_Waived_and_counted_apart_never_as_met()
    {
        var unwaived = Evaluate(ByTag, waiver: null);

        // An image by tag fails ImageProvenance and KnownGoodState (an earlier state may not be the same image).
        var status = Evaluate(ByTag, Waiver(controls: ["ImageProvenance", "KnownGoodState"]));

        // 5.2.3-1 and 5.2.3-2 are ImageProvenance's alone, 5.2.1-3.1 KnownGoodState's; 5.2.1-2 is ModelIntegrity's too, which is met.
        var waived = Assert.Single(status.Provisions!, g => g.Result == ProvisionResult.Waived);
        Assert.Equal(("legacy-registry", "5.2.1-3.1, 5.2.3-1, 5.2.3-2"), (waived.Waiver, string.Join(", ", waived.Ids)));
        Assert.Equal(ProvisionResult.Met, status.Provision("5.2.1-2")!.Result);
        Assert.Equal(3, status.Summary!.Waived);
        Assert.Equal(unwaived.Summary!.Met + 1, status.Summary.Met);
        Assert.Equal(0, status.Summary.NotMet);
        var ready = Condition(status, ConditionTypes.Ready);
        Assert.Equal(("True", $"{status.Summary.Met} of {status.Summary.Met} checked provisions met; {status.Summary.Attestation} await attestation; 3 waived"), (ready.Status, ready.Message));
    }

    [Fact]
    public void A_waived_provision_leaves_its_control_NotMet_and_the_other_provisions_as_judged()
    {
        var status = Evaluate(ByTag, Waiver(provisions: ["5.2.3-1"]));

        Assert.Equal(ControlResult.NotMet, status.Controls!.Single(c => c.Name == "ImageProvenance").Result);
        Assert.Equal(new ProvisionStatus("5.2.3-1", ProvisionResult.Waived, null) { Waiver = "legacy-registry" }, status.Provision("5.2.3-1"));
        Assert.Equal(ProvisionResult.NotMet, status.Provision("5.2.3-2")!.Result);
        Assert.Equal("False", Condition(status, ConditionTypes.Ready).Status);
    }

    [Fact]
    public void A_waiver_of_a_met_or_attestation_provision_changes_nothing()
    {
        var plain = Evaluate("pinned", waiver: null);
        var status = Evaluate("pinned", Waiver(provisions: ["5.2.3-1", "5.1.1-1"]));

        Assert.Equal(plain.Provisions!.Select(g => (g.Result, string.Join(",", g.Ids))), status.Provisions!.Select(g => (g.Result, string.Join(",", g.Ids))));
        Assert.Equal(0, status.Summary!.Waived);
    }

    [Fact]
    public void Without_a_waiver_the_status_has_no_WaiversCurrent_condition()
    {
        Assert.DoesNotContain(Evaluate(ByTag, waiver: null).Conditions!, c => c.Type == ConditionTypes.WaiversCurrent);
    }

    [Theory]
    [InlineData("ml", null, new[] { "scorer" }, true, "named in deploymentNames")]
    [InlineData("ml", "team=search", null, true, "matched by the selector")]
    [InlineData("ml", "team=ads", null, false, "the selector matches other labels")]
    [InlineData("ml", null, new[] { "other" }, false, "another deployment's name")]
    [InlineData("other", null, new[] { "scorer" }, false, "a waiver reaches only its own namespace")]
    [InlineData("ml", null, null, false, "neither selector nor names selects nothing")]
    public void A_waiver_selects_deployments_of_its_namespace_by_name_or_label(string ns, string? label, string[]? names, bool selects, string reason)
    {
        var waiver = Waiver(controls: ["ImageProvenance"]);
        waiver.Metadata.NamespaceProperty = ns;
        waiver.Spec.DeploymentNames = names?.ToList();
        waiver.Spec.Selector = label is null ? null : new V1LabelSelector { MatchLabels = new Dictionary<string, string> { [label.Split('=')[0]] = label.Split('=')[1] } };
        var deployment = Deployment();
        deployment.Metadata.Labels = new Dictionary<string, string> { ["team"] = "search" };

        Assert.True(selects == WaiverRules.Selects(waiver, deployment), reason);
    }

    [Fact]
    public void The_next_expiry_is_the_earliest_of_the_waivers_that_apply()
    {
        var soon = Waiver(controls: ["ImageProvenance"]);
        soon.Spec.ExpiresAt = Now.UtcDateTime.AddDays(2);
        var later = Waiver(controls: ["NetworkIsolation"]);
        var expired = Waiver(controls: ["Evidence"]);
        expired.Spec.ExpiresAt = Now.UtcDateTime.AddDays(-1);

        Assert.Equal(Now.AddDays(2), WaiverRules.NextExpiry([later, soon, expired], new BaselineProfileSpec(), Now));
        Assert.Null(WaiverRules.NextExpiry([expired], new BaselineProfileSpec(), Now));
    }

    [Fact]
    public void The_names_a_waiver_may_use_are_the_catalog_and_the_control_set()
    {
        Assert.Equal(Catalog.ProvisionCatalog.Provisions.Select(p => p.Id), BaselineNames.ProvisionIds);
        Assert.Equal(ControlSet.All.Select(c => c.Name), BaselineNames.Controls);
    }

    private AIModelDeploymentStatus Evaluate(string image, BaselineException? waiver, Action<BaselineProfileSpec>? profileChange = null)
    {
        var reference = image switch
        {
            "by tag" => ByTag,
            "pinned" or "unsigned" => null,
            _ => image,
        };
        var snapshot = Snapshot(workload: Workload(Container(image: reference)));
        if (waiver is not null && WaiverRules.Selects(waiver, snapshot.Deployment))
        {
            snapshot = snapshot with { Waivers = [waiver] };
        }

        var profile = Profile(p =>
        {
            if (image == "unsigned")
            {
                p.Images.SignatureKeys = [new SignatureKey { Name = "release", PublicKey = "-----BEGIN PUBLIC KEY-----" }];
            }

            profileChange?.Invoke(p);
        });
        return BaselineEngine.Evaluate(snapshot, profile, clock);
    }

    private static BaselineException Waiver(List<string>? controls = null, List<string>? provisions = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = "legacy-registry", NamespaceProperty = Namespace, CreationTimestamp = Created },
        Spec = new BaselineExceptionSpec
        {
            DeploymentNames = ["scorer"],
            Controls = controls,
            Provisions = provisions,
            Justification = "the vendor image is only published by tag until Q1",
            ApprovedBy = "Jane Roe",
            Ticket = "RISK-42",
            ExpiresAt = InAMonth,
        },
    };

    private static V1Condition Condition(AIModelDeploymentStatus status, string type) => status.Conditions!.Single(c => c.Type == type);
}
