using System.Collections.Concurrent;

namespace AiBaseline.Deploy.Tests.Infrastructure;

/// <summary>
/// The manifests a user would apply: `kubectl kustomize deploy/` and `helm template` of the chart, rendered once per
/// input and shared by the tests.
/// </summary>
internal static class Renders
{
    /// <summary>The release name and namespace the install docs use, so resource names match deploy/.</summary>
    public const string Release = "aibaseline";
    public const string Namespace = "aibaseline-system";

    /// <summary>The chart's values files the tests render: the defaults and the CI values that switch everything on.</summary>
    public const string DefaultValues = "values.yaml";
    public const string CiValues = "ci/ci-values.yaml";

    private static readonly Lazy<IReadOnlyList<KubeDocument>> KustomizeRender = new(() =>
        KubeDocument.ParseAll("kubectl kustomize deploy/", Tools.Run(Tools.Kubectl, "kustomize", Repo.Path("deploy")).EnsureSuccess().Stdout));

    private static readonly ConcurrentDictionary<string, Lazy<IReadOnlyList<KubeDocument>>> HelmRenders = new();

    public static IReadOnlyList<KubeDocument> Kustomize() => KustomizeRender.Value;

    /// <summary>`helm template` with CRDs included, for one values file of the chart.</summary>
    public static IReadOnlyList<KubeDocument> Helm(string valuesFile) =>
        HelmRenders.GetOrAdd(valuesFile, file => new Lazy<IReadOnlyList<KubeDocument>>(() =>
            KubeDocument.ParseAll($"helm template -f {file}", HelmTemplate("-f", Path.Combine(Repo.Chart, file)).EnsureSuccess().Stdout))).Value;

    /// <summary>Runs `helm template` for the standard release with extra arguments; the caller checks the outcome.</summary>
    public static ToolResult HelmTemplate(params IReadOnlyList<string> extra) =>
        Tools.Run(Tools.Helm, ["template", Release, Repo.Chart, "--namespace", Namespace, "--include-crds", .. extra]);

    public static KubeDocument Single(this IReadOnlyList<KubeDocument> documents, string kind, string name)
    {
        var matches = documents.Where(d => d.Kind == kind && d.Name == name).ToList();
        Assert.True(matches.Count == 1, $"expected one {kind} {name}, found {matches.Count} in {(documents.Count > 0 ? documents[0].Source : "an empty render")}");
        return matches[0];
    }
}
