using System.Diagnostics;
using System.Globalization;
using AiBaseline.Audit;
using AiBaseline.Audit.Reports;

namespace AiBaseline.Benchmarks;

/// <summary>
/// The audit at scale on the serving stacks' kinds: the estate of <see cref="ScaleManifests"/> with each Deployment
/// replaced, in turn, by a LeaderWorkerSet (leader and worker), a KServe InferenceService (predictor and transformer)
/// and a RayCluster (head and two worker groups), so every deployment has two or three pod templates to judge. Prints
/// wall time, cost per deployment and peak working set, to show the cost stays linear in N. Run:
/// <c>dotnet run -c Release --project tests/AiBaseline.Benchmarks -- audit-scale-serving 1000 10000</c>.
/// </summary>
public static class ServingKindsScaleBenchmark
{
    /// <summary>The first argument that selects this mode.</summary>
    public const string Mode = "audit-scale-serving";

    public static int Run(IEnumerable<string> sizes)
    {
        var counts = sizes.Select(s => int.Parse(s, CultureInfo.InvariantCulture)).DefaultIfEmpty(1000).Order().ToList();
        Console.WriteLine($"{"deployments",12} {"templates",10} {"wall ms",10} {"µs/deployment",14} {"peak working set MiB",21}");
        foreach (var count in counts)
        {
            var dir = Directory.CreateTempSubdirectory("aibaseline-scale-serving-").FullName;
            try
            {
                for (var i = 0; i < count; i++)
                {
                    File.WriteAllText(Path.Combine(dir, $"{ScaleManifests.Name(i)}.yaml"), Deployment(i));
                }

                File.WriteAllText(Path.Combine(dir, "profile.yaml"), ScaleManifests.Profile);
                GC.Collect();
                var watch = Stopwatch.StartNew();
                var problems = new List<InputProblem>();
                var set = AuditRun.Load([dir], "default", TextReader.Null, problems);
                var verdicts = AuditRun.Evaluate(set, null, TimeProvider.System);
                ReportWriter.Write(new AuditOptions([dir]), verdicts, TextWriter.Null, DateTimeOffset.UnixEpoch);
                watch.Stop();
                var exit = problems.Count > 0 ? AuditExitCodes.BadInput : AuditRun.ExitCode(verdicts, failOnUnknown: false);
                if (exit != AuditExitCodes.NotCompliant || verdicts.Count != count)
                {
                    throw new InvalidOperationException($"expected {count} verdicts and exit 1 (every tenth deployment is not compliant), got {verdicts.Count} and {exit}: {string.Join("; ", problems.Take(3))}");
                }

                var templates = set.Index.AllWorkloads.Sum(w => w.Object.Workload.AllTemplates.Count());
                var peak = Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024);
                Console.WriteLine($"{count,12} {templates,10} {watch.ElapsedMilliseconds,10} {watch.Elapsed.TotalMicroseconds / count,14:F1} {peak,21:F0}");
            }
            finally
            {
                Directory.Delete(dir, recursive: true);
            }
        }

        return 0;
    }

    /// <summary>Deployment <paramref name="i"/> of <see cref="ScaleManifests"/> served by a LeaderWorkerSet, an InferenceService or a RayCluster.</summary>
    public static string Deployment(int i)
    {
        var text = ScaleManifests.Deployment(i);
        var start = text.IndexOf("apiVersion: apps/v1", StringComparison.Ordinal);
        var end = text.IndexOf("---", start, StringComparison.Ordinal);
        var (name, ns) = (ScaleManifests.Name(i), ScaleManifests.Namespace(i));
        var (kind, workload) = (i % 3) switch
        {
            0 => ("LeaderWorkerSet", $"apiVersion: leaderworkerset.x-k8s.io/v1\nkind: LeaderWorkerSet\nmetadata: {{name: {name}, namespace: {ns}}}\nspec:\n  leaderWorkerTemplate:\n    size: 2\n    leaderTemplate:\n{Template(name, i, "      ")}    workerTemplate:\n{Template(name, i, "      ")}"),
            1 => ("InferenceService", $"apiVersion: serving.kserve.io/v1beta1\nkind: InferenceService\nmetadata: {{name: {name}, namespace: {ns}, labels: {{app: {name}}}}}\nspec:\n  predictor:\n{PodSpec(name, i, "    ")}  transformer:\n{PodSpec(name, i, "    ")}"),
            _ => ("RayCluster", $"apiVersion: ray.io/v1\nkind: RayCluster\nmetadata: {{name: {name}, namespace: {ns}}}\nspec:\n  headGroupSpec:\n    template:\n{Template(name, i, "      ")}  workerGroupSpecs:\n  - groupName: gpu\n    template:\n{Template(name, i, "      ")}  - groupName: cpu\n    template:\n{Template(name, i, "      ")}"),
        };
        return text[..start].Replace("workloadRef: {kind: Deployment", $"workloadRef: {{kind: {kind}", StringComparison.Ordinal) + workload + text[end..];
    }

    private static string Template(string name, int i, string indent) =>
        $"{indent}metadata:\n{indent}  labels: {{app: {name}}}\n{indent}spec:\n{PodSpec(name, i, indent + "  ")}";

    private static string PodSpec(string name, int i, string indent)
    {
        var image = ScaleManifests.Compliant(i) ? ScaleManifests.PinnedImage : ScaleManifests.TaggedImage;
        return $$$"""
            {{{indent}}}serviceAccountName: {{{name}}}
            {{{indent}}}automountServiceAccountToken: false
            {{{indent}}}securityContext: {runAsNonRoot: true, seccompProfile: {type: RuntimeDefault} }
            {{{indent}}}containers:
            {{{indent}}}- name: server
            {{{indent}}}  image: {{{image}}}
            {{{indent}}}  env: [{name: HF_TOKEN, valueFrom: {secretKeyRef: {name: {{{name}}}-token, key: token} } }]
            {{{indent}}}  securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]} }

            """;
    }
}
