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
            Arity = ArgumentArity.ZeroOrMore,
        };
        var ns = new Option<string>("--namespace", "-n")
        {
            Description = "Namespace of objects that name none (default: the one namespace the other objects name, else default)",
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
            CustomParser = r => OptionValues.OneOf(r, [("text", AuditFormat.Text), ("json", AuditFormat.Json), ("sarif", AuditFormat.Sarif), ("junit", AuditFormat.Junit)]),
            HelpName = "text|json|sarif|junit",
        };
        var failOnUnknown = new Option<bool>("--fail-on-unknown")
        {
            Description = "Exit 1 when a deployment could not be fully checked (Ready Unknown); by default that only warns",
        };

        var discover = new Option<bool>("--discover")
        {
            Description = "Also list the model servers (known serving images, GPU requests, serving kinds) that no AIModelDeployment declares; exit 1 when there are any",
        };

        var verify = new Option<bool>("--verify")
        {
            Description = "Check image and oci:// model signatures and attestations at their registries against the profile's signatureKeys",
        };
        var registryCa = new Option<string?>("--registry-ca")
        {
            Description = "With --verify: a PEM file of extra CA certificates to trust for registries",
        };
        var insecure = new Option<string[]>("--insecure-registry")
        {
            Description = "With --verify: a registry HOST[:PORT] to reach over plain HTTP (repeatable); loopback registries always are",
        };
        var timeout = new Option<int>("--verify-timeout")
        {
            Description = "With --verify: seconds to wait for each registry request",
            DefaultValueFactory = _ => 10,
            CustomParser = r => OptionValues.WholeNumber(r, minimum: 1, "seconds"),
        };

        var modelRoot = new Option<string[]>("--model-root")
        {
            Description = "With --verify: where the files of signed models are (repeatable): DIR reads pvc://CLAIM/PATH from DIR/CLAIM/PATH; PREFIX=DIR, such as pvc://weights=/data, reads sources under PREFIX from DIR",
        };

        var command = new Command("audit", "Check AIModelDeployments and their workloads in manifests against EN 304 223; exit 0 compliant, 1 not compliant, 2 bad input")
        {
            paths, ns, profile, output, failOnUnknown, discover, verify, registryCa, insecure, timeout, modelRoot,
        };
        command.Validators.Add(r =>
        {
            if (r.GetValue(paths) is not { Length: > 0 })
            {
                r.AddError("no input: name files or directories of manifests, or - for standard input");
            }
            else if (r.GetValue(modelRoot) is { Length: > 0 } && !r.GetValue(verify))
            {
                r.AddError("--model-root is for --verify: add --verify to check the models' signatures");
            }
        });
        command.SetAction(result =>
        {
            var invocation = result.InvocationConfiguration;
            var options = new AuditOptions(
                result.GetRequiredValue(paths),
                result.GetRequiredValue(ns),
                result.GetValue(profile),
                result.GetValue(output),
                result.GetValue(failOnUnknown),
                Color: UseColor(invocation.Output),
                Verify: result.GetValue(verify)
                    ? new VerifyOptions(result.GetValue(registryCa), result.GetValue(insecure) ?? [], TimeSpan.FromSeconds(result.GetValue(timeout)), result.GetValue(modelRoot) ?? [])
                    : null,
                NamespaceGiven: result.GetResult(ns) is { Implicit: false },
                Discover: result.GetValue(discover));
            return AuditRun.Execute(options, stdin ?? Console.In, invocation.Output, invocation.Error, clock);
        });
        return command;
    }

    private static bool UseColor(TextWriter output) =>
        ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected
        && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"));
}
