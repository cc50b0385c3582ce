using k8s;
using k8s.Exceptions;

namespace AiBaseline.Operator;

/// <summary>
/// Where the operator finds its cluster, in controller-runtime's order: the <c>--kubeconfig</c> file, then the files
/// in <c>$KUBECONFIG</c>, then the in-cluster service account, then <c>~/.kube/config</c>. With none of them there is
/// no cluster to talk to, and the operator says so instead of trying http://localhost:8080 forever.
/// </summary>
internal static class ClusterConnection
{
    /// <summary>The client configuration, or null with <paramref name="problem"/> saying what to pass.</summary>
    public static KubernetesClientConfiguration? Resolve(string? kubeconfigFlag, out string problem)
    {
        problem = "";
        if (kubeconfigFlag is not null)
        {
            return File.Exists(kubeconfigFlag)
                ? Load("--kubeconfig", kubeconfigFlag, () => KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfigFlag), out problem)
                : Fail($"--kubeconfig: {kubeconfigFlag}: no such file", out problem);
        }

        if (Environment.GetEnvironmentVariable("KUBECONFIG") is { Length: > 0 } variable)
        {
            // The client merges the files of the list and, unlike kubectl, does not skip one that is missing: name it.
            var missing = variable.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault(f => !File.Exists(f));
            return missing is null
                ? Load("KUBECONFIG", variable, KubernetesClientConfiguration.BuildDefaultConfig, out problem)
                : Fail($"KUBECONFIG: {missing}: no such file", out problem);
        }

        if (KubernetesClientConfiguration.IsInCluster())
        {
            return KubernetesClientConfiguration.InClusterConfig();
        }

        var home = Path.Combine(HomeDirectory(), ".kube", "config");
        return File.Exists(home)
            ? Load("~/.kube/config", home, () => KubernetesClientConfiguration.BuildConfigFromConfigFile(home), out problem)
            : Fail("no cluster to connect to: pass --kubeconfig FILE, set KUBECONFIG, or run the operator in a pod with a service account", out problem);
    }

    private static KubernetesClientConfiguration? Load(string source, string files, Func<KubernetesClientConfiguration> load, out string problem)
    {
        problem = "";
        try
        {
            return load();
        }
        catch (Exception e) when (e is KubeConfigException or YamlDotNet.Core.YamlException or IOException or UnauthorizedAccessException)
        {
            return Fail($"{source}: {files}: not a usable kubeconfig: {e.Message}", out problem);
        }
    }

    private static KubernetesClientConfiguration? Fail(string message, out string problem)
    {
        problem = message;
        return null;
    }

    private static string HomeDirectory() =>
        Environment.GetEnvironmentVariable("HOME") is { Length: > 0 } home ? home : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
}
