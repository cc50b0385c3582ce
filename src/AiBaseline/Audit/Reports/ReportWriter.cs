namespace AiBaseline.Audit.Reports;

/// <summary>Writes the report in the format the user chose.</summary>
public static class ReportWriter
{
    /// <summary>Writes <paramref name="verdicts"/> to <paramref name="output"/>.</summary>
    public static void Write(AuditOptions options, IReadOnlyList<DeploymentVerdict> verdicts, TextWriter output)
    {
        switch (options.Format)
        {
            case AuditFormat.Json:
                JsonReport.Write(verdicts, output);
                output.WriteLine();
                break;
            case AuditFormat.Sarif:
                output.WriteLine(SarifReport.Render(verdicts));
                break;
            case AuditFormat.Junit:
                output.WriteLine(JunitReport.Render(verdicts));
                break;
            default:
                TextReport.Write(verdicts, output, options.Color, options.FailOnUnknown);
                break;
        }
    }
}
