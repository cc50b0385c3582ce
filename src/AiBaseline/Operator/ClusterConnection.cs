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
                ? Load("--kubeconfig", kubeconfigFlag, [kubeconfigFlag], out problem)
                : Fail($"--kubeconfig: {kubeconfigFlag}: no such file", out problem);
        }

        if (Environment.GetEnvironmentVariable("KUBECONFIG") is { Length: > 0 } variable)
        {
            // The files of the list are merged (KubeconfigFiles); one that is missing is named, where kubectl would skip it.
            var files = variable.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
            var missing = files.FirstOrDefault(f => !File.Exists(f));
            return missing is null
                ? Load("KUBECONFIG", variable, files, out problem)
                : Fail($"KUBECONFIG: {missing}: no such file", out problem);
        }

        if (KubernetesClientConfiguration.IsInCluster())
        {
            return KubernetesClientConfiguration.InClusterConfig();
        }

        var home = Path.Combine(HomeDirectory(), ".kube", "config");
        return File.Exists(home)
            ? Load("~/.kube/config", home, [home], out problem)
            : Fail("no cluster to connect to: pass --kubeconfig FILE, set KUBECONFIG, or run the operator in a pod with a service account", out problem);
    }

    private static KubernetesClientConfiguration? Load(string source, string named, IReadOnlyList<string> files, out string problem)
    {
        problem = "";
        try
        {
            return KubeconfigFiles.Load(files);
        }
        catch (Exception e) when (e is KubeConfigException or YamlDotNet.Core.YamlException or IOException or UnauthorizedAccessException)
        {
            return Fail($"{source}: {named}: not a usable kubeconfig: {e.Message}", out problem);
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
