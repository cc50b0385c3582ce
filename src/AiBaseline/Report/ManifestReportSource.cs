using AiBaseline.Api.V1Alpha1;
using AiBaseline.Audit;

namespace AiBaseline.Report;

/// <summary>
/// The deployments of a report made offline: the audit's loading, profile rules and evaluation, unchanged, so a
/// report from manifests says what <c>aibaseline audit</c> says about them.
/// </summary>
public static class ManifestReportSource
{
    /// <summary>
    /// The judged deployments, the waivers and the retirement records of the input, or null when the input has
    /// problems (added to <paramref name="problems"/>). Records alone make a report: the deployments they record are gone.
    /// </summary>
    public static (List<JudgedDeployment> Deployments, List<BaselineException> Waivers, List<RetirementRecordReport> Records)? Load(ReportOptions options, TextReader stdin, TimeProvider clock, List<InputProblem> problems)
    {
        var set = AuditRun.Load(options.Paths, options.Namespace ?? "default", stdin, problems);
        var fallback = options.ProfileFile is null ? null : AuditRun.LoadProfile(options.ProfileFile, options.Namespace ?? "default", stdin, problems);
        if (problems.Count == 0 && set.Deployments.Count == 0 && set.RetirementRecords.Count == 0)
        {
            problems.Add(new InputProblem(string.Join(" ", options.Paths), 0, null, null,
                $"no {ApiGroup.AIModelDeploymentKind} or {ApiGroup.RetirementRecordKind} found: add one (apiVersion {ApiGroup.GroupVersion}) beside the workload it describes, or point the report at the folder that holds it"));
        }

        if (problems.Count > 0)
        {
            return null;
        }

        var verdicts = AuditRun.Evaluate(set, fallback, clock);
        var judged = new List<JudgedDeployment>(verdicts.Count);
        foreach (var verdict in verdicts)
        {
            var deployment = verdict.Deployment.Object;
            if (options.Selector is { } selector && !selector.Matches(deployment.Metadata.Labels))
            {
                continue;
            }

            var (name, profile, origin) = AuditRun.ProfileOf(set, fallback, deployment);
            var identity = new ProfileIdentity(name, origin, profile is null ? null : ProfileDigest.Of(profile));
            judged.Add(new JudgedDeployment(deployment, verdict.Status, identity, $"{verdict.Deployment.File}:{verdict.Deployment.Line}"));
        }

        return (judged, [.. set.Waivers.Select(w => w.Object)], RetirementRecordReports.From(set.RetirementRecords.Select(r => r.Object), [], options.Selector));
    }
}
