namespace AiBaseline.Report;

/// <summary>
/// The page's only style sheet, inline. On screen each deployment's section renders lazily
/// (<c>content-visibility: auto</c>), which keeps a page of a thousand deployments responsive; on paper each
/// deployment starts a page and rows are not split.
/// </summary>
internal static class ReportStyles
{
    public const string Css = """
body{font:14px/1.4 "DejaVu Sans",Arial,sans-serif;color:#1b1b1b;margin:24px;max-width:1200px}
h1{font-size:22px;margin:0 0 8px}h2{font-size:18px;margin:24px 0 8px;border-bottom:2px solid #ccc}h3{font-size:15px;margin:16px 0 4px}
dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;margin:8px 0}dl.meta dt{font-weight:bold}dl.meta dd{margin:0;word-break:break-all}
table{border-collapse:collapse;width:100%;margin:6px 0}th,td{border:1px solid #ccc;padding:3px 6px;text-align:left;vertical-align:top}
th{background:#f0f0f0}td.id{white-space:nowrap;font-family:"DejaVu Sans Mono",monospace}
table.provisions{table-layout:fixed}col.c-id{width:7.5em}col.c-result{width:8em}col.c-decided{width:30%}table.counts{width:auto}table.counts td{text-align:right;min-width:5em}table.counts td:first-child{text-align:left}
.lead{font-size:16px}.phase{font-weight:normal;color:#555;font-size:13px}small{color:#555}
.fix{margin-top:4px;padding:3px 6px;background:#fff4e5;border-left:3px solid #e08a00}.reason{color:#555}
.decided,table.history td,td.history{font-size:12px}span.id{font-family:"DejaVu Sans Mono",monospace}.badge{font-size:13px;padding:1px 8px;border-radius:8px;color:#fff;vertical-align:middle}
td.r-NotMet{color:#b3261e}.v-Pass{background:#1e7b34;color:#fff}.v-Fail{background:#b3261e;color:#fff}.v-Inconclusive{background:#9a6700;color:#fff}
tr[data-result=NotMet] td.result{background:#fde7e6;color:#b3261e;font-weight:bold}tr[data-result=Unknown] td.result{background:#fff4e5;color:#9a6700;font-weight:bold}
tr[data-result=Attestation] td.result{background:#fff8d6;color:#7a5a00}tr[data-result=Waived] td.result{background:#e6f0ff;color:#1a4fa0}
tr[data-result=Met] td.result{color:#1e7b34}tr[data-result=NotApplicable]{color:#666}
section.deployment{content-visibility:auto;contain-intrinsic-size:auto 3000px}
@media print{body{margin:0;max-width:none;font-size:11px}section.deployment{content-visibility:visible;break-before:page}tr{break-inside:avoid}
a{color:inherit;text-decoration:none}.fix{background:none}}
""";
}
