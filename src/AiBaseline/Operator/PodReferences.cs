using System.Collections.Immutable;
using k8s.Models;

namespace AiBaseline.Operator;

/// <summary>The Secrets, ConfigMaps and ServiceAccount a pod template refers to by name.</summary>
internal sealed record PodReferences(ImmutableHashSet<string> Secrets, ImmutableHashSet<string> ConfigMaps, string ServiceAccount)
{
    public static readonly PodReferences None = new([], [], "default");

    /// <summary>What every pod template of the workload refers to; the first template's ServiceAccount, with the others in <see cref="OtherServiceAccounts"/>.</summary>
    public static PodReferences Of(Engine.WorkloadState? workload)
    {
        if (workload is null)
        {
            return None;
        }

        var all = workload.AllTemplates.Select(t => Of(t.Template.Spec)).ToList();
        return all.Count == 1 ? all[0] : new PodReferences(
            [.. all.SelectMany(r => r.Secrets)],
            [.. all.SelectMany(r => r.ConfigMaps)],
            all[0].ServiceAccount)
        {
            OtherServiceAccounts = [.. all.Skip(1).Select(r => r.ServiceAccount)],
        };
    }

    /// <summary>The ServiceAccounts of the other templates of a workload of several.</summary>
    public ImmutableHashSet<string> OtherServiceAccounts { get; init; } = [];

    /// <summary>Whether pods of the workload run as <paramref name="account"/>.</summary>
    public bool RunsAs(string account) => ServiceAccount == account || OtherServiceAccounts.Contains(account);

    public static PodReferences Of(V1PodSpec? pod)
    {
        if (pod is null)
        {
            return None;
        }

        var secrets = ImmutableHashSet.CreateBuilder<string>(StringComparer.Ordinal);
        var configMaps = ImmutableHashSet.CreateBuilder<string>(StringComparer.Ordinal);
        foreach (var container in (pod.Containers ?? []).Concat(pod.InitContainers ?? []))
        {
            foreach (var env in container.Env ?? [])
            {
                Add(secrets, env.ValueFrom?.SecretKeyRef?.Name);
                Add(configMaps, env.ValueFrom?.ConfigMapKeyRef?.Name);
            }

            foreach (var source in container.EnvFrom ?? [])
            {
                Add(secrets, source.SecretRef?.Name);
                Add(configMaps, source.ConfigMapRef?.Name);
            }
        }

        foreach (var volume in pod.Volumes ?? [])
        {
            Add(secrets, volume.Secret?.SecretName);
            Add(configMaps, volume.ConfigMap?.Name);
            foreach (var projection in volume.Projected?.Sources ?? [])
            {
                Add(secrets, projection.Secret?.Name);
                Add(configMaps, projection.ConfigMap?.Name);
            }
        }

        foreach (var pullSecret in pod.ImagePullSecrets ?? [])
        {
            Add(secrets, pullSecret.Name);
        }

        var account = string.IsNullOrEmpty(pod.ServiceAccountName) ? "default" : pod.ServiceAccountName;
        return new PodReferences(secrets.ToImmutable(), configMaps.ToImmutable(), account);
    }

    private static void Add(ImmutableHashSet<string>.Builder set, string? name)
    {
        if (!string.IsNullOrEmpty(name))
        {
            set.Add(name);
        }
    }
}
