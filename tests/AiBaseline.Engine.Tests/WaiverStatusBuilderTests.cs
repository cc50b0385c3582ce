using AiBaseline.Api.V1Alpha1;
using AiBaseline.Engine.Waivers;
using k8s.Models;
using static AiBaseline.Engine.Tests.Builders;

namespace AiBaseline.Engine.Tests;

public sealed class WaiverStatusBuilderTests
{
    public static TheoryData<int, DateTime, string, string, string> Rows => new()
    {
        { 1, Now.UtcDateTime.AddDays(30), "True", WaiverReasons.Active, "a valid waiver selecting a deployment is active" },
        { 0, Now.UtcDateTime.AddDays(30), "False", WaiverReasons.NoDeploymentSelected, "a waiver that selects nothing is not active" },
        { 1, Now.UtcDateTime.AddDays(-1), "False", WaiverReasons.WaiverExpired, "an expired waiver is not active" },
        { 1, Now.UtcDateTime.AddDays(200), "False", WaiverReasons.WaiverTooLong, "a waiver beyond the strict profile's 30 days is not active" },
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public void The_waiver_status_lists_what_it_selects_and_whether_it_is_active(int selecting, DateTime expiresAt, string status, string reason, string why)
    {
        var waiver = new BaselineException
        {
            Metadata = new V1ObjectMeta { Name = "w", NamespaceProperty = Namespace, Generation = 2, CreationTimestamp = Now.UtcDateTime },
            Spec = new BaselineExceptionSpec { Controls = ["Evidence"], Justification = "j", ApprovedBy = "a", Ticket = "t", ExpiresAt = expiresAt },
        };
        var lenient = Profile(p => p.Waivers.MaxDurationDays = 365);
        var strict = Profile(p => p.Waivers.MaxDurationDays = 30);
        var first = Deployment();
        var second = Deployment();
        second.Metadata.Name = "ranker";
        second.Spec.Profile = "strict";

        var result = WaiverStatusBuilder.Build(waiver, selecting == 0 ? [] : [second, first], name => name == "strict" ? strict : lenient, Now);

        var active = Assert.Single(result.Conditions!);
        Assert.True((status, reason) == (active.Status, active.Reason), $"{why}: {active.Reason}: {active.Message}");
        Assert.Equal(selecting == 0 ? [] : ["ranker", "scorer"], result.Deployments);
        Assert.Equal(2, result.ObservedGeneration);
        if (reason == WaiverReasons.WaiverTooLong)
        {
            Assert.StartsWith("under BaselineProfile strict: ", active.Message, StringComparison.Ordinal);
        }
    }
}
