using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace AiBaseline.Provenance.Tests.Support;

/// <summary>
/// A Debian docker-registry (distribution 2.8) serving on a free loopback port, optionally with TLS and htpasswd
/// Basic auth. Its storage outlives <see cref="Stop"/>, so a restart serves the same content; <see cref="Dispose"/>
/// kills the process and deletes its directory.
/// </summary>
internal sealed class RegistryProcess : IDisposable
{
    private readonly string workDir;
    private readonly string configPath;
    private readonly string logPath;
    private Process? process;
    private StreamWriter? log;

    private RegistryProcess(string workDir, string configPath, string logPath, int port, bool tls)
    {
        this.workDir = workDir;
        this.configPath = configPath;
        this.logPath = logPath;
        Port = port;
        Tls = tls;
    }

    public int Port { get; }

    public bool Tls { get; }

    /// <summary>"127.0.0.1:port", the registry part of image references.</summary>
    public string Host => $"127.0.0.1:{Port}";

    public Uri BaseUri => new($"{(Tls ? "https" : "http")}://{Host}/");

    /// <summary>Starts a registry; with <paramref name="tls"/>, certificate, key and htpasswd paths are given.</summary>
    public static async Task<RegistryProcess> StartAsync(string workDir, (string Certificate, string Key, string Htpasswd)? tls = null)
    {
        Directory.CreateDirectory(workDir);
        var port = FreePort();
        var config = $"""
            version: 0.1
            log: {"{"}level: warn{"}"}
            storage:
              filesystem: {"{"}rootdirectory: {Path.Combine(workDir, "data")}{"}"}
              delete: {"{"}enabled: true{"}"}
            http:
              addr: "127.0.0.1:{port}"
              secret: test-only-not-a-secret
            """;
        if (tls is { } t)
        {
            config += $"""

                  tls: {"{"}certificate: {t.Certificate}, key: {t.Key}{"}"}
                auth:
                  htpasswd: {"{"}realm: test-registry, path: {t.Htpasswd}{"}"}
                """;
        }

        var configPath = Path.Combine(workDir, "registry.yml");
        await File.WriteAllTextAsync(configPath, config + "\n");
        var registry = new RegistryProcess(workDir, configPath, Path.Combine(workDir, "registry.log"), port, tls is not null);
        await registry.StartAgainAsync();
        return registry;
    }

    /// <summary>Starts the process (again, after <see cref="Stop"/>) and waits until /v2/ answers.</summary>
    public async Task StartAgainAsync()
    {
        var start = new ProcessStartInfo(Tools.DockerRegistry) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("serve");
        start.ArgumentList.Add(configPath);
        // The registry dies with the test run, however it ends.
        process = AiBaseline.ControlPlane.ParentBoundProcess.Start(start);
        var writer = log = File.AppendText(logPath);
        process.OutputDataReceived += (_, e) => Append(writer, e.Data);
        process.ErrorDataReceived += (_, e) => Append(writer, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"docker-registry exited {process.ExitCode}; see {logPath}");
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }

        throw new TimeoutException($"docker-registry on {Host} did not listen within 20 s; see {logPath}");
    }

    /// <summary>Kills the registry process; its storage stays.</summary>
    public void Stop()
    {
        if (process is { HasExited: false })
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
        }

        process?.Dispose();
        process = null;
        if (log is not null)
        {
            lock (log)
            {
                log.Dispose();
            }
        }

        log = null;
    }

    public void Dispose()
    {
        Stop();
        try
        {
            Directory.Delete(workDir, recursive: true);
        }
        catch (IOException)
        {
            // The log writer may still hold the file for a moment; the temp directory is left for the OS.
        }
    }

    private static void Append(StreamWriter writer, string? line)
    {
        lock (writer)
        {
            // Lines arriving after Stop closed the log are dropped: the process is being killed.
            if (line is not null && writer.BaseStream.CanWrite)
            {
                writer.WriteLine(line);
                writer.Flush();
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
