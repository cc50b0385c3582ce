using k8s;
using k8s.Exceptions;
using k8s.KubeConfigModels;
using YamlDotNet.Serialization;

namespace AiBaseline.Operator;

/// <summary>
/// Reads kubeconfig files into the Kubernetes client's own model with a deserializer of the kubeconfig types alone, then
/// lets the client build its configuration from that model as it would from a file. The client's file loader goes through
/// its general YAML reader, which first builds name overrides for every API model type it has by reflection: about
/// 30 MiB of resident memory, kept for the life of the process, to read a file of a few hundred bytes (docs/scale.md).
/// Paths in a file (certificate authority, client certificate and key) are relative to that file, as kubectl reads them.
/// With several files (<c>KUBECONFIG</c>), the first file to name a cluster, user or context wins, and so does the first
/// current-context, as kubectl merges them.
/// </summary>
internal static class KubeconfigFiles
{
    private static readonly IDeserializer Yaml = new DeserializerBuilder().IgnoreUnmatchedProperties().Build();

    /// <summary>The client configuration of the current context of <paramref name="files"/>, merged in order.</summary>
    /// <exception cref="KubeConfigException">A file is empty or its current context cannot be used.</exception>
    /// <exception cref="YamlDotNet.Core.YamlException">A file is not a kubeconfig.</exception>
    public static KubernetesClientConfiguration Load(IReadOnlyList<string> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        var merged = files.Select(Read).Aggregate(Merge);
        return KubernetesClientConfiguration.BuildConfigFromConfigObject(merged);
    }

    /// <summary>One file, with the paths it names made absolute against its own folder.</summary>
    public static K8SConfiguration Read(string file)
    {
        var path = Path.GetFullPath(file);
        var config = Yaml.Deserialize<K8SConfiguration?>(File.ReadAllText(path))
            ?? throw new KubeConfigException("the file is empty");
        var folder = Path.GetDirectoryName(path)!;
        foreach (var cluster in config.Clusters ?? [])
        {
            if (cluster.ClusterEndpoint is { } endpoint)
            {
                endpoint.CertificateAuthority = Beside(folder, endpoint.CertificateAuthority);
            }
        }

        foreach (var user in config.Users ?? [])
        {
            if (user.UserCredentials is { } credentials)
            {
                credentials.ClientCertificate = Beside(folder, credentials.ClientCertificate);
                credentials.ClientKey = Beside(folder, credentials.ClientKey);
            }
        }

        config.FileName = path;
        return config;
    }

    private static K8SConfiguration Merge(K8SConfiguration first, K8SConfiguration next)
    {
        first.CurrentContext ??= next.CurrentContext;
        first.Clusters = FirstByName(first.Clusters, next.Clusters, c => c.Name);
        first.Users = FirstByName(first.Users, next.Users, u => u.Name);
        first.Contexts = FirstByName(first.Contexts, next.Contexts, c => c.Name);
        return first;
    }

    private static List<T> FirstByName<T>(IEnumerable<T>? first, IEnumerable<T>? next, Func<T, string> name)
    {
        var kept = (first ?? []).ToList();
        var names = kept.Select(name).ToHashSet(StringComparer.Ordinal);
        kept.AddRange((next ?? []).Where(item => names.Add(name(item))));
        return kept;
    }

    private static string Beside(string folder, string path) =>
        string.IsNullOrEmpty(path) || Path.IsPathRooted(path) ? path : Path.Combine(folder, path);
}
