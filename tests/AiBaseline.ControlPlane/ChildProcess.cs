using System.Diagnostics;
using System.Globalization;

namespace AiBaseline.ControlPlane;

/// <summary>
/// One binary of the control plane, its output appended to a log file. It never outlives the process that started it
/// (<see cref="ParentBoundProcess"/>).
/// </summary>
internal sealed class ChildProcess : IDisposable
{
    private readonly Process process;
    private readonly StreamWriter log;

    private ChildProcess(Process process, StreamWriter log)
    {
        this.process = process;
        this.log = log;
        process.OutputDataReceived += (_, e) => Write(e.Data);
        process.ErrorDataReceived += (_, e) => Write(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Name { get; private init; } = "";

    public int Id => process.Id;

    public bool HasExited => process.HasExited;

    public string LogPath { get; private init; } = "";

    /// <summary>The last lines the child wrote, to explain why it did not come up.</summary>
    public string Tail(int lines = 15)
    {
        lock (log)
        {
            log.Flush();
        }

        var all = File.ReadAllLines(LogPath);
        return string.Join('\n', all.Skip(Math.Max(0, all.Length - lines)));
    }

    /// <summary>SIGTERM, as an administrator stops these servers; SIGKILL when it has not ended within <paramref name="grace"/>.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        if (process.HasExited)
        {
            return;
        }

        using (var kill = Process.Start(new ProcessStartInfo("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]) { UseShellExecute = false, RedirectStandardError = true }))
        {
            await kill!.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(grace);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            Kill();
            await process.WaitForExitAsync();
        }
    }

    public void Kill()
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    /// <summary>Starts <paramref name="binary"/> with <paramref name="arguments"/>, its output appended to <paramref name="logPath"/>.</summary>
    public static ChildProcess Start(string name, string binary, IEnumerable<string> arguments, string logPath)
    {
        var info = new ProcessStartInfo(binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        try
        {
            return new ChildProcess(ParentBoundProcess.Start(info), new StreamWriter(logPath, append: true)) { Name = name, LogPath = logPath };
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            throw new InvalidOperationException($"{name} did not start: {binary}: {e.Message}", e);
        }
    }

    public void Dispose()
    {
        Kill();
        process.Dispose();
        lock (log)
        {
            log.Dispose();
        }
    }

    private void Write(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (log)
        {
            log.WriteLine(line);
        }
    }
}
