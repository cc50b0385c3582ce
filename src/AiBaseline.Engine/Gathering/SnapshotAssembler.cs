using System.Collections.Immutable;
using AiBaseline.Api.V1Alpha1;
using k8s.Models;

namespace AiBaseline.Engine.Gathering;

/// <summary>
/// Builds the engine's <see cref="Snapshot"/> for one deployment from cluster lookups. Pure: it reads only
/// through <see cref="IClusterState"/>, so the operator (informer caches) and the audit (manifests) gather
/// exactly the same state.
/// </summary>
public static class SnapshotAssembler
{
    /// <summary>The namespace and those of the Gateways its routes attach to, where policies that limit the routes may live.</summary>
    public static IEnumerable<string> PolicyNamespaces(string ns, IEnumerable<ExternalRoute> routes) =>
        routes.SelectMany(r => r.Gateways).Select(g => g[..g.IndexOf('/', StringComparison.Ordinal)]).Prepend(ns).Distinct(StringComparer.Ordinal);

    /// <summary>The ServiceAccount pods run as when the template names none.</summary>
    public const string DefaultServiceAccount = "default";

    /// <summary>Gathers the snapshot of <paramref name="deployment"/>.</summary>
    /// <param name="deployment">The deployment to judge.</param>
    /// <param name="state">Lookups over the cluster or the manifests.</param>
    /// <param name="provenance">Registry evidence by image or model reference; null when not checked.</param>
    public static Snapshot Assemble(AIModelDeployment deployment, IClusterState state, IReadOnlyDictionary<string, ArtifactVerification>? provenance = null)
    {
        var ns = deployment.Metadata?.NamespaceProperty ?? "default";
        var reference = deployment.Spec?.WorkloadRef;
        var workload = reference is null || string.IsNullOrEmpty(reference.Name) ? null : state.Workload(reference.Kind, ns, reference.Name);
        var snapshot = Assemble(deployment, workload, ns, state, provenance);
        return workload is null || workload.Templates.IsDefaultOrEmpty ? snapshot : snapshot with
        {
            PerTemplate = [.. workload.Templates.Select(t => new TemplateSnapshot(t.Role, Assemble(deployment, workload with { Template = t.Template, Templates = [] }, ns, state, provenance)))],
        };
    }

    private static Snapshot Assemble(AIModelDeployment deployment, WorkloadState? workload, string ns, IClusterState state, IReadOnlyDictionary<string, ArtifactVerification>? provenance)
    {
        var podSpec = workload?.Template.Spec;
        var accountName = ServiceAccountName(podSpec);
        var routes = state.Routes(ns);

        return new Snapshot
        {
            Deployment = deployment,
            Workload = workload,
            NetworkPolicies = [.. state.NetworkPolicies(ns)],
            CiliumPolicies = [.. state.CiliumPolicies(ns)],
            UnreadNetworkPolicies = [.. state.UnreadNetworkPolicies(ns)],
            Secrets = [.. state.Secrets(ns)],
            SecretsListed = state.ListsAllSecrets(ns),
            ConfigMaps = podSpec is null ? [] : ConfigMapsUsed(podSpec, ns, state),
            ServiceAccount = podSpec is null ? null : state.ServiceAccount(ns, accountName),
            RoleGrants = podSpec is null ? [] : RoleGrants.Of(ns, accountName, state),
            Services = [.. state.ServiceNames(ns)],
            PersistentVolumeClaims = [.. state.PersistentVolumeClaimNames(ns)],
            ExposedServices = [.. state.ExposedServices(ns).Where(s => ExposureReader.Selects(s.Selector, workload?.Template.Metadata?.Labels))],
            Routes = [.. routes],
            RateLimitPolicies = [.. PolicyNamespaces(ns, routes).SelectMany(state.RateLimitPolicies)],
            Monitoring = state.Monitoring(ns),
            Vulnerabilities = state.Vulnerabilities(ns),
            Provenance = provenance?.ToImmutableDictionary(StringComparer.Ordinal),
        };
    }

    /// <summary>The ServiceAccount the pods run as.</summary>
    public static string ServiceAccountName(V1PodSpec? podSpec) =>
        podSpec?.ServiceAccountName is { Length: > 0 } name ? name
        : podSpec?.ServiceAccount is { Length: > 0 } legacy ? legacy
        : DefaultServiceAccount;

    /// <summary>The ConfigMaps the pod spec reads through volumes, projected volumes, env and envFrom, in name order.</summary>
    public static ImmutableArray<V1ConfigMap> ConfigMapsUsed(V1PodSpec podSpec, string ns, IClusterState state)
    {
        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var volume in podSpec.Volumes ?? [])
        {
            Add(names, volume.ConfigMap?.Name);
            foreach (var source in volume.Projected?.Sources ?? [])
            {
                Add(names, source.ConfigMap?.Name);
            }
        }

        foreach (var container in Containers(podSpec))
        {
            foreach (var env in container.Env ?? [])
            {
                Add(names, env.ValueFrom?.ConfigMapKeyRef?.Name);
            }

            foreach (var source in container.EnvFrom ?? [])
            {
                Add(names, source.ConfigMapRef?.Name);
            }
        }

        var found = ImmutableArray.CreateBuilder<V1ConfigMap>(names.Count);
        foreach (var name in names)
        {
            if (state.ConfigMap(ns, name) is { } configMap)
            {
                found.Add(configMap);
            }
        }

        return found.DrainToImmutable();
    }

    private static IEnumerable<V1Container> Containers(V1PodSpec podSpec) =>
        (podSpec.InitContainers ?? []).Concat(podSpec.Containers ?? []);

    private static void Add(SortedSet<string> names, string? name)
    {
        if (!string.IsNullOrEmpty(name))
        {
            names.Add(name);
        }
    }
}
