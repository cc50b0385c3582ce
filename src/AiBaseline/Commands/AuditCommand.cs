using System.CommandLine;
using AiBaseline.Audit;

namespace AiBaseline.Commands;

/// <summary><c>aibaseline audit PATH... | -</c>: judges manifests offline with the operator's engine.</summary>
internal static class AuditCommand
{
    /// <param name="clock">The time evidence freshness is judged at.</param>
    /// <param name="stdin">Where "-" reads from; standard input when null.</param>
    public static Command Create(TimeProvider clock, TextReader? stdin = null)
    {
        var paths = new Argument<string[]>("paths")
        {
            Description = "YAML or JSON files, directories (searched recursively for *.yaml, *.yml, *.json), or - for standard input",
            Arity = ArgumentArity.OneOrMore,
        };
        var ns = new Option<string>("--namespace", "-n")
        {
            Description = "Namespace of objects that name none",
            DefaultValueFactory = _ => "default",
        };
        var profile = new Option<string?>("--profile")
        {
            Description = "A file with the BaselineProfile to use when the input holds none of the name a deployment asks for",
        };
        var output = new Option<AuditFormat>("--output", "-o")
        {
            Description = "Report format: text, json, sarif or junit",
            DefaultValueFactory = _ => AuditFormat.Text,
        };
        var failOnUnknown = new Option<bool>("--fail-on-unknown")
        {
            Description = "Exit 1 when a deployment could not be fully checked (Ready Unknown); by default that only warns",
        };

        var command = new Command("audit", "Check AIModelDeployments and their workloads in manifests against EN 304 223; exit 0 compliant, 1 not compliant, 2 bad input")
        {
            paths, ns, profile, output, failOnUnknown,
        };
        command.SetAction(result =>
        {
            var invocation = result.InvocationConfiguration;
            var options = new AuditOptions(
                result.GetRequiredValue(paths),
                result.GetRequiredValue(ns),
                result.GetValue(profile),
                result.GetValue(output),
                result.GetValue(failOnUnknown),
                Color: UseColor(invocation.Output));
            return AuditRun.Execute(options, stdin ?? Console.In, invocation.Output, invocation.Error, clock);
        });
        return command;
    }

    private static bool UseColor(TextWriter output) =>
        ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected
        && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"));
}
