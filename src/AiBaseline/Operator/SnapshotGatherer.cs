using System.Collections.Immutable;
using AiBaseline.Api.V1Alpha1;
using AiBaseline.Controller;
using AiBaseline.Engine;
using AiBaseline.Engine.Gathering;
using k8s.Models;

namespace AiBaseline.Operator;

/// <summary>Builds the engine's <see cref="Snapshot"/> of one deployment from the informer caches, without API calls.</summary>
internal sealed class SnapshotGatherer(ClusterCaches caches)
{
    private readonly CachedRbac rbac = new(caches);

    public Snapshot Gather(AIModelDeployment deployment)
    {
        var workload = caches.WorkloadOf(deployment);
        var snapshot = Gather(deployment, workload);
        return (workload is null || workload.Templates.IsDefaultOrEmpty ? snapshot : snapshot with
        {
            PerTemplate = [.. workload.Templates.Select(t => new TemplateSnapshot(t.Role, Gather(deployment, workload with { Template = t.Template, Templates = [] })))],
        }).WithUndeclaredModelServers(caches.UndeclaredIn(deployment.Metadata.NamespaceProperty));
    }

    private Snapshot Gather(AIModelDeployment deployment, WorkloadState? workload)
    {
        var ns = deployment.Metadata.NamespaceProperty;
        var references = PodReferences.Of(workload?.Template.Spec);
        var routes = caches.RoutesOf(ns);
        return new Snapshot
        {
            Deployment = deployment,
            Workload = workload,
            NetworkPolicies = caches.NetworkPolicies.Cache.ListByNamespace(ns),
            CiliumPolicies = [.. caches.CiliumPolicies.Cache.ListByNamespace(ns), .. caches.CiliumClusterwidePolicies.Cache.List()],
            Secrets = [.. caches.Secrets.Cache.ListByNamespace(ns).Select(s => new SecretMetadata(s.Metadata.Name, null))],
            ConfigMaps = [.. caches.ConfigMaps.Cache.ListByNamespace(ns).Where(c => references.ConfigMaps.Contains(c.Metadata.Name))],
            ServiceAccount = caches.ServiceAccounts.Cache.Get(new ObjectKey(ns, references.ServiceAccount)),
            RoleGrants = GrantsOf(ns, references.ServiceAccount),
            Services = [.. caches.Services.Cache.ListByNamespace(ns).Select(s => s.Metadata.Name)],
            PersistentVolumeClaims = [.. caches.PersistentVolumeClaims.Cache.ListByNamespace(ns).Select(p => p.Metadata.Name)],
            ExposedServices = [.. caches.Services.Cache.ListByNamespace(ns).Where(s => ExposureReader.Selects(s.Spec?.Selector, workload?.Template.Metadata?.Labels)).Select(ExposureReader.Service)],
            Routes = routes,
            RateLimitPolicies = [.. SnapshotAssembler.PolicyNamespaces(ns, routes).SelectMany(caches.RateLimitPoliciesOf)],
            Monitoring = caches.MonitoringOf(ns),
            Vulnerabilities = caches.VulnerabilitiesOf(ns),
            Waivers = caches.WaiversOf(deployment),
        };
    }

    private ImmutableArray<RoleGrant> GrantsOf(string ns, string account) => RoleGrants.Of(ns, account, rbac);

    /// <summary>The RBAC objects of the caches, for the same grant finding the audit uses.</summary>
    private sealed class CachedRbac(ClusterCaches caches) : IRbacState
    {
        public IReadOnlyList<V1RoleBinding> RoleBindings(string ns) => caches.RoleBindings.Cache.ListByNamespace(ns);

        public IReadOnlyList<V1ClusterRoleBinding> ClusterRoleBindings() => caches.ClusterRoleBindings.Cache.List();

        public V1Role? Role(string ns, string name) => caches.Roles.Cache.Get(new ObjectKey(ns, name));

        public V1ClusterRole? ClusterRole(string name) => caches.ClusterRoles.Cache.Get(new ObjectKey(null, name));

        public IReadOnlyList<V1ClusterRole> ClusterRoles() => caches.ClusterRoles.Cache.List();
    }
}
