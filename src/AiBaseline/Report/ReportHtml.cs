using System.Globalization;
using System.Net;

namespace AiBaseline.Report;

/// <summary>
/// The HTML form of a report: one self-contained page an assessor reads and prints. The summary comes first, then
/// a section per deployment with its subject and verdicts and its provisions grouped by principle, the principles
/// with failures first and, within each, fails and inconclusive results first with the fix; the provisions' text
/// once at the end. A Content-Security-Policy
/// forbids every external request; the styles are inline; nothing runs.
/// </summary>
public static class ReportHtml
{
    private static readonly string[] ResultOrder = ["NotMet", "Unknown", "Attestation", "Waived", "Met", "NotApplicable"];

    /// <summary>Writes the page to <paramref name="output"/>.</summary>
    public static void Write(EvidenceReport report, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(output);
        var h = report.Header;
        output.Write("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">");
        output.Write("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">");
        output.Write("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
        output.Write($"<title>{E(h.Catalog.Standard)} conformity evidence report</title><style>{ReportStyles.Css}</style></head><body>\n");
        output.Write($"<header><h1>{E(h.Catalog.Standard)} conformity evidence report</h1>");
        output.Write("<dl class=\"meta\">");
        Term(output, "Evaluated at", h.EvaluatedAt.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture));
        Term(output, "Tool", $"{h.Tool.Name} {h.Tool.Version}");
        Term(output, "Catalog", $"{h.Catalog.Standard} {h.Catalog.Edition}, {h.Catalog.Provisions} provisions (our one-line summaries, not the normative text)");
        var source = h.Source.Kind == "cluster"
            ? $"cluster {string.Join(", ", h.Source.Inputs)}{(h.Source.Context is null ? "" : $" (context {h.Source.Context})")}"
            : $"manifests {string.Join(" ", h.Source.Inputs)}";
        var scope = (h.Source.Namespaces.Count == 0 ? (h.Source.Kind == "cluster" ? "; all namespaces" : "") : $"; namespace {string.Join(", ", h.Source.Namespaces)}")
            + (h.Source.Selector is null ? "" : $"; selector {h.Source.Selector}");
        Term(output, "Source", source + scope);
        foreach (var profile in h.Profiles)
        {
            Term(output, "Profile", $"{profile.Name} ({profile.Origin}) {profile.Sha256 ?? "not found"}");
        }

        output.Write("</dl></header>\n");
        WriteSummary(report, output);
        foreach (var deployment in Ordered(report.Deployments))
        {
            WriteDeployment(deployment, output);
        }

        if (report.RetirementRecords.Count > 0)
        {
            WriteRecords(report.RetirementRecords, output);
        }

        WriteCatalog(report, output);

        output.Write("</body></html>\n");
    }

    private static void WriteSummary(EvidenceReport report, TextWriter output)
    {
        var s = report.Summary;
        output.Write("<section id=\"summary\"><h2>Summary</h2>");
        output.Write($"<p class=\"lead\">{s.Deployments} deployment{(s.Deployments == 1 ? "" : "s")} assessed against {E(report.Header.Catalog.Standard)} {E(report.Header.Catalog.Edition)}.</p>");
        output.Write("<table class=\"counts\"><tr><th>Standard's verdict</th><th>Pass</th><th>Fail</th><th>Inconclusive</th></tr>");
        output.Write($"<tr><td>deployments</td><td data-verdict=\"Pass\">{s.Verdicts.Pass}</td><td data-verdict=\"Fail\" class=\"r-NotMet\">{s.Verdicts.Fail}</td><td data-verdict=\"Inconclusive\" class=\"r-Attestation\">{s.Verdicts.Inconclusive}</td></tr></table>");
        output.Write("<table class=\"counts\"><tr><th>Ready</th><th>Compliant</th><th>Not compliant</th><th>Unknown</th><th>Stalled</th></tr>");
        output.Write($"<tr><td>deployments</td><td data-ready=\"Compliant\">{s.Ready.Compliant}</td><td data-ready=\"NotCompliant\">{s.Ready.NotCompliant}</td><td data-ready=\"Unknown\">{s.Ready.Unknown}</td><td data-ready=\"Stalled\">{s.Ready.Stalled}</td></tr></table>");
        var p = s.Provisions;
        output.Write("<table class=\"counts\"><tr><th>Provision results</th><th>Not met</th><th>Unknown</th><th>Awaiting evidence</th><th>Waived</th><th>Met</th><th>Not applicable</th></tr>");
        output.Write($"<tr><td>all deployments</td><td data-result=\"NotMet\">{p.NotMet}</td><td data-result=\"Unknown\">{p.Unknown}</td><td data-result=\"Attestation\">{p.Attestation}</td><td data-result=\"Waived\">{p.Waived}</td><td data-result=\"Met\">{p.Met}</td><td data-result=\"NotApplicable\">{p.NotApplicable}</td></tr></table>");
        if (s.MostFailing.Count > 0)
        {
            output.Write("<h3>Provisions failing most often</h3><table class=\"failing\"><tr><th>Provision</th><th>Deployments</th><th>Summary</th></tr>");
            foreach (var f in s.MostFailing)
            {
                output.Write($"<tr><td class=\"id\">{E(f.Id)}</td><td>{f.Deployments}</td><td>{E(f.Summary)}</td></tr>");
            }

            output.Write("</table>");
        }

        output.Write("<h3>Deployments</h3><table class=\"index\"><tr><th>Deployment</th><th>Verdict</th><th>Ready</th><th>Not met</th><th>Awaiting evidence</th></tr>");
        foreach (var d in Ordered(report.Deployments))
        {
            output.Write($"<tr><td><a href=\"#{Anchor(d)}\">{E(d.Namespace)}/{E(d.Name)}</a></td><td class=\"v-{E(d.Verdicts.Standard)}\">{E(d.Verdicts.Standard)}</td><td>{E(d.Verdicts.Ready)}</td><td>{d.Counts.NotMet}</td><td>{d.Counts.Attestation + d.Counts.Unknown}</td></tr>");
        }

        output.Write("</table></section>\n");
    }

    private static void WriteDeployment(DeploymentReport d, TextWriter output)
    {
        var v = d.Verdicts;
        output.Write($"<section class=\"deployment\" id=\"{Anchor(d)}\" data-verdict=\"{E(v.Standard)}\"><h2>{E(d.Namespace)}/{E(d.Name)} <span class=\"badge v-{E(v.Standard)}\">{E(v.Standard)}</span></h2>");
        output.Write("<dl class=\"meta\">");
        Term(output, "Verdicts", $"EN 304 223 {v.Standard}; Ready {v.Ready}{(v.ReadyReason is null ? "" : $" ({v.ReadyReason})")}; {v.Compliance}{(v.StalledReason is null ? "" : $": {v.StalledReason}")}");
        if (v.ReadyMessage is { Length: > 0 })
        {
            Term(output, "Ready", v.ReadyMessage);
        }

        Term(output, "Stage", d.Stage ?? "unknown");
        Term(output, "Profile", $"{d.Profile.Name} ({d.Profile.Origin}) {d.Profile.Sha256 ?? "not found"}");
        Term(output, "From", d.Origin);
        Term(output, "Workload", d.Subject.Workload is { } w ? $"{w.Kind}/{w.Name}" : "none declared");
        foreach (var image in d.Subject.Images)
        {
            Term(output, "Image", $"{image.Container}: {image.Image}{(image.Digest is null ? " (no digest)" : image.Image.Contains(image.Digest, StringComparison.Ordinal) ? "" : $" {image.Digest}")}{(image.SignedBy.Count == 0 ? "" : $"; signed by {string.Join(", ", image.SignedBy)}")}");
        }

        foreach (var model in d.Subject.Models)
        {
            Term(output, "Model", $"{model.Name}: {model.Source}{(model.Digest is null ? " (no digest declared)" : model.Source.Contains(model.Digest, StringComparison.Ordinal) ? "" : $" {model.Digest}")}");
        }

        Term(output, "Owners", d.Owners.Count == 0 ? "none declared" : string.Join("; ", d.Owners.Select(o => o.Name + (o.Role is null ? "" : $" ({o.Role})") + (o.Contact is null ? "" : $" {o.Contact}"))));
        var c = d.Counts;
        Term(output, "Provisions", $"{c.NotMet} not met, {c.Unknown} unknown, {c.Attestation} awaiting evidence, {c.Waived} waived, {c.Met} met, {c.NotApplicable} not applicable");
        output.Write("</dl>");
        WriteHistory(d.History, output);

        var principles = d.Provisions.GroupBy(p => p.Principle)
            .OrderBy(g => g.Min(p => Rank(p.Result)))
            .ThenBy(g => g.Key);
        foreach (var principle in principles)
        {
            var first = principle.First();
            output.Write($"<h3>Principle {principle.Key}: {E(first.PrincipleTitle)} <span class=\"phase\">{E(first.Phase)}</span></h3><table class=\"provisions\"><colgroup><col class=\"c-id\"><col class=\"c-result\"><col><col class=\"c-decided\"></colgroup>");
            output.Write("<tr><th>Provision</th><th>Result</th><th>Requirement</th><th>Decided by</th></tr>");
            foreach (var p in principle.OrderBy(p => Rank(p.Result)).ThenBy(p => p.Id, StringComparer.Ordinal))
            {
                WriteProvision(p, output);
            }

            output.Write("</table>");
        }

        output.Write("</section>\n");
    }

    // The verdict changes the operator kept in the status, oldest first: when, to what, and which provisions changed why.
    private static void WriteHistory(IReadOnlyList<VerdictChangeReport> history, TextWriter output)
    {
        if (history.Count == 0)
        {
            return;
        }

        output.Write("<h3>Audit trail</h3><table class=\"history\"><tr><th>When</th><th>Verdict</th><th>Ready</th><th>Provisions that changed</th></tr>");
        foreach (var change in history)
        {
            output.Write($"<tr data-verdict=\"{E(change.Verdict)}\" data-ready=\"{E(change.Ready)}\"><td class=\"id\">{change.At.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC</td>");
            output.Write($"<td class=\"v-{E(change.Verdict)}\">{E(change.Verdict)}</td><td>{E(change.Ready)}</td><td>");
            foreach (var p in change.Provisions)
            {
                var from = p.Was is null ? "" : $"{Label(p.Was)} \u2192 ";
                output.Write($"<div><span class=\"id\">{E(string.Join(", ", p.Ids))}</span>: {E(from + Label(p.Result))}{(p.Reason is null ? "" : $" ({E(p.Reason)})")}</div>");
            }

            if (change.More is { } more)
            {
                output.Write($"<div>and {more} more</div>");
            }

            output.Write(change.Provisions.Count == 0 && change.More is null ? "no provision changed result</td></tr>" : "</td></tr>");
        }

        output.Write("</table>");
    }

    // Failed, unknown and waived provisions carry their text and the fix; the others (awaiting evidence, met, not
    // applicable), the same on most deployments, link to the catalog at the end for their text, which keeps a page
    // of many deployments small.
    private static void WriteProvision(ProvisionReport p, TextWriter output)
    {
        var open = p.Result is "NotMet" or "Unknown" or "Waived";
        output.Write($"<tr data-id=\"{E(p.Id)}\" data-result=\"{p.Result}\"><td class=\"id\"><a href=\"#p-{E(p.Id)}\">{E(p.Id)}</a><br><small>{E(p.Obligation)}</small></td>");
        output.Write($"<td class=\"result\">{Label(p.Result)}</td><td>");
        if (open)
        {
            output.Write($"{E(p.Summary)}<br><small>{E(string.Join(", ", p.Stakeholders))}</small>");
        }

        if (p.Fix is not null)
        {
            output.Write($"<div class=\"fix\"><b>Fix:</b> {E(p.Fix)}</div>");
        }

        if (p.Reason is not null)
        {
            output.Write($"<div class=\"reason\">Not applicable: {E(p.Reason)}</div>");
        }

        output.Write("</td><td class=\"decided\">");
        var by = p.DecidedBy;
        foreach (var control in by.Controls)
        {
            output.Write($"<div>{E(control.Name)}: {E(control.Result)}{(control.Reason.Length == 0 ? "" : $" ({E(control.Reason)})")}</div>");
        }

        if (by.Evidence is { } e)
        {
            var dates = e.ExpiresAt is { } until ? $", counts until {until:yyyy-MM-dd}" : e.ExpiredAt is { } expired ? $", expired {expired:yyyy-MM-dd}" : "";
            output.Write($"<div>{E(e.Type)}: {E(e.Uri ?? "")} {(e.Date is { } date ? date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : "")}{dates}{(e.Digest is null ? "" : $", {E(e.Digest)}")}{(e.ApprovedBy is null ? "" : $", approved by {E(e.ApprovedBy)}")}</div>");
        }

        if (by.Waiver is { } w)
        {
            output.Write($"<div>Waived by BaselineException {E(w.Name)}{(w.ApprovedBy is null ? "" : $", approved by {E(w.ApprovedBy)}")}{(w.Ticket is null ? "" : $", ticket {E(w.Ticket)}")}{(w.ExpiresAt is { } x ? $", expires {x.UtcDateTime:yyyy-MM-dd}" : "")}</div>");
        }

        output.Write("</td></tr>");
    }

    // The provisions' text once, for the rows that link to it.
    private static void WriteCatalog(EvidenceReport report, TextWriter output)
    {
        var provisions = report.Deployments.SelectMany(d => d.Provisions).DistinctBy(p => p.Id).OrderBy(p => p.Principle).ThenBy(p => p.Id, StringComparer.Ordinal).ToList();
        if (provisions.Count == 0)
        {
            return;
        }

        output.Write($"<section id=\"catalog\"><h2>Provisions of {E(report.Header.Catalog.Standard)} {E(report.Header.Catalog.Edition)}</h2>");
        output.Write("<p>Our one-line summaries, not the normative text.</p><table class=\"catalog\"><tr><th>Provision</th><th>Principle</th><th>Phase</th><th>Obligation</th><th>Stakeholders</th><th>Summary</th></tr>");
        foreach (var p in provisions)
        {
            output.Write($"<tr id=\"p-{E(p.Id)}\"><td class=\"id\">{E(p.Id)}</td><td>{p.Principle}: {E(p.PrincipleTitle)}</td><td>{E(p.Phase)}</td><td>{E(p.Obligation)}</td><td>{E(string.Join(", ", p.Stakeholders))}</td><td>{E(p.Summary)}</td></tr>");
        }

        output.Write("</table></section>\n");
    }

    private static void WriteRecords(IReadOnlyList<RetirementRecordReport> records, TextWriter output)
    {
        output.Write("<section id=\"retirements\"><h2>Retirement records</h2><table class=\"provisions\"><tr><th>Deployment</th><th>Disposed at</th><th>Released by</th><th>Disposed of</th><th>Checks</th><th>Images and models</th><th>Owners</th><th>Waiver</th><th>Verdict history</th></tr>");
        foreach (var r in records)
        {
            output.Write($"<tr class=\"record\" data-record=\"{E(r.Name)}\"><td>{E(r.Namespace)}/{E(r.Deployment)}</td><td>{r.DisposedAt.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC</td><td>{E(r.ReleasedBy)}</td><td>{E(string.Join(", ", r.Disposed))}</td>");
            output.Write($"<td>{string.Join("", r.Checks.Select(c => $"<div>{E(c.Name)}: {E(c.Result)} {E(c.Message)}</div>"))}</td>");
            output.Write($"<td>{string.Join("", r.Images.Select(i => $"<div>{E(i.Image)} {E(i.Digest ?? "")}</div>").Concat(r.Models.Select(m => $"<div>{E(m.Name)} {E(m.Digest ?? "")}</div>")))}</td>");
            output.Write($"<td>{E(string.Join(", ", r.Owners.Select(o => o.Name)))}</td><td>{E(string.Join("; ", r.Waivers))}</td>");
            output.Write($"<td class=\"history\">{string.Join("", r.History.Select(h => $"<div>{h.At.UtcDateTime:yyyy-MM-dd HH:mm} {E(h.Verdict)}, Ready {E(h.Ready)}{(h.Provisions.Count == 0 ? "" : $": {E(string.Join(", ", h.Provisions.SelectMany(p => p.Ids)))}")}</div>"))}</td></tr>");
        }

        output.Write("</table></section>\n");
    }

    private static void Term(TextWriter output, string term, string value) => output.Write($"<dt>{E(term)}</dt><dd>{E(value)}</dd>");

    private static string Label(string result) => result switch
    {
        "NotMet" => "Not met",
        "Attestation" => "Awaiting evidence",
        "NotApplicable" => "Not applicable",
        _ => result,
    };

    private static int Rank(string result) => Array.IndexOf(ResultOrder, result) is var i and >= 0 ? i : ResultOrder.Length;

    // Fails first, then inconclusive, then passes; by namespace and name within each.
    private static IEnumerable<DeploymentReport> Ordered(IEnumerable<DeploymentReport> deployments) =>
        deployments.OrderBy(d => VerdictRank(d.Verdicts.Standard)).ThenBy(d => d.Namespace, StringComparer.Ordinal).ThenBy(d => d.Name, StringComparer.Ordinal);

    private static int VerdictRank(string verdict) => verdict switch { "Fail" => 0, "Inconclusive" => 1, _ => 2 };

    private static string Anchor(DeploymentReport d) => $"d-{d.Namespace}-{d.Name}";

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
