using AiBaseline.Audit;
using AiBaseline.Operator;
using k8s;

namespace AiBaseline.Report;

/// <summary>Formats of <c>aibaseline report</c>.</summary>
public enum ReportFormat
{
    Html,
    Json,
    Oscal,
}

/// <summary>What the user asked the report for.</summary>
/// <param name="Paths">Manifest files, directories or "-"; empty to read the cluster.</param>
/// <param name="Format">The output format.</param>
/// <param name="Namespace">Manifests: the namespace of objects that name none; cluster: null for all namespaces.</param>
/// <param name="Namespaces">Cluster: the namespaces to read; empty for all.</param>
/// <param name="Selector">Only deployments whose labels match.</param>
/// <param name="ProfileFile">Manifests: the --profile file.</param>
/// <param name="Kubeconfig">Cluster: the --kubeconfig file.</param>
/// <param name="SignKey">A private key: sign the report as an in-toto attestation written to <paramref name="Attestation"/>.</param>
/// <param name="Attestation">Where the signed DSSE envelope goes.</param>
/// <param name="KeyPassword">The password of an encrypted key (COSIGN_PASSWORD).</param>
public sealed record ReportOptions(
    IReadOnlyList<string> Paths,
    ReportFormat Format = ReportFormat.Html,
    string? Namespace = null,
    IReadOnlyList<string>? Namespaces = null,
    LabelSelector? Selector = null,
    string? ProfileFile = null,
    string? Kubeconfig = null,
    string? SignKey = null,
    string? Attestation = null,
    string? KeyPassword = null)
{
    /// <summary>True when the deployments come from a cluster rather than manifests.</summary>
    public bool FromCluster => Paths.Count == 0;
}

/// <summary>
/// The report from arguments to exit code: gather the judged deployments (from manifests with the audit's engine,
/// or from a cluster's statuses), build the report and write it. Exit 0 when a report was written, whatever it
/// says (the report is evidence, not a gate: <c>aibaseline audit</c> is the gate); 2 when it could not be made.
/// </summary>
public static class ReportRun
{
    /// <summary>The exit code of a report that was written.</summary>
    public const int Written = 0;

    /// <summary>Runs the report; returns the exit code.</summary>
    public static async Task<int> ExecuteAsync(ReportOptions options, TextReader stdin, TextWriter stdout, TextWriter stderr, TimeProvider clock, CancellationToken cancellationToken)
    {
        using var key = LoadKey(options, stderr, out var keyFailed);
        if (keyFailed)
        {
            return AuditExitCodes.BadInput;
        }

        EvidenceReport report;
        if (options.FromCluster)
        {
            var config = ClusterConnection.Resolve(options.Kubeconfig, out var problem);
            if (config is null)
            {
                stderr.WriteLine($"aibaseline report: {problem}");
                return AuditExitCodes.BadInput;
            }

            try
            {
                using var client = new Kubernetes(config);
                var (deployments, waivers, records) = await new ClusterReportSource(client).LoadAsync(options.Namespaces ?? [], options.Selector?.Text, cancellationToken);
                var source = new ReportSource("cluster", [config.Host], config.CurrentContext, options.Namespaces ?? [], options.Selector?.Text);
                report = ReportBuilder.Build(clock.GetUtcNow(), source, deployments, waivers, records);
            }
            catch (ClusterReadException e)
            {
                stderr.WriteLine($"aibaseline report: {e.Message}");
                return AuditExitCodes.BadInput;
            }
        }
        else
        {
            var problems = new List<InputProblem>();
            var loaded = ManifestReportSource.Load(options, stdin, clock, problems);
            if (loaded is not { } input)
            {
                foreach (var problem in problems)
                {
                    stderr.WriteLine(problem);
                }

                stderr.WriteLine($"aibaseline report: {problems.Count} problem{(problems.Count == 1 ? "" : "s")} in the input; no report was made");
                return AuditExitCodes.BadInput;
            }

            var source = new ReportSource("manifests", options.Paths, null, options.Namespace is null ? [] : [options.Namespace], options.Selector?.Text);
            report = ReportBuilder.Build(clock.GetUtcNow(), source, input.Deployments, input.Waivers, input.Records);
        }

        var text = Render(report, options.Format);
        stdout.Write(text);
        if (key is not null)
        {
            var envelope = Signing.ReportAttestation.Sign(report, System.Text.Encoding.UTF8.GetBytes(text), key);
            try
            {
                File.WriteAllText(options.Attestation!, envelope + "\n");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                stderr.WriteLine($"aibaseline report: --attestation: {options.Attestation}: cannot be written: {e.Message}");
                return AuditExitCodes.BadInput;
            }
        }

        return Written;
    }

    /// <summary>The report in <paramref name="format"/>, exactly as written, ending in a newline.</summary>
    public static string Render(EvidenceReport report, ReportFormat format)
    {
        switch (format)
        {
            case ReportFormat.Json:
                return ReportJson.Render(report) + "\n";
            case ReportFormat.Oscal:
                return OscalReport.Render(report) + "\n";
            default:
                var html = new StringWriter { NewLine = "\n" };
                ReportHtml.Write(report, html);
                return html.ToString();
        }
    }

    private static System.Security.Cryptography.ECDsa? LoadKey(ReportOptions options, TextWriter stderr, out bool failed)
    {
        failed = false;
        if (options.SignKey is null)
        {
            return null;
        }

        try
        {
            return Signing.SigningKeys.LoadPrivate(options.SignKey, options.KeyPassword);
        }
        catch (Signing.KeyFileException e)
        {
            stderr.WriteLine($"aibaseline report: {e.Message}");
            failed = true;
            return null;
        }
    }
}
