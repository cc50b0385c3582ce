using System.CommandLine;
using System.Diagnostics;
using AiBaseline.Commands;

namespace AiBaseline.Cli.Tests.Usage;

/// <summary>What one run of <c>aibaseline</c> printed and returned.</summary>
public sealed record CommandLineResult(int Exit, string Stdout, string Stderr);

/// <summary>Runs <c>aibaseline</c> as a user does: in-process with every command, or as its own process.</summary>
public static class CommandLineRun
{
    /// <summary>Parses <paramref name="args"/> with the commands of the executable, without running anything.</summary>
    public static ParseResult Parse(params string[] args)
    {
        var root = new RootCommand();
        foreach (var command in CommandSet.All())
        {
            root.Subcommands.Add(command);
        }

        return root.Parse(args);
    }

    /// <summary>Parses and invokes <paramref name="args"/> with the commands of the executable, capturing the output.</summary>
    public static CommandLineResult InProcess(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = UsageErrors.Invoke(Parse(args), new InvocationConfiguration { Output = stdout, Error = stderr });
        return new CommandLineResult(exit, stdout.ToString(), stderr.ToString());
    }

    /// <summary>
    /// Runs the built <c>aibaseline.dll</c> (copied next to the tests) with <paramref name="args"/>; the environment
    /// variables in <paramref name="environment"/> are set, or removed where the value is null.
    /// </summary>
    public static async Task<CommandLineResult> ProcessAsync(IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        var info = new ProcessStartInfo
        {
            FileName = Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet" ? path : "dotnet",
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "aibaseline.dll"));
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in environment)
        {
            if (value is null)
            {
                info.Environment.Remove(name);
            }
            else
            {
                info.Environment[name] = value;
            }
        }

        using var process = Process.Start(info)!;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return new CommandLineResult(process.ExitCode, await stdout, await stderr);
    }
}
