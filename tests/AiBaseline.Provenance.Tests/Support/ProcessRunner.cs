using System.Diagnostics;

namespace AiBaseline.Provenance.Tests.Support;

/// <summary>Runs a command to completion and fails with its output when it exits non-zero.</summary>
internal static class ProcessRunner
{
    public static async Task<string> RunAsync(string program, IEnumerable<string> arguments, IDictionary<string, string>? environment = null, string? workingDirectory = null)
    {
        var (exitCode, stdout, stderr) = await TryRunAsync(program, [.. arguments], environment, workingDirectory);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(program)} {string.Join(' ', arguments)} exited {exitCode}: {stderr}{stdout}");
        }

        return stdout;
    }

    /// <summary>Runs a command to completion; its exit code and output, whatever the exit code.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> TryRunAsync(string program, IReadOnlyList<string> arguments, IDictionary<string, string>? environment = null, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {program}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{Path.GetFileName(program)} {string.Join(' ', start.ArgumentList)} did not finish within 2 minutes");
        }

        return (process.ExitCode, await stdout, await stderr);
    }
}
