using System.CommandLine;

namespace AiBaseline.Commands;

/// <summary>
/// Runs a parsed command line so that a usage error is one line on stderr, <c>aibaseline COMMAND: what is wrong</c>,
/// and exit code 2, never help text or a stack trace. Exit 1 stays "not compliant" for <c>audit</c>.
/// </summary>
internal static class UsageErrors
{
    /// <summary>The exit code of a command line that could not be used.</summary>
    public const int ExitCode = 2;

    public static Task<int> InvokeAsync(ParseResult parse, InvocationConfiguration? configuration = null, CancellationToken cancellationToken = default)
    {
        if (parse.Errors.Count == 0)
        {
            return parse.InvokeAsync(configuration, cancellationToken);
        }

        Report(parse, configuration?.Error ?? Console.Error);
        return Task.FromResult(ExitCode);
    }

    public static int Invoke(ParseResult parse, InvocationConfiguration? configuration = null)
    {
        if (parse.Errors.Count == 0)
        {
            return parse.Invoke(configuration);
        }

        Report(parse, configuration?.Error ?? Console.Error);
        return ExitCode;
    }

    /// <summary>Writes one line for a usage error found after parsing, such as a kubeconfig that cannot be read.</summary>
    public static int Report(TextWriter error, string command, string problem)
    {
        error.WriteLine($"aibaseline {command}: {OneLine(problem)}");
        return ExitCode;
    }

    // The first error only: one line that names the flag is what a user fixes; the next run reports the next one.
    private static void Report(ParseResult parse, TextWriter error)
    {
        var command = parse.CommandResult.Command;
        var prefix = command is RootCommand ? "aibaseline" : $"aibaseline {command.Name}";
        error.WriteLine($"{prefix}: {OneLine(parse.Errors[0].Message)}");
    }

    private static string OneLine(string message) =>
        string.Join(' ', message.Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
