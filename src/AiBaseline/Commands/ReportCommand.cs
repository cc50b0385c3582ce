using System.CommandLine;
using AiBaseline.Report;

namespace AiBaseline.Commands;

/// <summary>
/// <c>aibaseline report [PATH... | -]</c>: the conformity evidence report, from manifests (judged as the audit
/// judges them) or, without paths, from the cluster's statuses.
/// </summary>
internal static class ReportCommand
{
    /// <param name="clock">The time the report is made at (and evidence freshness judged at, for manifests).</param>
    /// <param name="stdin">Where "-" reads from; standard input when null.</param>
    public static Command Create(TimeProvider clock, TextReader? stdin = null)
    {
        var paths = new Argument<string[]>("paths")
        {
            Description = "YAML or JSON files or directories of manifests, or - for standard input; none to read the cluster",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var output = new Option<ReportFormat>("--output", "-o")
        {
            Description = "Report format: html (a page to read and print), json (docs/report/report.schema.json), oscal (NIST OSCAL Assessment Results 1.1.3)",
            DefaultValueFactory = _ => ReportFormat.Html,
            CustomParser = r => OptionValues.OneOf(r, [("html", ReportFormat.Html), ("json", ReportFormat.Json), ("oscal", ReportFormat.Oscal)]),
            HelpName = "html|json|oscal",
        };
        var ns = new Option<string[]>("--namespace", "-n")
        {
            Description = "Cluster: the namespaces to report (repeatable or comma-separated; default all). Manifests: the namespace of objects that name none",
            CustomParser = OptionValues.NamespaceNames,
        };
        var selector = new Option<LabelSelector?>("--selector", "-l")
        {
            Description = "Only AIModelDeployments whose labels match, such as team=search,tier!=dev",
            CustomParser = r =>
            {
                var text = r.Tokens.Count == 0 ? "" : r.Tokens[0].Value;
                var parsed = LabelSelector.Parse(text, out var problem);
                if (parsed is null)
                {
                    r.AddError($"--selector: {problem}");
                }

                return parsed;
            },
        };
        var profile = new Option<string?>("--profile")
        {
            Description = "Manifests: a file with the BaselineProfile to use when the input holds none of the name a deployment asks for",
        };
        var kubeconfig = new Option<string?>("--kubeconfig")
        {
            Description = "Cluster: the kubeconfig file (default: $KUBECONFIG, in-cluster, ~/.kube/config)",
        };

        var signKey = new Option<string?>("--sign-key")
        {
            Description = "Sign the report with this ECDSA P-256 private key (PEM, or cosign's encrypted key with COSIGN_PASSWORD) as an in-toto attestation written to --attestation",
        };
        var attestation = new Option<string?>("--attestation")
        {
            Description = "With --sign-key: the file to write the signed DSSE envelope to; cosign verify-blob-attestation checks it against the report",
        };

        var command = new Command("report", "Write a conformity evidence report per provision of EN 304 223 for the AIModelDeployments in manifests or in the cluster; exit 0 when written, 2 when it could not be made")
        {
            paths, output, ns, selector, profile, kubeconfig, signKey, attestation, ReportVerifyCommand.Create(),
        };
        command.Validators.Add(r =>
        {
            var given = r.GetValue(paths) is { Length: > 0 };
            if (given && r.GetValue(kubeconfig) is not null)
            {
                r.AddError("--kubeconfig reads the cluster: give either manifest paths or --kubeconfig, not both");
            }
            else if (given && r.GetValue(ns) is { Length: > 1 })
            {
                r.AddError("--namespace: with manifests it is the one namespace of objects that name none: give one");
            }
            else if ((r.GetValue(signKey) is null) != (r.GetValue(attestation) is null))
            {
                r.AddError("--sign-key and --attestation go together: the key signs, the attestation file receives the signed envelope");
            }
            else if (!given && r.GetValue(profile) is not null)
            {
                r.AddError("--profile is for manifests: in the cluster each deployment's profile is the BaselineProfile it names");
            }
        });
        command.SetAction((result, cancellationToken) =>
        {
            var invocation = result.InvocationConfiguration;
            var given = result.GetValue(paths) ?? [];
            var namespaces = result.GetValue(ns) ?? [];
            var options = new ReportOptions(
                given,
                result.GetValue(output),
                Namespace: given.Length > 0 ? namespaces.FirstOrDefault() ?? "default" : null,
                Namespaces: given.Length > 0 ? [] : namespaces,
                Selector: result.GetValue(selector),
                ProfileFile: result.GetValue(profile),
                Kubeconfig: result.GetValue(kubeconfig),
                SignKey: result.GetValue(signKey),
                Attestation: result.GetValue(attestation),
                KeyPassword: Environment.GetEnvironmentVariable("COSIGN_PASSWORD"));
            return ReportRun.ExecuteAsync(options, stdin ?? Console.In, invocation.Output, invocation.Error, clock, cancellationToken);
        });
        return command;
    }
}
