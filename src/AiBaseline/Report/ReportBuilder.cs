using System.Reflection;
using AiBaseline.Api.V1Alpha1;
using AiBaseline.Engine.Catalog;
using AiBaseline.Engine.Status;

namespace AiBaseline.Report;

/// <summary>A deployment with the status the engine computed for it (manifests) or the operator wrote (cluster).</summary>
/// <param name="Deployment">The AIModelDeployment.</param>
/// <param name="Status">Its status.</param>
/// <param name="Profile">The profile it was judged against.</param>
/// <param name="Origin">Where it came from: "file:line" or "cluster".</param>
public sealed record JudgedDeployment(AIModelDeployment Deployment, AIModelDeploymentStatus Status, ProfileIdentity Profile, string Origin);

/// <summary>
/// Turns judged deployments into an <see cref="EvidenceReport"/>: every provision of the catalog, in the standard's
/// order, with the controls that serve it, the evidence or waiver that decided it, and what to do when it is open.
/// It reads statuses only; it never judges anything itself.
/// </summary>
public static class ReportBuilder
{
    /// <summary>The standard the catalog paraphrases.</summary>
    public static readonly CatalogEdition Catalog = new(
        "ETSI EN 304 223",
        "Securing Artificial Intelligence (SAI); Baseline Cyber Security Requirements for AI Models and Systems",
        "V2.1.1",
        ProvisionCatalog.Provisions.Length);

    /// <summary>The tool and the version it was built as.</summary>
    public static ToolIdentity Tool { get; } = new("aibaseline",
        typeof(ReportBuilder).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0");

    private static readonly Dictionary<int, Principle> Principles = ProvisionCatalog.Principles.ToDictionary(p => p.Number);

    /// <summary>Builds the report.</summary>
    /// <param name="evaluatedAt">When the verdicts were computed or read.</param>
    /// <param name="source">Where the deployments came from.</param>
    /// <param name="deployments">The deployments, in the order to show them.</param>
    /// <param name="waivers">The BaselineExceptions that can be named by a waived provision.</param>
    /// <param name="records">Retirement records to include.</param>
    public static EvidenceReport Build(DateTimeOffset evaluatedAt, ReportSource source, IReadOnlyList<JudgedDeployment> deployments,
        IReadOnlyList<BaselineException> waivers, IReadOnlyList<RetirementRecordReport> records)
    {
        var waiverIndex = waivers.GroupBy(w => (w.Metadata.NamespaceProperty ?? "", w.Metadata.Name ?? ""))
            .ToDictionary(g => g.Key, g => g.First());
        var reports = deployments.Select(d => Deployment(d, waiverIndex)).ToList();
        var profiles = deployments.Select(d => d.Profile).DistinctBy(p => (p.Name, p.Origin, p.Sha256))
            .OrderBy(p => p.Name, StringComparer.Ordinal).ThenBy(p => p.Origin, StringComparer.Ordinal).ToList();
        var header = new ReportHeader(evaluatedAt, Tool, Catalog, source, profiles);
        return new EvidenceReport(ApiGroup.GroupVersion, EvidenceReport.DocumentKind, header, Summarise(reports), reports, records);
    }

    private static DeploymentReport Deployment(JudgedDeployment judged, Dictionary<(string, string), BaselineException> waivers)
    {
        var deployment = judged.Deployment;
        var status = judged.Status;
        var spec = deployment.Spec;
        var ns = deployment.Metadata.NamespaceProperty ?? "default";
        var controls = ControlMessages.All(status).ToList();
        var results = status.EachProvision().GroupBy(p => p.Id, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var provisions = new List<ProvisionReport>(ProvisionCatalog.Provisions.Length);
        foreach (var provision in ProvisionCatalog.Provisions)
        {
            if (results.TryGetValue(provision.Id, out var result))
            {
                provisions.Add(Provision(provision, result, controls, spec?.Evidence ?? [], ns, waivers));
            }
        }

        var subject = new ReportSubject(
            spec?.WorkloadRef is { } w ? new WorkloadIdentity(w.Kind.ToString(), w.Name) : null,
            [.. (status.Images ?? []).Select(i => new ImageSubject(i.Container, i.Image, i.Digest, i.SignedBy ?? [], i.Attestations ?? []))],
            [.. (spec?.Models ?? []).Select(m => new ModelSubject(m.Name, m.Source, m.Digest))]);
        var owners = (spec?.Owners ?? []).Select(o => new OwnerReport(o.Name, o.Role, o.Contact)).ToList();
        return new DeploymentReport(ns, deployment.Metadata.Name ?? "", judged.Origin, status.Stage?.ToString(), judged.Profile, subject, owners,
            Verdicts(status), VerdictChangeReport.Of(status.History ?? deployment.Status?.History), Count(provisions), provisions);
    }

    private static ProvisionReport Provision(Provision provision, ProvisionStatus result, List<ControlReport> controls,
        List<EvidenceReference> evidence, string ns, Dictionary<(string, string), BaselineException> waivers)
    {
        var serving = controls.Where(c => c.Provisions.Contains(provision.Id, StringComparer.Ordinal))
            .Select(c => new ControlDecision(c.Name, c.Result.ToString(), c.Reason, c.Message)).ToList();
        var decision = new Decision(serving, Evidence(result, evidence), Waiver(result, ns, waivers));
        return new ProvisionReport(
            provision.Id,
            provision.Principle,
            Principles.TryGetValue(provision.Principle, out var principle) ? principle.Title : "",
            provision.Phase,
            provision.Shall ? "shall" : "should",
            provision.Stakeholders,
            provision.Summary,
            result.Result.ToString(),
            decision,
            result.Result == ProvisionResult.NotApplicable ? NotApplicableReason(result, serving) : null,
            ProvisionFixes.For(provision, result, serving));
    }

    // The status keeps a reason for provisions outside the stage's phases or out of the profile's scope; a provision
    // whose every control does not apply has its controls' messages as the reason.
    private static string NotApplicableReason(ProvisionStatus result, List<ControlDecision> serving) =>
        result.Reason
        ?? (serving.Where(c => c.Result == nameof(ControlResult.NotApplicable)).Select(c => $"{c.Name}: {c.Message}").ToList() is { Count: > 0 } reasons
            ? string.Join("; ", reasons)
            : "no control applies to it in this stage");

    private static EvidenceDecision? Evidence(ProvisionStatus result, List<EvidenceReference> evidence)
    {
        if (result.Evidence is not { } type)
        {
            return null;
        }

        // The newest reference of the type is the one the engine judged fresh (or found stale).
        var reference = evidence.Where(e => e.Type.ToString() == type).OrderByDescending(e => e.Date).FirstOrDefault();
        return new EvidenceDecision(type, reference?.Uri, reference?.Date, reference?.Digest, reference?.ApprovedBy, result.ExpiresAt, result.ExpiredAt);
    }

    private static WaiverDecision? Waiver(ProvisionStatus result, string ns, Dictionary<(string, string), BaselineException> waivers)
    {
        if (result.Waiver is not { } name)
        {
            return null;
        }

        return waivers.TryGetValue((ns, name), out var waiver)
            ? new WaiverDecision(name, waiver.Spec.ApprovedBy, waiver.Spec.Ticket, new DateTimeOffset(DateTime.SpecifyKind(waiver.Spec.ExpiresAt, DateTimeKind.Utc)), waiver.Spec.Justification)
            : new WaiverDecision(name, null, null, null, null);
    }

    private static DeploymentVerdicts Verdicts(AIModelDeploymentStatus status)
    {
        var ready = status.Conditions?.FirstOrDefault(c => c.Type == ConditionTypes.Ready);
        var stalled = status.Conditions?.FirstOrDefault(c => c.Type == ConditionTypes.Stalled && c.Status == "True");
        var compliance = stalled is not null ? "Stalled"
            : ready?.Status switch { "True" => "Compliant", "Unknown" or null => "Unknown", _ => "NotCompliant" };
        var standard = status.Summary?.Verdict ?? ConformityVerdict.Inconclusive;
        return new DeploymentVerdicts(ready?.Status ?? "Unknown", ready?.Reason, ready?.Message, standard.ToString(), compliance, stalled?.Reason);
    }

    private static ProvisionCounts Count(IEnumerable<ProvisionReport> provisions)
    {
        var byResult = provisions.GroupBy(p => p.Result).ToDictionary(g => g.Key, g => g.Count());
        int N(ProvisionResult r) => byResult.GetValueOrDefault(r.ToString());
        return new ProvisionCounts(N(ProvisionResult.Met), N(ProvisionResult.NotMet), N(ProvisionResult.Unknown),
            N(ProvisionResult.Attestation), N(ProvisionResult.NotApplicable), N(ProvisionResult.Waived));
    }

    private static ReportSummary Summarise(List<DeploymentReport> deployments)
    {
        int Standard(string v) => deployments.Count(d => d.Verdicts.Standard == v);
        int Compliance(string v) => deployments.Count(d => d.Verdicts.Compliance == v);
        var totals = new ProvisionCounts(
            deployments.Sum(d => d.Counts.Met), deployments.Sum(d => d.Counts.NotMet), deployments.Sum(d => d.Counts.Unknown),
            deployments.Sum(d => d.Counts.Attestation), deployments.Sum(d => d.Counts.NotApplicable), deployments.Sum(d => d.Counts.Waived));
        var failing = deployments.SelectMany(d => d.Provisions.Where(p => p.Result == nameof(ProvisionResult.NotMet)))
            .GroupBy(p => p.Id, StringComparer.Ordinal)
            .Select(g => new FailingProvision(g.Key, g.First().Summary, g.Count()))
            .OrderByDescending(f => f.Deployments)
            .ThenBy(f => ProvisionOrder(f.Id))
            .Take(10)
            .ToList();
        return new ReportSummary(deployments.Count,
            new VerdictCounts(Standard(nameof(ConformityVerdict.Pass)), Standard(nameof(ConformityVerdict.Fail)), Standard(nameof(ConformityVerdict.Inconclusive))),
            new ReadyCounts(Compliance("Compliant"), Compliance("NotCompliant"), Compliance("Unknown"), Compliance("Stalled")),
            totals, failing);
    }

    private static readonly Dictionary<string, int> Order =
        ProvisionCatalog.Provisions.Select((p, i) => (p.Id, i)).ToDictionary(x => x.Id, x => x.i, StringComparer.Ordinal);

    private static int ProvisionOrder(string id) => Order.GetValueOrDefault(id, int.MaxValue);
}
