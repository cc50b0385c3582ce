namespace AiBaseline.Audit.Reports;

/// <summary>Writes the report in the format the user chose.</summary>
public static class ReportWriter
{
    /// <summary>Writes <paramref name="verdicts"/>, judged at <paramref name="evaluatedAt"/>, to <paramref name="output"/>.</summary>
    public static void Write(AuditOptions options, IReadOnlyList<DeploymentVerdict> verdicts, TextWriter output, DateTimeOffset evaluatedAt)
    {
        var header = new AuditHeader(evaluatedAt, verdicts);
        switch (options.Format)
        {
            case AuditFormat.Json:
                JsonReport.Write(verdicts, header, output);
                output.WriteLine();
                break;
            case AuditFormat.Sarif:
                output.WriteLine(SarifReport.Render(verdicts, header));
                break;
            case AuditFormat.Junit:
                output.WriteLine(JunitReport.Render(verdicts, header));
                break;
            default:
                TextReport.Write(verdicts, output, options.Color, options.FailOnUnknown);
                break;
        }
    }
}
