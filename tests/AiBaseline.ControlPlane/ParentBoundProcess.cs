using System.Collections.Concurrent;
using System.Diagnostics;

namespace AiBaseline.ControlPlane;

/// <summary>
/// Starts processes that cannot outlive this one, however it ends (a failed test, Ctrl-C, kill -9 of the test run). On
/// Linux each runs under <c>setpriv --pdeathsig KILL</c>. The kernel delivers that signal when the <em>thread</em> that
/// started the child ends, not the process, so every child is started from one thread that lives as long as the process.
/// The servers the tests start (the control plane, a registry) use it.
/// </summary>
public static class ParentBoundProcess
{
    private static readonly BlockingCollection<(ProcessStartInfo Info, TaskCompletionSource<Process> Started)> Requests = [];

    static ParentBoundProcess()
    {
        new Thread(Run) { IsBackground = true, Name = "child process launcher" }.Start();
    }

    /// <summary>Starts <paramref name="info"/> (rewritten to run under setpriv where there is one) and returns the process.</summary>
    public static Process Start(ProcessStartInfo info)
    {
        if (OperatingSystem.IsLinux() && File.Exists("/usr/bin/setpriv"))
        {
            var arguments = info.ArgumentList.ToList();
            info.ArgumentList.Clear();
            foreach (var word in (string[])["--pdeathsig", "KILL", "--", info.FileName, .. arguments])
            {
                info.ArgumentList.Add(word);
            }

            info.FileName = "/usr/bin/setpriv";
        }

        var started = new TaskCompletionSource<Process>(TaskCreationOptions.RunContinuationsAsynchronously);
        Requests.Add((info, started));
        return started.Task.GetAwaiter().GetResult();
    }

    private static void Run()
    {
        foreach (var (info, started) in Requests.GetConsumingEnumerable())
        {
            try
            {
                started.SetResult(Process.Start(info) ?? throw new InvalidOperationException($"{info.FileName} did not start"));
            }
            catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                started.SetException(e);
            }
        }
    }
}
