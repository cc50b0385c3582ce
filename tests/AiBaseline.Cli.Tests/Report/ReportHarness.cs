using System.CommandLine;
using System.Text.Json;
using AiBaseline.Cli.Tests.Audit;
using AiBaseline.Commands;
using Microsoft.Extensions.Time.Testing;

namespace AiBaseline.Cli.Tests.Report;

/// <summary>Runs the real report command in-process, at the audit tests' fixed "today", with captured output.</summary>
public static class ReportHarness
{
    public static AuditResult Run(params string[] args) => RunWithStdin("", args);

    public static AuditResult RunWithStdin(string stdin, params string[] args)
    {
        var root = new RootCommand { ReportCommand.Create(new FakeTimeProvider(AuditHarness.Today), new StringReader(stdin)) };
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = UsageErrors.Invoke(root.Parse(["report", .. args]), new InvocationConfiguration { Output = stdout, Error = stderr });
        return new AuditResult(exit, stdout.ToString(), stderr.ToString());
    }

    /// <summary>The JSON report of <paramref name="args"/>, which must have been written.</summary>
    public static JsonElement Json(params string[] args)
    {
        var result = Run([.. args, "-o", "json"]);
        Assert.True(result.Exit == 0, result.All);
        return JsonDocument.Parse(result.Stdout).RootElement.Clone();
    }

    /// <summary>The deployment namespace/name of a JSON report.</summary>
    public static JsonElement Deployment(JsonElement report, string id) =>
        report.GetProperty("deployments").EnumerateArray().Single(d => $"{d.GetProperty("namespace").GetString()}/{d.GetProperty("name").GetString()}" == id);

    /// <summary>A provision of a deployment of a JSON report.</summary>
    public static JsonElement Provision(JsonElement deployment, string id) =>
        deployment.GetProperty("provisions").EnumerateArray().Single(p => p.GetProperty("id").GetString() == id);
}
