using AiBaseline.Api.V1Alpha1;
using AiBaseline.Engine;
using AiBaseline.Engine.Gathering;

namespace AiBaseline.Audit;

/// <summary>Output formats of <c>aibaseline audit</c>.</summary>
public enum AuditFormat
{
    Text,
    Json,
    Sarif,
    Junit,
}

/// <summary>What the user asked the audit for.</summary>
/// <param name="Paths">Files, directories, or "-" for standard input.</param>
/// <param name="Namespace">The namespace of objects that name none.</param>
/// <param name="ProfileFile">A file holding the BaselineProfile to use when the input has none of the name a deployment asks for.</param>
/// <param name="Format">The report format.</param>
/// <param name="FailOnUnknown">Exit 1 when a deployment's Ready is Unknown.</param>
/// <param name="Color">Color the text report.</param>
public sealed record AuditOptions(IReadOnlyList<string> Paths, string Namespace = "default", string? ProfileFile = null, AuditFormat Format = AuditFormat.Text, bool FailOnUnknown = false, bool Color = false);

/// <summary>Exit codes of <c>aibaseline audit</c>.</summary>
public static class AuditExitCodes
{
    /// <summary>Every deployment is compliant (Unknown ones too, unless --fail-on-unknown).</summary>
    public const int Compliant = 0;

    /// <summary>A provision is not met, a deployment is stalled, or (with --fail-on-unknown) one is Unknown.</summary>
    public const int NotCompliant = 1;

    /// <summary>The input is wrong; nothing was judged.</summary>
    public const int BadInput = 2;
}

/// <summary>
/// The audit from arguments to exit code: read, decode, pair each deployment with its profile, evaluate with
/// the same engine the operator runs, and write the report. Problems in the input are all reported, and no
/// verdict is printed until the input is right.
/// </summary>
public static class AuditRun
{
    /// <summary>Runs the audit; returns the exit code.</summary>
    public static int Execute(AuditOptions options, TextReader stdin, TextWriter stdout, TextWriter stderr, TimeProvider clock)
    {
        var problems = new List<InputProblem>();
        var set = Load(options.Paths, options.Namespace, stdin, problems);
        var fallback = options.ProfileFile is null ? null : LoadProfile(options.ProfileFile, options.Namespace, stdin, problems);
        if (problems.Count == 0 && set.Deployments.Count == 0)
        {
            problems.Add(new InputProblem(string.Join(" ", options.Paths), 0, null, null,
                $"no {ApiGroup.AIModelDeploymentKind} found: add one (apiVersion {ApiGroup.GroupVersion}) beside the workload it describes, or point the audit at the folder that holds it"));
        }

        if (problems.Count > 0)
        {
            foreach (var problem in problems)
            {
                stderr.WriteLine(problem);
            }

            stderr.WriteLine($"aibaseline audit: {problems.Count} problem{(problems.Count == 1 ? "" : "s")} in the input; nothing was judged");
            return AuditExitCodes.BadInput;
        }

        var verdicts = Evaluate(set, fallback, clock);
        Reports.ReportWriter.Write(options, verdicts, stdout);
        var exit = ExitCode(verdicts, options.FailOnUnknown);
        if (options.Format != AuditFormat.Text && verdicts.Any(v => v.Verdict == Verdict.Unknown) && !options.FailOnUnknown)
        {
            stderr.WriteLine("aibaseline audit: warning: some deployments could not be fully checked offline (Ready Unknown); --fail-on-unknown makes that exit 1");
        }

        return exit;
    }

    /// <summary>Judges every deployment of the set, in input order.</summary>
    public static List<DeploymentVerdict> Evaluate(ManifestSet set, BaselineProfile? fallback, TimeProvider clock)
    {
        var builtIn = new BaselineProfile { Metadata = new() { Name = ApiGroup.DefaultProfileName } };
        var verdicts = new List<DeploymentVerdict>(set.Deployments.Count);
        foreach (var located in set.Deployments)
        {
            var name = BaselineEngine.ProfileName(located.Object);
            var (profile, source) = set.Profiles.TryGetValue(name, out var given) ? (given, "input")
                : fallback is not null ? (fallback, "--profile")
                : name == ApiGroup.DefaultProfileName ? (builtIn, "built-in")
                : (null, "not found");
            var snapshot = SnapshotAssembler.Assemble(located.Object, set.Index);
            verdicts.Add(new DeploymentVerdict(located, name, source, BaselineEngine.Evaluate(snapshot, profile, clock)));
        }

        return verdicts;
    }

    /// <summary>0 when all are compliant, 1 when any is not met or stalled (or Unknown with failOnUnknown).</summary>
    public static int ExitCode(IEnumerable<DeploymentVerdict> verdicts, bool failOnUnknown) =>
        verdicts.Any(v => v.Verdict is Verdict.NotCompliant or Verdict.Stalled || (failOnUnknown && v.Verdict == Verdict.Unknown))
            ? AuditExitCodes.NotCompliant
            : AuditExitCodes.Compliant;

    /// <summary>Reads and decodes the inputs.</summary>
    public static ManifestSet Load(IEnumerable<string> paths, string defaultNamespace, TextReader stdin, List<InputProblem> problems)
    {
        var (files, missing) = ManifestInput.Read(paths, stdin);
        problems.AddRange(missing);
        var decoder = new ManifestDecoder(defaultNamespace, problems);
        foreach (var file in files)
        {
            foreach (var document in YamlDocuments.Split(file, problems))
            {
                decoder.Add(document);
            }
        }

        return decoder.Set;
    }

    private static BaselineProfile? LoadProfile(string path, string defaultNamespace, TextReader stdin, List<InputProblem> problems)
    {
        var before = problems.Count;
        var set = Load([path], defaultNamespace, stdin, problems);
        if (problems.Count > before)
        {
            return null;
        }

        if (set.Profiles.Count != 1)
        {
            problems.Add(new InputProblem(path, 0, null, null, $"--profile needs a file with exactly one {ApiGroup.BaselineProfileKind}, found {set.Profiles.Count}"));
            return null;
        }

        return set.Profiles.Values.Single();
    }
}
