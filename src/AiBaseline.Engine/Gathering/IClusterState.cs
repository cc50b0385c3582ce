using AiBaseline.Api.V1Alpha1;
using k8s.Models;

namespace AiBaseline.Engine.Gathering;

/// <summary>
/// Read-only lookups over the cluster objects a deployment's snapshot needs. The operator answers them from
/// its informer caches, <c>aibaseline audit</c> from the loaded manifests. Every lookup is a keyed read, so
/// assembling one snapshot costs what its namespace holds, never what the cluster holds.
/// </summary>
public interface IClusterState : IRbacState
{
    /// <summary>The Deployment or StatefulSet with that name, as the engine sees it; null when absent.</summary>
    WorkloadState? Workload(WorkloadKind kind, string ns, string name);

    /// <summary>All NetworkPolicies of the namespace.</summary>
    IReadOnlyList<V1NetworkPolicy> NetworkPolicies(string ns);

    /// <summary>The CiliumNetworkPolicies of the namespace and every CiliumClusterwideNetworkPolicy; none where Cilium is not installed.</summary>
    IReadOnlyList<CiliumNetworkPolicy> CiliumPolicies(string ns) => [];

    /// <summary>Policies of kinds NetworkIsolation does not read, of the namespace or cluster-wide, as "apiVersion Kind namespace/name".</summary>
    IReadOnlyList<string> UnreadNetworkPolicies(string ns) => [];

    /// <summary>Names and types of the Secrets of the namespace, never their data.</summary>
    IReadOnlyList<SecretMetadata> Secrets(string ns);

    /// <summary>Whether <see cref="Secrets"/> lists every Secret of the namespace (a cluster does; manifests may not).</summary>
    bool ListsAllSecrets(string ns) => true;

    /// <summary>The ConfigMap with that name; null when absent.</summary>
    V1ConfigMap? ConfigMap(string ns, string name);

    /// <summary>The ServiceAccount with that name; null when absent.</summary>
    V1ServiceAccount? ServiceAccount(string ns, string name);

    /// <summary>Names of the Services of the namespace.</summary>
    IReadOnlyList<string> ServiceNames(string ns);

    /// <summary>The Services of the namespace with their type and selector; none where they are not known.</summary>
    IReadOnlyList<ExposedService> ExposedServices(string ns) => [];

    /// <summary>The Ingresses, HTTPRoutes and GRPCRoutes of the namespace.</summary>
    IReadOnlyList<ExternalRoute> Routes(string ns) => [];

    /// <summary>The BackendTrafficPolicies and KongPlugins of the namespace.</summary>
    IReadOnlyList<RateLimitPolicy> RateLimitPolicies(string ns) => [];

    /// <summary>
    /// The ServiceMonitors and PodMonitors that watch the namespace, the PrometheusRules of the namespace and of those
    /// monitors' namespaces, and whether the Prometheus Operator's CRDs are there.
    /// </summary>
    MonitoringState Monitoring(string ns) => MonitoringState.None;

    /// <summary>The VulnerabilityReports of the namespace, and whether Trivy Operator's CRD is there.</summary>
    VulnerabilityState Vulnerabilities(string ns) => VulnerabilityState.NotKnown;

    /// <summary>Names of the PersistentVolumeClaims of the namespace.</summary>
    IReadOnlyList<string> PersistentVolumeClaimNames(string ns);
}

/// <summary>The RBAC lookups <see cref="RoleGrants"/> needs; the operator answers them from its caches, the audit from manifests.</summary>
public interface IRbacState
{
    /// <summary>All RoleBindings of the namespace.</summary>
    IReadOnlyList<V1RoleBinding> RoleBindings(string ns);

    /// <summary>All ClusterRoleBindings.</summary>
    IReadOnlyList<V1ClusterRoleBinding> ClusterRoleBindings();

    /// <summary>The Role with that name; null when absent.</summary>
    V1Role? Role(string ns, string name);

    /// <summary>The ClusterRole with that name; null when absent.</summary>
    V1ClusterRole? ClusterRole(string name);

    /// <summary>All ClusterRoles, for aggregated ClusterRoles (aggregationRule) whose rules are those of the roles they select.</summary>
    IReadOnlyList<V1ClusterRole> ClusterRoles();
}
