using System.Collections.Immutable;
using AiBaseline.Api.V1Alpha1;
using AiBaseline.Engine;
using AiBaseline.Engine.Gathering;
using k8s.Models;

namespace AiBaseline.Audit;

/// <summary>
/// The loaded manifests as cluster state: dictionaries keyed by namespace and name, built once, so each
/// deployment's snapshot is a handful of keyed reads and auditing N deployments costs O(N).
/// </summary>
public sealed class ManifestIndex : IClusterState
{
    private readonly Dictionary<(WorkloadKind, string, string), WorkloadState> workloads = [];
    private readonly Dictionary<string, List<V1NetworkPolicy>> networkPolicies = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<CiliumNetworkPolicy>> ciliumPolicies = new(StringComparer.Ordinal);
    private readonly List<CiliumNetworkPolicy> clusterwideCiliumPolicies = [];
    private readonly Dictionary<string, List<string>> unreadPolicies = new(StringComparer.Ordinal);
    private readonly List<string> clusterwideUnreadPolicies = [];
    private readonly Dictionary<string, List<SecretMetadata>> secrets = new(StringComparer.Ordinal);
    private readonly Dictionary<(string, string), V1ConfigMap> configMaps = [];
    private readonly Dictionary<(string, string), V1ServiceAccount> serviceAccounts = [];
    private readonly Dictionary<string, List<V1RoleBinding>> roleBindings = new(StringComparer.Ordinal);
    private readonly List<V1ClusterRoleBinding> clusterRoleBindings = [];
    private readonly Dictionary<(string, string), V1Role> roles = [];
    private readonly Dictionary<string, V1ClusterRole> clusterRoles = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> services = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> claims = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<ExposedService>> exposedServices = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<ExternalRoute>> routes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<RateLimitPolicy>> rateLimitPolicies = new(StringComparer.Ordinal);
    private readonly List<MetricsMonitor> monitors = [];
    private readonly Dictionary<string, List<AlertRuleSet>> alertRules = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<ImageVulnerabilityReport>> vulnerabilityReports = new(StringComparer.Ordinal);
    private readonly Dictionary<(string, string), ReadOnlyMemory<byte>> pullSecrets = [];

    private readonly List<Located<NamespacedWorkload>> allWorkloads = [];

    internal void AddDeployment(string ns, V1Deployment deployment, string file = "", int line = 0) =>
        AddWorkload(ns, Workloads.From(deployment), deployment.Metadata.OwnerReferences?.Any(o => o.Controller == true) == true, file, line);

    internal void AddStatefulSet(string ns, V1StatefulSet statefulSet, string file = "", int line = 0) =>
        AddWorkload(ns, Workloads.From(statefulSet), statefulSet.Metadata.OwnerReferences?.Any(o => o.Controller == true) == true, file, line);

    internal void AddWorkload(string ns, WorkloadState workload, bool owned, string file, int line)
    {
        workloads[(workload.Kind, ns, workload.Name)] = workload;
        allWorkloads.Add(new Located<NamespacedWorkload>(new NamespacedWorkload(ns, workload, owned), file, line));
    }

    /// <summary>Every workload of the input, of every kind, in input order, for the inventory.</summary>
    public IReadOnlyList<Located<NamespacedWorkload>> AllWorkloads => allWorkloads;

    internal void AddNetworkPolicy(string ns, V1NetworkPolicy policy) => ListOf(networkPolicies, ns).Add(Namespaced(policy.Metadata, ns, policy));

    internal void AddCiliumPolicy(string ns, CiliumNetworkPolicy policy)
    {
        if (policy.IsClusterwide)
        {
            clusterwideCiliumPolicies.Add(policy);
        }
        else
        {
            ListOf(ciliumPolicies, ns).Add(Namespaced(policy.Metadata, ns, policy));
        }
    }

    /// <summary>A policy of a kind NetworkIsolation does not read; <paramref name="ns"/> is null for a cluster-scoped one.</summary>
    internal void AddUnreadPolicy(string? ns, string description)
    {
        if (ns is null)
        {
            clusterwideUnreadPolicies.Add(description);
        }
        else
        {
            ListOf(unreadPolicies, ns).Add(description);
        }
    }

    internal void AddSecret(string ns, SecretMetadata secret) => ListOf(secrets, ns).Add(secret);

    internal void AddPullSecret(string ns, string name, ReadOnlyMemory<byte> dockerConfigJson) => pullSecrets[(ns, name)] = dockerConfigJson;

    /// <summary>The <c>.dockerconfigjson</c> of a pull secret; kept only when the audit verifies signatures.</summary>
    internal ReadOnlyMemory<byte>? PullSecret(string ns, string name) => pullSecrets.TryGetValue((ns, name), out var config) ? config : default(ReadOnlyMemory<byte>?);

    internal void AddConfigMap(string ns, V1ConfigMap configMap) => configMaps[(ns, configMap.Metadata.Name)] = Namespaced(configMap.Metadata, ns, configMap);

    internal void AddServiceAccount(string ns, V1ServiceAccount account) => serviceAccounts[(ns, account.Metadata.Name)] = Namespaced(account.Metadata, ns, account);

    internal void AddRoleBinding(string ns, V1RoleBinding binding) => ListOf(roleBindings, ns).Add(Namespaced(binding.Metadata, ns, binding));

    internal void AddClusterRoleBinding(V1ClusterRoleBinding binding) => clusterRoleBindings.Add(binding);

    internal void AddRole(string ns, V1Role role) => roles[(ns, role.Metadata.Name)] = Namespaced(role.Metadata, ns, role);

    internal void AddClusterRole(V1ClusterRole role) => clusterRoles[role.Metadata.Name] = role;

    internal void AddService(string ns, string name) => ListOf(services, ns).Add(name);

    internal void AddPersistentVolumeClaim(string ns, string name) => ListOf(claims, ns).Add(name);

    internal void AddExposedService(string ns, ExposedService service) => ListOf(exposedServices, ns).Add(service);

    internal void AddRoute(string ns, ExternalRoute route) => ListOf(routes, ns).Add(route);

    internal void AddRateLimitPolicy(string ns, RateLimitPolicy policy) => ListOf(rateLimitPolicies, ns).Add(policy);

    internal void AddMonitor(MetricsMonitor monitor) => monitors.Add(monitor);

    internal void AddAlertRules(AlertRuleSet rules) => ListOf(alertRules, rules.Namespace).Add(rules);

    internal void AddVulnerabilityReport(ImageVulnerabilityReport report) => ListOf(vulnerabilityReports, report.Namespace).Add(report);

    public WorkloadState? Workload(WorkloadKind kind, string ns, string name) => workloads.GetValueOrDefault((kind, ns, name));

    public IReadOnlyList<V1NetworkPolicy> NetworkPolicies(string ns) => networkPolicies.GetValueOrDefault(ns) ?? [];

    public IReadOnlyList<CiliumNetworkPolicy> CiliumPolicies(string ns) =>
        [.. ciliumPolicies.GetValueOrDefault(ns) ?? [], .. clusterwideCiliumPolicies];

    public IReadOnlyList<string> UnreadNetworkPolicies(string ns) =>
        [.. unreadPolicies.GetValueOrDefault(ns) ?? [], .. clusterwideUnreadPolicies];

    public IReadOnlyList<SecretMetadata> Secrets(string ns) => secrets.GetValueOrDefault(ns) ?? [];

    /// <summary>The input holds the Secrets of a namespace when it holds at least one of them.</summary>
    public bool ListsAllSecrets(string ns) => secrets.ContainsKey(ns);

    public V1ConfigMap? ConfigMap(string ns, string name) => configMaps.GetValueOrDefault((ns, name));

    /// <summary>
    /// The ServiceAccount; "default" always exists, because Kubernetes creates it in every namespace and
    /// manifests never carry it.
    /// </summary>
    public V1ServiceAccount? ServiceAccount(string ns, string name) =>
        serviceAccounts.GetValueOrDefault((ns, name))
        ?? (name == SnapshotAssembler.DefaultServiceAccount ? new V1ServiceAccount { Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns } } : null);

    public IReadOnlyList<V1RoleBinding> RoleBindings(string ns) => roleBindings.GetValueOrDefault(ns) ?? [];

    public IReadOnlyList<V1ClusterRoleBinding> ClusterRoleBindings() => clusterRoleBindings;

    public V1Role? Role(string ns, string name) => roles.GetValueOrDefault((ns, name));

    public V1ClusterRole? ClusterRole(string name) => clusterRoles.GetValueOrDefault(name);

    public IReadOnlyList<V1ClusterRole> ClusterRoles() => [.. clusterRoles.Values];

    public IReadOnlyList<string> ServiceNames(string ns) => services.GetValueOrDefault(ns) ?? [];

    public IReadOnlyList<string> PersistentVolumeClaimNames(string ns) => claims.GetValueOrDefault(ns) ?? [];

    public IReadOnlyList<ExposedService> ExposedServices(string ns) => exposedServices.GetValueOrDefault(ns) ?? [];

    public IReadOnlyList<ExternalRoute> Routes(string ns) => routes.GetValueOrDefault(ns) ?? [];

    public IReadOnlyList<RateLimitPolicy> RateLimitPolicies(string ns) => rateLimitPolicies.GetValueOrDefault(ns) ?? [];

    /// <summary>The manifests are judged as they would be applied: a ServiceMonitor they hold would exist, one they lack would not.</summary>
    public MonitoringState Monitoring(string ns)
    {
        var watching = monitors.Where(m => m.Watches(ns)).ToImmutableArray();
        var rules = watching.Select(m => m.Namespace).Prepend(ns).Distinct(StringComparer.Ordinal).SelectMany(n => alertRules.GetValueOrDefault(n) ?? []);
        return new MonitoringState(true, watching, [.. rules]);
    }

    /// <summary>VulnerabilityReports are made in the cluster: with none in the input, nothing is known of them.</summary>
    public VulnerabilityState Vulnerabilities(string ns) =>
        vulnerabilityReports.Count == 0 ? VulnerabilityState.NotKnown : new VulnerabilityState(true, [.. vulnerabilityReports.GetValueOrDefault(ns) ?? []]);

    private static List<T> ListOf<T>(Dictionary<string, List<T>> lists, string ns)
    {
        if (!lists.TryGetValue(ns, out var list))
        {
            list = [];
            lists[ns] = list;
        }

        return list;
    }

    private static T Namespaced<T>(V1ObjectMeta metadata, string ns, T value)
    {
        metadata.NamespaceProperty = ns;
        return value;
    }
}
