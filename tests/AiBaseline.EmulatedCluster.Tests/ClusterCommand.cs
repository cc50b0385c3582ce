using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;

namespace AiBaseline.EmulatedCluster.Tests;

/// <summary>The built <c>AiBaseline.EmulatedCluster</c> command running as its own process, with its output collected.</summary>
internal sealed partial class ClusterCommand : IAsyncDisposable
{
    private readonly Process process;
    private readonly ConcurrentQueue<string> lines = new();

    private ClusterCommand(Process process) => this.process = process;

    public int Id => process.Id;

    public string Output => string.Join('\n', lines);

    public static ClusterCommand Start(params string[] arguments)
    {
        var configuration = typeof(ClusterCommand).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().First(a => a.Key == "Configuration").Value!;
        var dll = Path.Combine(RepositoryRoot.Find(), "tests", "AiBaseline.EmulatedCluster", "bin", configuration, "net10.0", "AiBaseline.EmulatedCluster.dll");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(dll);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = info };
        var command = new ClusterCommand(process);
        process.OutputDataReceived += (_, e) => command.Collect(e.Data);
        process.ErrorDataReceived += (_, e) => command.Collect(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return command;
    }

    /// <summary>Waits for the ready line and returns the operator's pid printed under it (null with --no-operator).</summary>
    public async Task<int?> WaitUntilReadyAsync()
    {
        await EventuallyAsync(() => lines.Contains("The emulated cluster is ready."), "the ready line", 180);
        await EventuallyAsync(() => lines.Any(l => l.Contains("Ctrl-C stops it.", StringComparison.Ordinal)), "the end of the ready block", 10);
        var pid = lines.Select(l => OperatorPid().Match(l)).FirstOrDefault(m => m.Success);
        return pid is null ? null : int.Parse(pid.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    /// <summary>Sends a signal (TERM, KILL) to the command, as a terminal or a supervisor would.</summary>
    public async Task SignalAsync(string signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", process.Id.ToString(CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>Waits for the command to end and returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(int seconds)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(seconds));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
        {
            Assert.Fail($"the command still runs {seconds} s after being asked to stop; its output:\n{Output}");
        }

        return process.ExitCode;
    }

    /// <summary>Whether a process with this id is alive (a zombie awaiting its parent counts as gone).</summary>
    public static bool IsRunning(int pid)
    {
        var status = $"/proc/{pid}/status";
        if (!File.Exists(status))
        {
            return false;
        }

        try
        {
            return !File.ReadLines(status).Any(l => l.StartsWith("State:", StringComparison.Ordinal) && l.Contains('Z', StringComparison.Ordinal));
        }
        catch (IOException)
        {
            return false;
        }
    }

    public static async Task EventuallyAsync(Func<bool> condition, string what, int seconds)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"not reached within {seconds} s: {what}");
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
    }

    private void Collect(string? line)
    {
        if (line is not null)
        {
            lines.Enqueue(line);
        }
    }

    [GeneratedRegex(@"Operator \(pid (\d+)\)")]
    private static partial Regex OperatorPid();
}
