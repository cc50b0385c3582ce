using AiBaseline.Api.V1Alpha1;
using AiBaseline.Engine.Status;

namespace AiBaseline.Audit.Reports;

/// <summary>
/// The readable report: per deployment its stage, profile and Ready line, then a line per control with
/// result, reason and provisions, the message saying what to fix, and the provision counts. The last line
/// gives the overall verdict and the exit code.
/// </summary>
public static class TextReport
{
    private const string Reset = "\u001b[0m";

    /// <summary>Writes the report; ANSI colors only when <paramref name="color"/>.</summary>
    public static void Write(IReadOnlyList<DeploymentVerdict> verdicts, TextWriter output, bool color, bool failOnUnknown)
    {
        // Each deployment's block is rendered on every core, a batch at a time, and written in order.
        var blocks = new string[Math.Min(BlockBatch, verdicts.Count)];
        for (var first = 0; first < verdicts.Count; first += BlockBatch)
        {
            var count = Math.Min(BlockBatch, verdicts.Count - first);
            Parallelism.For(count, i => blocks[i] = Block(verdicts[first + i], color, output.NewLine));
            for (var i = 0; i < count; i++)
            {
                output.Write(blocks[i]);
            }
        }

        output.WriteLine(Summary(verdicts, failOnUnknown));
    }

    private const int BlockBatch = 256;

    // One deployment's lines, and the empty line after them.
    private static string Block(DeploymentVerdict verdict, bool color, string newLine)
    {
        string Paint(string text, string code) => color ? $"\u001b[{code}m{text}{Reset}" : text;
        string Result(string text) => Paint(text.PadRight(15), text switch
        {
            "Met" or "True" => "32",
            "NotMet" or "False" => "31",
            "Unknown" => "33",
            "Waived" => "36",
            _ => "90",
        });

        using var output = new StringWriter(new System.Text.StringBuilder(4096), System.Globalization.CultureInfo.InvariantCulture) { NewLine = newLine };
        var status = verdict.Status;
        var standard = status.Summary?.Verdict?.ToString() ?? "Inconclusive";
        output.WriteLine(Paint(verdict.Id, "1") + $"  EN 304 223 {standard.ToLowerInvariant()}, Ready {verdict.Ready?.Status ?? "Unknown"}  ({verdict.Deployment.File}:{verdict.Deployment.Line})");
        output.WriteLine($"  stage {status.Stage}, profile {verdict.ProfileName} ({verdict.ProfileSource})");
        var ready = verdict.Ready;
        var controls = ControlMessages.All(status).ToList();
        var width = controls.Count == 0 ? 5 : Math.Max(5, controls.Max(c => c.Name.Length));
        output.WriteLine($"  {"Ready".PadRight(width)}  {Result(ready?.Status ?? "Unknown")}{ready?.Reason}: {ready?.Message}");
        foreach (var type in new[] { ConditionTypes.Conformant, ConditionTypes.StageConsistent })
        {
            if (status.Conditions?.FirstOrDefault(c => c.Type == type) is { } condition)
            {
                output.WriteLine($"  {type.PadRight(width)}  {Result(condition.Status)}{condition.Reason}: {condition.Message}");
            }
        }

        // The condition names the first few; the report names every shall provision that keeps the verdict open.
        var open = status.EachProvision().Where(p => p.Result is ProvisionResult.Attestation or ProvisionResult.Unknown && Shall.Contains(p.Id)).Select(p => p.Id).ToList();
        if (status.Summary?.Verdict == ConformityVerdict.Inconclusive && open.Count > 0)
        {
            output.WriteLine($"  {"".PadRight(width)}    shall provisions awaiting evidence or a check: {string.Join(", ", open)}");
        }

        foreach (var control in controls)
        {
            output.WriteLine($"  {control.Name.PadRight(width)}  {Result(control.Result.ToString())}{control.Reason.PadRight(24)} {string.Join(", ", control.Provisions)}");
            if (control.Result != ControlResult.NotApplicable)
            {
                output.WriteLine($"  {"".PadRight(width)}    {control.Message}");
            }
        }

        if (status.Conditions?.FirstOrDefault(c => c.Type == ConditionTypes.WaiversCurrent) is { } waivers)
        {
            output.WriteLine($"  {"Waivers".PadRight(width)}  {Result(waivers.Status)}{waivers.Reason}: {waivers.Message}");
        }

        foreach (var group in (status.Provisions ?? []).Where(g => g.Waiver is not null))
        {
            output.WriteLine($"  waived by BaselineException {group.Waiver}: {string.Join(", ", group.Ids)}");
        }

        var s = status.Summary ?? new ComplianceSummary();
        output.WriteLine($"  provisions: {s.Met} met, {s.NotMet} not met, {s.Unknown} unknown, {s.Attestation} awaiting attestation, {s.NotApplicable} not applicable, {s.Waived} waived");
        output.WriteLine();
        return output.ToString();
    }

    private static readonly HashSet<string> Shall = [.. Engine.Catalog.ProvisionCatalog.Provisions.Where(p => p.Shall).Select(p => p.Id)];

    /// <summary>The last line: counts by verdict and what the exit code means.</summary>
    public static string Summary(IReadOnlyList<DeploymentVerdict> verdicts, bool failOnUnknown)
    {
        int Count(Verdict v) => verdicts.Count(x => x.Verdict == v);
        var counts = $"{verdicts.Count} deployment{(verdicts.Count == 1 ? "" : "s")}: {Count(Verdict.Compliant)} compliant, {Count(Verdict.NotCompliant)} not compliant, {Count(Verdict.Unknown)} unknown, {Count(Verdict.Stalled)} stalled";
        int Standard(ConformityVerdict v) => verdicts.Count(x => (x.Status.Summary?.Verdict ?? ConformityVerdict.Inconclusive) == v);
        counts += $"; EN 304 223: {Standard(ConformityVerdict.Pass)} pass, {Standard(ConformityVerdict.Fail)} fail, {Standard(ConformityVerdict.Inconclusive)} inconclusive";
        var exit = AuditRun.ExitCode(verdicts, failOnUnknown);
        var meaning = exit == AuditExitCodes.Compliant
            ? Count(Verdict.Unknown) > 0 ? "exit 0; warning: unknown results could not be checked offline (--fail-on-unknown makes them fail)" : "exit 0: all compliant"
            : "exit 1: fix the NotMet controls above (or create the missing profile) and audit again";
        return $"{counts}; {meaning}";
    }
}
