namespace AiBaseline.Report;

/// <summary>
/// The conformity evidence report of one run of <c>aibaseline report</c>: who produced it from what and when, a
/// summary across deployments, and per deployment its subject, verdicts and every provision of EN 304 223 with how
/// it was decided. The JSON form is this record as it is (docs/report/report.schema.json describes it); the HTML
/// and OSCAL forms are rendered from it.
/// </summary>
public sealed record EvidenceReport(
    string ApiVersion,
    string Kind,
    ReportHeader Header,
    ReportSummary Summary,
    IReadOnlyList<DeploymentReport> Deployments,
    IReadOnlyList<RetirementRecordReport> RetirementRecords)
{
    /// <summary>The kind of the JSON document.</summary>
    public const string DocumentKind = "ConformityReport";
}

/// <summary>When, by what and from what the report was made.</summary>
/// <param name="EvaluatedAt">When the verdicts were computed (manifests) or read (cluster).</param>
/// <param name="Tool">The tool and its version.</param>
/// <param name="Catalog">The standard and edition the provisions come from.</param>
/// <param name="Source">The cluster or the input files.</param>
/// <param name="Profiles">Every profile a deployment was judged against, with the digest of its canonical spec.</param>
public sealed record ReportHeader(
    DateTimeOffset EvaluatedAt,
    ToolIdentity Tool,
    CatalogEdition Catalog,
    ReportSource Source,
    IReadOnlyList<ProfileIdentity> Profiles);

/// <summary>The program that made a report.</summary>
public sealed record ToolIdentity(string Name, string Version);

/// <summary>The standard, its edition, and the provision count of our catalog of it.</summary>
public sealed record CatalogEdition(string Standard, string Title, string Edition, int Provisions);

/// <summary>Where the deployments came from.</summary>
/// <param name="Kind">"manifests" or "cluster".</param>
/// <param name="Inputs">For manifests: the paths given; for a cluster: the API server's URL.</param>
/// <param name="Context">For a cluster: the kubeconfig context, when one was used.</param>
/// <param name="Namespaces">The namespaces asked for; empty for all.</param>
/// <param name="Selector">The label selector asked for, if any.</param>
public sealed record ReportSource(string Kind, IReadOnlyList<string> Inputs, string? Context, IReadOnlyList<string> Namespaces, string? Selector);

/// <summary>A BaselineProfile by name, where it came from, and the sha256 of its canonical spec (null when not found).</summary>
public sealed record ProfileIdentity(string Name, string Origin, string? Sha256);

/// <summary>Counts across deployments.</summary>
public sealed record ReportSummary(
    int Deployments,
    VerdictCounts Verdicts,
    ReadyCounts Ready,
    ProvisionCounts Provisions,
    IReadOnlyList<FailingProvision> MostFailing);

/// <summary>Deployments by the standard's verdict.</summary>
public sealed record VerdictCounts(int Pass, int Fail, int Inconclusive);

/// <summary>Deployments by the kstatus verdict (Ready, Stalled).</summary>
public sealed record ReadyCounts(int Compliant, int NotCompliant, int Unknown, int Stalled);

/// <summary>Provision results added up over all deployments.</summary>
public sealed record ProvisionCounts(int Met, int NotMet, int Unknown, int Attestation, int NotApplicable, int Waived);

/// <summary>A provision and on how many deployments it is not met.</summary>
public sealed record FailingProvision(string Id, string Summary, int Deployments);

/// <summary>One deployment: what it is, its verdicts, and every provision.</summary>
public sealed record DeploymentReport(
    string Namespace,
    string Name,
    string Origin,
    string? Stage,
    ProfileIdentity Profile,
    ReportSubject Subject,
    IReadOnlyList<OwnerReport> Owners,
    DeploymentVerdicts Verdicts,
    IReadOnlyList<VerdictChangeReport> History,
    ProvisionCounts Counts,
    IReadOnlyList<ProvisionReport> Provisions);

/// <summary>
/// One change of a deployment's verdicts, from the history the operator keeps in its status (the last few): the audit
/// trail of EN 304 223 5.1.2-3 and 5.2.4-3.
/// </summary>
/// <param name="At">When the operator wrote the changed verdict.</param>
/// <param name="Verdict">The standard's verdict from then on.</param>
/// <param name="Ready">Ready's status from then on.</param>
/// <param name="Provisions">The provisions whose result changed, by previous result, new result and reason.</param>
/// <param name="More">How many more provisions changed than the groups name.</param>
public sealed record VerdictChangeReport(DateTimeOffset At, string Verdict, string Ready, IReadOnlyList<ProvisionChangeReport> Provisions, int? More)
{
    /// <summary>The report's view of a status history, oldest first.</summary>
    public static List<VerdictChangeReport> Of(IEnumerable<Api.V1Alpha1.VerdictChange>? history) =>
        [.. (history ?? []).Select(h => new VerdictChangeReport(
            new DateTimeOffset(DateTime.SpecifyKind(h.At, DateTimeKind.Utc)),
            h.Verdict.ToString(),
            h.Ready,
            [.. (h.Provisions ?? []).Select(p => new ProvisionChangeReport(p.Ids, p.Was?.ToString(), p.Result.ToString(), p.Reason))],
            h.More))];
}

/// <summary>Provisions whose result changed the same way for the same reason.</summary>
/// <param name="Ids">The provision ids.</param>
/// <param name="Was">The result before; null in the first verdict.</param>
/// <param name="Result">The result after.</param>
/// <param name="Reason">Why: the deciding controls and their reasons, the evidence, the waiver, or why it does not apply.</param>
public sealed record ProvisionChangeReport(IReadOnlyList<string> Ids, string? Was, string Result, string? Reason);

/// <summary>The workload and every artifact digest it serves.</summary>
public sealed record ReportSubject(WorkloadIdentity? Workload, IReadOnlyList<ImageSubject> Images, IReadOnlyList<ModelSubject> Models);

/// <summary>The workload's kind and name.</summary>
public sealed record WorkloadIdentity(string Kind, string Name);

/// <summary>A container image; the digest is null when the reference names none and none was resolved.</summary>
public sealed record ImageSubject(string Container, string Image, string? Digest, IReadOnlyList<string> SignedBy, IReadOnlyList<string> Attestations);

/// <summary>A model artifact with its declared digest.</summary>
public sealed record ModelSubject(string Name, string Source, string? Digest);

/// <summary>A person or team responsible for the model.</summary>
public sealed record OwnerReport(string Name, string? Role, string? Contact);

/// <summary>The three verdicts of the status, never confused: Ready, the standard's, and Stalled.</summary>
/// <param name="Ready">Ready's status: True, False or Unknown.</param>
/// <param name="ReadyReason">Ready's reason.</param>
/// <param name="ReadyMessage">Ready's message.</param>
/// <param name="Standard">Pass, Fail or Inconclusive (ETSI TS 104 216).</param>
/// <param name="Compliance">Compliant, NotCompliant, Unknown or Stalled, as the audit counts it.</param>
/// <param name="StalledReason">Why a person must act first, when Stalled.</param>
public sealed record DeploymentVerdicts(string Ready, string? ReadyReason, string? ReadyMessage, string Standard, string Compliance, string? StalledReason);

/// <summary>One provision of EN 304 223 for one deployment.</summary>
/// <param name="Id">The standard's id.</param>
/// <param name="Principle">Principle number, 1 to 13.</param>
/// <param name="PrincipleTitle">The principle's title.</param>
/// <param name="Phase">The life-cycle phase.</param>
/// <param name="Obligation">"shall" or "should".</param>
/// <param name="Stakeholders">Who it is addressed to.</param>
/// <param name="Summary">Our one-line paraphrase, not the normative text.</param>
/// <param name="Result">Met, NotMet, Unknown, Attestation, NotApplicable or Waived.</param>
/// <param name="DecidedBy">The controls, evidence and waiver that decided it.</param>
/// <param name="Reason">For NotApplicable: why.</param>
/// <param name="Fix">For NotMet, Unknown and Attestation: what to do.</param>
public sealed record ProvisionReport(
    string Id,
    int Principle,
    string PrincipleTitle,
    string Phase,
    string Obligation,
    IReadOnlyList<string> Stakeholders,
    string Summary,
    string Result,
    Decision DecidedBy,
    string? Reason,
    string? Fix);

/// <summary>How a provision was decided.</summary>
public sealed record Decision(IReadOnlyList<ControlDecision> Controls, EvidenceDecision? Evidence, WaiverDecision? Waiver);

/// <summary>A control that serves the provision, with its result on this deployment.</summary>
public sealed record ControlDecision(string Name, string Result, string Reason, string Message);

/// <summary>The evidence reference that met the provision, or whose expiry left it awaiting attestation.</summary>
public sealed record EvidenceDecision(string Type, string? Uri, DateOnly? Date, string? Digest, string? ApprovedBy, DateOnly? ExpiresAt, DateOnly? ExpiredAt);

/// <summary>The BaselineException that waived the provision.</summary>
public sealed record WaiverDecision(string Name, string? ApprovedBy, string? Ticket, DateTimeOffset? ExpiresAt, string? Justification);

/// <summary>A retired model's disposal record, kept after its AIModelDeployment is gone.</summary>
/// <param name="Name">The RetirementRecord's name.</param>
/// <param name="Namespace">The retired AIModelDeployment's namespace.</param>
/// <param name="Deployment">The retired AIModelDeployment's name.</param>
/// <param name="Uid">The retired AIModelDeployment's uid.</param>
/// <param name="DisposedAt">When the operator let it go.</param>
/// <param name="ReleasedBy">DisposalProven, or Waived.</param>
/// <param name="Disposed">What had to be gone: the workload, then each secret, volume claim and service.</param>
/// <param name="Checks">The checks that proved it: the Retirement control.</param>
/// <param name="Images">The images last seen serving the model, with their digests.</param>
/// <param name="Models">The model artifacts with their digests.</param>
/// <param name="Owners">Who was responsible.</param>
/// <param name="Waivers">The waiver used, with its approver, ticket and expiry.</param>
/// <param name="History">The deployment's last verdict changes, as its status kept them when it was let go.</param>
public sealed record RetirementRecordReport(
    string Name,
    string Namespace,
    string Deployment,
    string Uid,
    DateTimeOffset DisposedAt,
    string ReleasedBy,
    IReadOnlyList<string> Disposed,
    IReadOnlyList<ControlDecision> Checks,
    IReadOnlyList<RecordedImageReport> Images,
    IReadOnlyList<ModelSubject> Models,
    IReadOnlyList<OwnerReport> Owners,
    IReadOnlyList<string> Waivers,
    IReadOnlyList<VerdictChangeReport> History);

/// <summary>A container image of a retired model, with its digest.</summary>
public sealed record RecordedImageReport(string Container, string Image, string? Digest);
