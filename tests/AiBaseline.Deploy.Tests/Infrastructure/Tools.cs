using System.Diagnostics;

namespace AiBaseline.Deploy.Tests.Infrastructure;

/// <summary>The output of one finished tool run.</summary>
internal sealed record ToolResult(string Command, int ExitCode, string Stdout, string Stderr)
{
    /// <summary>Fails the test with the tool's own words when it did not exit 0.</summary>
    public ToolResult EnsureSuccess()
    {
        Assert.True(ExitCode == 0, $"{Command} exited {ExitCode}:\n{Stderr}\n{Stdout}");
        return this;
    }
}

/// <summary>
/// The command-line tools the deploy tests drive. Each comes from an environment variable written by a
/// tests/setup.d script into $AIBASELINE_TOOLS/env.sh, with the default install path as fallback.
/// </summary>
internal static class Tools
{
    public static string Helm => Find("AIBASELINE_HELM", ".tools/kubectl-layer/helm/helm", "tests/setup.d/30-helm.sh");

    public static string Kubectl => Find("AIBASELINE_KUBECTL", ".tools/kubectl-layer/kubectl/kubectl", "tests/setup.d/30-helm.sh");

    public static string Lua => Find("AIBASELINE_LUA", "/usr/bin/lua5.4", "tests/setup.d/31-lua.sh");

    public static ToolResult Run(string tool, params IReadOnlyList<string> arguments)
    {
        var start = new ProcessStartInfo(tool)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Repo.Root,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // Helm keeps caches and config under HOME; a private directory keeps runs independent of the machine.
        var helmHome = Path.Combine(Path.GetTempPath(), "aibaseline-deploy-tests-helm");
        start.Environment["HELM_CACHE_HOME"] = Path.Combine(helmHome, "cache");
        start.Environment["HELM_CONFIG_HOME"] = Path.Combine(helmHome, "config");
        start.Environment["HELM_DATA_HOME"] = Path.Combine(helmHome, "data");

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{tool} did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{tool} {string.Join(' ', arguments)} did not finish in 2 minutes");
        }

        var command = $"{Path.GetFileName(tool)} {string.Join(' ', arguments)}";
        return new ToolResult(command, process.ExitCode, stdout.Result, stderr.Result);
    }

    private static string Find(string variable, string fallback, string installer)
    {
        var fromEnvironment = Environment.GetEnvironmentVariable(variable);
        if (!string.IsNullOrEmpty(fromEnvironment) && File.Exists(fromEnvironment))
        {
            return fromEnvironment;
        }

        var path = Path.IsPathRooted(fallback) ? fallback : Repo.Path(fallback);
        if (File.Exists(path))
        {
            return path;
        }

        throw new InvalidOperationException(
            $"{variable} is not set and {path} does not exist: run `bash tests/run.sh` (its {installer} installs it)");
    }
}
