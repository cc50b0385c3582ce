using System.Collections.Concurrent;
using System.Collections.Immutable;
using AiBaseline.Api.V1Alpha1;
using AiBaseline.Engine;
using AiBaseline.Engine.Gathering;
using AiBaseline.Engine.Waivers;

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
/// <param name="Verify">Check signatures and attestations at the registries; null leaves them unchecked.</param>
/// <param name="NamespaceGiven">Whether the user passed -n; when not, objects that name no namespace take the one namespace the others name, if they name exactly one.</param>
/// <param name="Discover">Also list the model servers that no AIModelDeployment declares, and exit 1 when there are any.</param>
public sealed record AuditOptions(IReadOnlyList<string> Paths, string Namespace = "default", string? ProfileFile = null, AuditFormat Format = AuditFormat.Text, bool FailOnUnknown = false, bool Color = false, VerifyOptions? Verify = null, bool NamespaceGiven = true, bool Discover = false);

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
        var set = Load(options.Paths, options.Namespace, stdin, problems, keepPullSecrets: options.Verify is not null, inferNamespace: !options.NamespaceGiven);
        var fallback = options.ProfileFile is null ? null : LoadProfile(options.ProfileFile, options.Namespace, stdin, problems);
        if (problems.Count == 0 && set.Deployments.Count == 0 && !options.Discover)
        {
            problems.Add(new InputProblem(string.Join(" ", options.Paths), 0, null, null,
                $"no {ApiGroup.AIModelDeploymentKind} found: add one (apiVersion {ApiGroup.GroupVersion}) beside the workload it describes, or point the audit at the folder that holds it"));
        }

        var verification = problems.Count == 0 && options.Verify is not null ? AuditVerifyStep.Prepare(set, fallback, options.Verify, clock, problems) : null;
        if (problems.Count > 0)
        {
            foreach (var problem in problems)
            {
                stderr.WriteLine(problem);
            }

            stderr.WriteLine($"aibaseline audit: {problems.Count} problem{(problems.Count == 1 ? "" : "s")} in the input; nothing was judged");
            return AuditExitCodes.BadInput;
        }

        var provenance = verification?.Run();
        var verdicts = Evaluate(set, fallback, clock, provenance, verification?.RunModels(), options.Format == AuditFormat.Json ? Reports.JsonReport.Rendered : null);
        var undeclared = options.Discover ? AuditDiscovery.Find(set) : null;
        Reports.ReportWriter.Write(options, verdicts, stdout, clock.GetUtcNow(), undeclared);
        var exit = undeclared is { Count: > 0 } ? AuditExitCodes.NotCompliant : ExitCode(verdicts, options.FailOnUnknown);
        if (options.Format != AuditFormat.Text && verdicts.Any(v => v.Verdict == Verdict.Unknown) && !options.FailOnUnknown)
        {
            stderr.WriteLine("aibaseline audit: warning: some deployments could not be fully checked offline (Ready Unknown); --fail-on-unknown makes that exit 1");
        }

        return exit;
    }

    /// <summary>Judges every deployment of the set, in input order.</summary>
    /// <param name="set">The loaded manifests.</param>
    /// <param name="fallback">The --profile profile, if any.</param>
    /// <param name="clock">The time evidence freshness is judged at.</param>
    /// <param name="provenance">Registry evidence per deployment (same order), or null when not verified.</param>
    /// <param name="modelSignatures">Model signature evidence per deployment (same order) by model name, or null when not verified.</param>
    /// <param name="finish">What each verdict becomes as soon as it is judged, on the thread that judged it (the JSON report renders its item there).</param>
    public static List<DeploymentVerdict> Evaluate(ManifestSet set, BaselineProfile? fallback, TimeProvider clock, IReadOnlyList<IReadOnlyDictionary<string, ArtifactVerification>?>? provenance = null,
        IReadOnlyList<ImmutableDictionary<string, ArtifactVerification>?>? modelSignatures = null, Func<DeploymentVerdict, DeploymentVerdict>? finish = null)
    {
        // Each deployment is judged alone (the engine is pure), so they are judged side by side, each into its slot.
        var verdicts = new DeploymentVerdict[set.Deployments.Count];
        var digests = new ConcurrentDictionary<BaselineProfile, string>(ReferenceEqualityComparer.Instance);
        var undeclared = AuditDiscovery.Find(set).Select(u => u.Object).GroupBy(u => u.Namespace, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToImmutableArray(), StringComparer.Ordinal);
        Parallelism.For(verdicts.Length, i =>
        {
            var located = set.Deployments[i];
            var (name, profile, source) = ProfileOf(set, fallback, located.Object);
            var snapshot = (SnapshotAssembler.Assemble(located.Object, set.Index, provenance?[i]) with
            {
                Waivers = [.. set.Waivers.Select(w => w.Object).Where(w => WaiverRules.Selects(w, located.Object))],
                ModelSignatures = modelSignatures?[i],
            }).WithUndeclaredModelServers(undeclared.GetValueOrDefault(located.Object.Metadata?.NamespaceProperty ?? "default", []));
            var digest = profile is null ? null : digests.GetOrAdd(profile, Report.ProfileDigest.Of);
            var verdict = new DeploymentVerdict(located, name, source, BaselineEngine.Evaluate(snapshot, profile, clock)) { ProfileSha256 = digest };
            verdicts[i] = finish is null ? verdict : finish(verdict);
        });

        return [.. verdicts];
    }

    /// <summary>The profile a deployment asks for and where it came from: input, --profile, built-in, or not found.</summary>
    public static (string Name, BaselineProfile? Profile, string Source) ProfileOf(ManifestSet set, BaselineProfile? fallback, AIModelDeployment deployment)
    {
        var name = BaselineEngine.ProfileName(deployment);
        return set.Profiles.TryGetValue(name, out var given) ? (name, given, "input")
            : fallback is not null ? (name, fallback, "--profile")
            : name == ApiGroup.DefaultProfileName ? (name, new BaselineProfile { Metadata = new() { Name = ApiGroup.DefaultProfileName } }, "built-in")
            : (name, null, "not found");
    }

    /// <summary>0 when all are compliant, 1 when any is not met or stalled (or Unknown with failOnUnknown).</summary>
    public static int ExitCode(IEnumerable<DeploymentVerdict> verdicts, bool failOnUnknown) =>
        verdicts.Any(v => v.Verdict is Verdict.NotCompliant or Verdict.Stalled || (failOnUnknown && v.Verdict == Verdict.Unknown))
            ? AuditExitCodes.NotCompliant
            : AuditExitCodes.Compliant;

    /// <summary>Reads and decodes the inputs.</summary>
    /// <param name="paths">Files, directories, or "-" for standard input.</param>
    /// <param name="defaultNamespace">The namespace of objects that name none.</param>
    /// <param name="stdin">Where "-" reads from.</param>
    /// <param name="problems">Collects what is wrong with the input.</param>
    /// <param name="keepPullSecrets">Keep the .dockerconfigjson of image pull secrets (only for --verify).</param>
    /// <param name="inferNamespace">
    /// When the objects that name a namespace all name the same one, objects that name none belong to it rather than to
    /// <paramref name="defaultNamespace"/>: what <c>helm template -n X</c> prints, where some templates write the release
    /// namespace and others leave it to <c>helm install -n X</c>.
    /// </param>
    public static ManifestSet Load(IEnumerable<string> paths, string defaultNamespace, TextReader stdin, List<InputProblem> problems, bool keepPullSecrets = false, bool inferNamespace = false)
    {
        var (files, missing) = ManifestInput.Read(paths, stdin);
        problems.AddRange(missing);
        return ManifestLoader.Load(files, defaultNamespace, problems, keepPullSecrets, inferNamespace);
    }

    /// <summary>Reads the --profile file: exactly one BaselineProfile, or a problem.</summary>
    public static BaselineProfile? LoadProfile(string path, string defaultNamespace, TextReader stdin, List<InputProblem> problems)
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
