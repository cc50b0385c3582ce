using System.Diagnostics;
using System.Globalization;

namespace AiBaseline.ControlPlane;

/// <summary>
/// One binary of the control plane, its output appended to a log file. It never outlives the process that started it:
/// on Linux it runs under <c>setpriv --pdeathsig KILL</c>, and the kernel delivers that signal when the thread that
/// started it ends. So every child is started from one <see cref="Launcher"/> thread that lives until the control
/// plane stops, or until this process dies, however it dies.
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

    /// <summary>The thread every child is started from: it lives until <see cref="Dispose"/>, which the control plane calls last.</summary>
    internal sealed class Launcher : IDisposable
    {
        private readonly System.Collections.Concurrent.BlockingCollection<(ProcessStartInfo Info, string Name, string Log, TaskCompletionSource<ChildProcess> Started)> requests = [];
        private readonly Thread thread;

        public Launcher()
        {
            thread = new Thread(Run) { IsBackground = true, Name = "control-plane launcher" };
            thread.Start();
        }

        /// <summary>Starts <paramref name="binary"/> with <paramref name="arguments"/>, its output appended to <paramref name="logPath"/>.</summary>
        public Task<ChildProcess> StartAsync(string name, string binary, IEnumerable<string> arguments, string logPath)
        {
            var info = new ProcessStartInfo { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            if (OperatingSystem.IsLinux() && File.Exists("/usr/bin/setpriv"))
            {
                info.FileName = "/usr/bin/setpriv";
                foreach (var word in new[] { "--pdeathsig", "KILL", "--", binary })
                {
                    info.ArgumentList.Add(word);
                }
            }
            else
            {
                info.FileName = binary;
            }

            foreach (var argument in arguments)
            {
                info.ArgumentList.Add(argument);
            }

            var started = new TaskCompletionSource<ChildProcess>(TaskCreationOptions.RunContinuationsAsynchronously);
            requests.Add((info, name, logPath, started));
            return started.Task;
        }

        public void Dispose()
        {
            requests.CompleteAdding();
            thread.Join();
            requests.Dispose();
        }

        private void Run()
        {
            foreach (var (info, name, logPath, started) in requests.GetConsumingEnumerable())
            {
                try
                {
                    var process = Process.Start(info) ?? throw new InvalidOperationException($"{name} did not start");
                    var log = new StreamWriter(logPath, append: true) { AutoFlush = false };
                    started.SetResult(new ChildProcess(process, log) { Name = name, LogPath = logPath });
                }
                catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or IOException)
                {
                    started.SetException(new InvalidOperationException($"{name} did not start: {info.FileName}: {e.Message}", e));
                }
            }
        }
    }
}
