namespace AiBaseline.Audit.Reports;

/// <summary>Writes the report in the format the user chose.</summary>
public static class ReportWriter
{
    /// <summary>
    /// Writes <paramref name="verdicts"/>, judged at <paramref name="evaluatedAt"/>, to <paramref name="output"/>, and the
    /// inventory when one was taken (--discover).
    /// </summary>
    public static void Write(AuditOptions options, IReadOnlyList<DeploymentVerdict> verdicts, TextWriter output, DateTimeOffset evaluatedAt, IReadOnlyList<Located<Engine.Inventory.UndeclaredWorkload>>? undeclared = null)
    {
        var header = new AuditHeader(evaluatedAt, verdicts);
        switch (options.Format)
        {
            case AuditFormat.Json:
                JsonReport.Write(verdicts, header, output, undeclared is null ? null : AuditDiscovery.ToJson(undeclared));
                output.WriteLine();
                break;
            case AuditFormat.Sarif:
                output.WriteLine(SarifReport.Render(verdicts, header));
                break;
            case AuditFormat.Junit:
                output.WriteLine(JunitReport.Render(verdicts, header));
                break;
            default:
                if (verdicts.Count > 0 || undeclared is null)
                {
                    TextReport.Write(verdicts, output, options.Color, options.FailOnUnknown);
                }

                if (undeclared is not null)
                {
                    AuditDiscovery.WriteText(undeclared, output);
                }

                break;
        }
    }
}
