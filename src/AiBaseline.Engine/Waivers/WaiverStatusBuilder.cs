using AiBaseline.Api.V1Alpha1;
using AiBaseline.Engine.Status;

namespace AiBaseline.Engine.Waivers;

/// <summary>
/// A BaselineException's own status: the deployments it selects and its Active condition. It is judged under the
/// profile of each deployment it selects, since each profile sets its own limits; the first profile under which it
/// does not apply decides the condition. A waiver that selects nothing is not active either.
/// </summary>
public static class WaiverStatusBuilder
{
    /// <param name="waiver">The waiver as stored, with its previous status (condition times are kept unless the status flips).</param>
    /// <param name="selected">The deployments it selects.</param>
    /// <param name="profileOf">The profile of a name; null when it does not exist (the default settings are assumed).</param>
    /// <param name="now">The time expiry is judged at.</param>
    public static BaselineExceptionStatus Build(BaselineException waiver, IEnumerable<AIModelDeployment> selected, Func<string, BaselineProfile?> profileOf, DateTimeOffset now)
    {
        var deployments = selected.ToList();
        var verdict = deployments.Count == 0
            ? new WaiverVerdict(false, WaiverReasons.NoDeploymentSelected,
                $"BaselineException {waiver.Metadata.Name} selects no AIModelDeployment of namespace {waiver.Metadata.NamespaceProperty}: set spec.deploymentNames or a spec.selector that matches one")
            : Judge(waiver, deployments, profileOf, now);
        var condition = ConditionBuilder.Stamp(
            waiver.Status?.Conditions ?? [], WaiverConditionTypes.Active, verdict.Applies ? "True" : "False", verdict.Reason, verdict.Message, waiver.Metadata.Generation, now);
        return new BaselineExceptionStatus
        {
            ObservedGeneration = waiver.Metadata.Generation,
            Deployments = [.. deployments.Select(d => d.Metadata.Name).Order(StringComparer.Ordinal)],
            Conditions = [condition],
        };
    }

    private static WaiverVerdict Judge(BaselineException waiver, List<AIModelDeployment> deployments, Func<string, BaselineProfile?> profileOf, DateTimeOffset now)
    {
        WaiverVerdict? applies = null;
        foreach (var profileName in deployments.Select(BaselineEngine.ProfileName).Distinct().Order(StringComparer.Ordinal))
        {
            var verdict = WaiverRules.Judge(waiver, profileOf(profileName)?.Spec ?? new BaselineProfileSpec(), now);
            if (!verdict.Applies)
            {
                return verdict with { Message = $"under BaselineProfile {profileName}: {verdict.Message}" };
            }

            applies ??= verdict;
        }

        return applies!;
    }
}
