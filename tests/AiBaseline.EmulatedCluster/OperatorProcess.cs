using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Reflection;

namespace AiBaseline.EmulatedCluster;

/// <summary>Resident memory of a process in MiB, from <c>/proc/PID/status</c>.</summary>
/// <param name="ResidentMiB">VmRSS: resident now.</param>
/// <param name="PeakResidentMiB">VmHWM: the highest resident size so far.</param>
internal sealed record ProcessMemory(double ResidentMiB, double PeakResidentMiB);

/// <summary>
/// The real operator (<c>dotnet src/AiBaseline/bin/CONFIGURATION/net10.0/aibaseline.dll operator ...</c>) as a child
/// process whose output lines go to a callback. The child never outlives this process: it is stopped with SIGTERM
/// (then killed) on <see cref="StopAsync"/>, killed when this process exits or crashes, and on Linux started under
/// <c>setpriv --pdeathsig KILL</c>, so the kernel kills it even when this process is killed outright.
/// </summary>
internal sealed class OperatorProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly TaskCompletionSource<int> exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private OperatorProcess(Process process)
    {
        this.process = process;
        AppDomain.CurrentDomain.ProcessExit += KillOnExit;
        AppDomain.CurrentDomain.UnhandledException += KillOnExit;
    }

    /// <summary>The child's process id.</summary>
    public int Id => process.Id;

    /// <summary>Completes with the exit code when the child ends.</summary>
    public Task<int> Exited => exited.Task;

    /// <summary>Where the operator built in this program's configuration lives.</summary>
    public static string OperatorDll(string repositoryRoot)
    {
        var configuration = typeof(OperatorProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "Configuration")?.Value ?? "Debug";
        return Path.Combine(repositoryRoot, "src", "AiBaseline", "bin", configuration, "net10.0", "aibaseline.dll");
    }

    /// <summary>A loopback port nobody listens on right now, for the operator's metrics.</summary>
    public static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// Starts <c>aibaseline operator</c> with <paramref name="arguments"/> and, when given, extra environment variables
    /// (such as the downward API's <c>POD_NAMESPACE</c>); every line it writes goes to <paramref name="output"/>.
    /// </summary>
    public static OperatorProcess Start(string repositoryRoot, IEnumerable<string> arguments, Action<string> output, IReadOnlyDictionary<string, string>? environment = null)
    {
        var dll = OperatorDll(repositoryRoot);
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"the operator is not built at {dll}: run `dotnet build src/AiBaseline` with the same configuration first", dll);
        }

        var info = new ProcessStartInfo { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (OperatingSystem.IsLinux() && File.Exists("/usr/bin/setpriv"))
        {
            info.FileName = "/usr/bin/setpriv";
            foreach (var word in new[] { "--pdeathsig", "KILL", "--" })
            {
                info.ArgumentList.Add(word);
            }

            info.ArgumentList.Add(DotnetHost());
        }
        else
        {
            info.FileName = DotnetHost();
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        info.ArgumentList.Add(dll);
        info.ArgumentList.Add("operator");
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        // The kernel sends the parent-death signal when the thread that forked the child ends, not the process, so the
        // child is started from a thread that lives as long as the child does.
        OperatorProcess? started = null;
        Exception? failure = null;
        using var ready = new ManualResetEventSlim();
        var thread = new Thread(() =>
        {
            try
            {
                var process = new Process { StartInfo = info, EnableRaisingEvents = true };
                process.OutputDataReceived += (_, e) => Forward(e.Data, output);
                process.ErrorDataReceived += (_, e) => Forward(e.Data, output);
                process.Start();
                process.BeginOutputReadLine();
                process.BeginErrorReadLine();
                started = new OperatorProcess(process);
            }
            catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
            {
                failure = e;
            }

            ready.Set();
            if (started is { } child)
            {
                child.process.WaitForExit();
                child.exited.TrySetResult(child.process.ExitCode);
            }
        })
        { IsBackground = true, Name = "operator child" };
        thread.Start();
        ready.Wait();
        return started ?? throw new InvalidOperationException($"could not start {info.FileName}: {failure?.Message}", failure);
    }

    /// <summary>The child's resident memory now and at its peak; null once it has ended.</summary>
    public ProcessMemory? Memory()
    {
        try
        {
            var lines = File.ReadAllLines($"/proc/{process.Id}/status");
            double Field(string name) => lines.Where(l => l.StartsWith(name + ":", StringComparison.Ordinal))
                .Select(l => double.Parse(l[(name.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024)
                .FirstOrDefault();
            return new ProcessMemory(Field("VmRSS"), Field("VmHWM"));
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>Asks the operator to stop (SIGTERM, as Kubernetes does) and kills it when it has not ended within <paramref name="grace"/>.</summary>
    public async Task<int> StopAsync(TimeSpan grace)
    {
        if (!exited.Task.IsCompleted)
        {
            using (var kill = Process.Start(new ProcessStartInfo("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]) { UseShellExecute = false, RedirectStandardError = true }))
            {
                // "No such process" when Ctrl-C reached the child first is not worth showing.
                await kill!.WaitForExitAsync();
            }

            if (await Task.WhenAny(exited.Task, Task.Delay(grace)) != exited.Task)
            {
                Kill();
            }
        }

        return await exited.Task;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.FromSeconds(10));
        AppDomain.CurrentDomain.ProcessExit -= KillOnExit;
        AppDomain.CurrentDomain.UnhandledException -= KillOnExit;
        process.Dispose();
    }

    private void KillOnExit(object? sender, EventArgs e) => Kill();

    private void Kill()
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already ended.
        }
    }

    private static void Forward(string? line, Action<string> output)
    {
        if (line is not null)
        {
            output(line);
        }
    }

    /// <summary>The dotnet host running this program, so the operator runs on the same runtime.</summary>
    private static string DotnetHost() =>
        Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet" ? path : "dotnet";
}
