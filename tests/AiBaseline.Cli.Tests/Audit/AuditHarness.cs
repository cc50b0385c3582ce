using System.CommandLine;
using AiBaseline.Commands;
using Microsoft.Extensions.Time.Testing;

namespace AiBaseline.Cli.Tests.Audit;

/// <summary>What one run of <c>aibaseline audit</c> printed and returned.</summary>
public sealed record AuditResult(int Exit, string Stdout, string Stderr)
{
    public string All => Stdout + Stderr;
}

/// <summary>Runs the real audit command in-process, with a fixed clock and captured output.</summary>
public static class AuditHarness
{
    /// <summary>The tests' "today": after every example's evidence date, so freshness is what users see.</summary>
    public static readonly DateTimeOffset Today = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    public static string Examples(string relative = "") => Path.Combine(RepositoryPaths.Examples, relative);

    public static AuditResult Run(params string[] args) => RunWithStdin("", args);

    public static AuditResult RunWithStdin(string stdin, params string[] args)
    {
        var root = new RootCommand { AuditCommand.Create(new FakeTimeProvider(Today), new StringReader(stdin)) };
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = UsageErrors.Invoke(root.Parse(["audit", .. args]), new InvocationConfiguration { Output = stdout, Error = stderr });
        return new AuditResult(exit, stdout.ToString(), stderr.ToString());
    }
}

/// <summary>A temporary folder of manifests, deleted after the test.</summary>
public sealed class TempManifests : IDisposable
{
    public string Dir { get; } = Directory.CreateTempSubdirectory("aibaseline-audit-").FullName;

    public string Write(string name, string text)
    {
        var path = Path.Combine(Dir, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    public void Dispose() => Directory.Delete(Dir, recursive: true);
}
