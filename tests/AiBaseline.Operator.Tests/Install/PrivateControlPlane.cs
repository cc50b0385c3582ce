using System.Diagnostics;
using AiBaseline.ControlPlane;
using AiBaseline.KubeEmulator.Tests;

namespace AiBaseline.Operator.Tests.Install;

/// <summary>
/// A real control plane of the install tests' own, started from <c>KUBEBUILDER_ASSETS</c>: installing and uninstalling
/// adds and deletes the CRDs, which would delete every AIModelDeployment of the scenarios sharing the run's cluster.
/// Skipped, saying why, without the assets; never run against a cluster named by a kubeconfig.
/// </summary>
public sealed class PrivateControlPlane : IAsyncLifetime
{
    private ControlPlane.ControlPlane? plane;

    /// <summary>Why the install tests cannot run here, or null.</summary>
    public string? SkipReason { get; private set; }

    public ControlPlane.ControlPlane Plane => plane ?? throw new InvalidOperationException(SkipReason);

    /// <summary>How long the control plane took to start, and to stop once the tests are done.</summary>
    public TimeSpan StartupTime { get; private set; }

    public async ValueTask InitializeAsync()
    {
        var (assets, missing) = ControlPlaneAssets.FromEnvironment();
        if (assets is null)
        {
            SkipReason = $"{missing}; the install tests add and delete CRDs, so they run only on a control plane of their own";
            return;
        }

        if (!assets.HasControllerManager)
        {
            SkipReason = $"{ControlPlaneAssets.Variable} names {assets.Directory}, which has no kube-controller-manager: the install tests need it to make the operator's pods and to delete namespaces";
            return;
        }

        var clock = Stopwatch.StartNew();
        plane = await ControlPlane.ControlPlane.StartAsync(assets, TestContext.Current.CancellationToken);
        StartupTime = clock.Elapsed;
    }

    public async ValueTask DisposeAsync()
    {
        if (plane is not null)
        {
            await plane.DisposeAsync();
        }
    }

    /// <summary>kubectl as the cluster administrator.</summary>
    internal Kubectl Kubectl() => new(Plane.AdminKubeconfig);

    /// <summary>Helm as the cluster administrator, with caches of its own.</summary>
    internal KubectlResult Helm(params IReadOnlyList<string> arguments)
    {
        var binary = Environment.GetEnvironmentVariable("AIBASELINE_HELM") is { Length: > 0 } fromEnvironment && File.Exists(fromEnvironment)
            ? fromEnvironment
            : Path.Combine(RepositoryRoot, ".tools", "kubectl-layer", "helm", "helm");
        var start = new ProcessStartInfo(binary) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = RepositoryRoot };
        foreach (var argument in (string[])["--kubeconfig", Plane.AdminKubeconfig, .. arguments])
        {
            start.ArgumentList.Add(argument);
        }

        var home = Path.Combine(Path.GetTempPath(), "aibaseline-install-tests-helm");
        start.Environment["HELM_CACHE_HOME"] = Path.Combine(home, "cache");
        start.Environment["HELM_CONFIG_HOME"] = Path.Combine(home, "config");
        start.Environment["HELM_DATA_HOME"] = Path.Combine(home, "data");
        start.Environment.Remove("KUBECONFIG");
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{binary} did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"helm {string.Join(' ', arguments)} did not finish in 2 minutes");
        }

        return new KubectlResult($"helm {string.Join(' ', arguments)}", process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>The repository this test run was built from.</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "aibaseline.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no aibaseline.slnx above {AppContext.BaseDirectory}");
    }
}
