using System.Collections.Immutable;
using AiBaseline.Api.V1Alpha1;
using AiBaseline.Controller;
using AiBaseline.Engine;
using k8s.Models;

namespace AiBaseline.Operator;

/// <summary>Builds the engine's <see cref="Snapshot"/> of one deployment from the informer caches, without API calls.</summary>
internal sealed class SnapshotGatherer(ClusterCaches caches)
{
    public Snapshot Gather(AIModelDeployment deployment)
    {
        var workload = caches.WorkloadOf(deployment);
        var snapshot = Gather(deployment, workload);
        return workload is null || workload.Templates.IsDefaultOrEmpty ? snapshot : snapshot with
        {
            PerTemplate = [.. workload.Templates.Select(t => new TemplateSnapshot(t.Role, Gather(deployment, workload with { Template = t.Template, Templates = [] })))],
        };
    }

    private Snapshot Gather(AIModelDeployment deployment, WorkloadState? workload)
    {
        var ns = deployment.Metadata.NamespaceProperty;
        var references = PodReferences.Of(workload?.Template.Spec);
        return new Snapshot
        {
            Deployment = deployment,
            Workload = workload,
            NetworkPolicies = caches.NetworkPolicies.Cache.ListByNamespace(ns),
            Secrets = [.. caches.Secrets.Cache.ListByNamespace(ns).Select(s => new SecretMetadata(s.Metadata.Name, null))],
            ConfigMaps = [.. caches.ConfigMaps.Cache.ListByNamespace(ns).Where(c => references.ConfigMaps.Contains(c.Metadata.Name))],
            ServiceAccount = caches.ServiceAccounts.Cache.Get(new ObjectKey(ns, references.ServiceAccount)),
            RoleGrants = GrantsOf(ns, references.ServiceAccount),
            Services = [.. caches.Services.Cache.ListByNamespace(ns).Select(s => s.Metadata.Name)],
            PersistentVolumeClaims = [.. caches.PersistentVolumeClaims.Cache.ListByNamespace(ns).Select(p => p.Metadata.Name)],
            Waivers = caches.WaiversOf(deployment),
        };
    }

    private ImmutableArray<RoleGrant> GrantsOf(string ns, string account)
    {
        bool Names(IList<Rbacv1Subject>? subjects, string? bindingNamespace) =>
            (subjects ?? []).Any(s => s.Kind == "ServiceAccount" && s.Name == account && (s.NamespaceProperty ?? bindingNamespace) == ns);

        var grants = ImmutableArray.CreateBuilder<RoleGrant>();
        foreach (var binding in caches.RoleBindings.Cache.ListByNamespace(ns).Where(b => Names(b.Subjects, ns)))
        {
            grants.Add(new RoleGrant("RoleBinding", binding.Metadata.Name, binding.RoleRef.Kind, binding.RoleRef.Name, RulesOf(binding.RoleRef, ns)));
        }

        foreach (var binding in caches.ClusterRoleBindings.Cache.List().Where(b => Names(b.Subjects, null)))
        {
            grants.Add(new RoleGrant("ClusterRoleBinding", binding.Metadata.Name, binding.RoleRef.Kind, binding.RoleRef.Name, RulesOf(binding.RoleRef, null)));
        }

        return grants.ToImmutable();
    }

    private ImmutableArray<V1PolicyRule> RulesOf(V1RoleRef role, string? ns)
    {
        var rules = role.Kind == "Role"
            ? caches.Roles.Cache.Get(new ObjectKey(ns, role.Name))?.Rules
            : caches.ClusterRoles.Cache.Get(new ObjectKey(null, role.Name))?.Rules;
        return [.. rules ?? []];
    }
}
