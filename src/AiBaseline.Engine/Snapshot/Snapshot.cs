using System.Collections.Immutable;
using AiBaseline.Api.V1Alpha1;
using k8s.Models;

namespace AiBaseline.Engine;

/// <summary>
/// Everything the engine needs to judge one deployment, gathered by the operator from its caches or by
/// the audit from manifests. Only objects in the deployment's namespace, plus the cluster-wide bindings
/// of the pods' ServiceAccount. Secrets are metadata only: the engine never sees a Secret's value.
/// </summary>
public sealed record Snapshot
{
    public required AIModelDeployment Deployment { get; init; }

    /// <summary>The workload named by spec.workloadRef; null when there is no reference or the workload does not exist.</summary>
    public WorkloadState? Workload { get; init; }

    /// <summary>All NetworkPolicies of the deployment's namespace.</summary>
    public ImmutableArray<V1NetworkPolicy> NetworkPolicies { get; init; } = [];

    /// <summary>The CiliumNetworkPolicies of the deployment's namespace and every CiliumClusterwideNetworkPolicy.</summary>
    public ImmutableArray<CiliumNetworkPolicy> CiliumPolicies { get; init; } = [];

    /// <summary>
    /// Policies of kinds NetworkIsolation does not read that may select the pods (a Calico or Antrea policy, an
    /// AdminNetworkPolicy), each as "apiVersion Kind namespace/name", so messages can name them.
    /// </summary>
    public ImmutableArray<string> UnreadNetworkPolicies { get; init; } = [];

    /// <summary>Names and types of the Secrets of the namespace.</summary>
    public ImmutableArray<SecretMetadata> Secrets { get; init; } = [];

    /// <summary>
    /// Whether <see cref="Secrets"/> is every Secret of the namespace: always in the cluster; in the audit, only when
    /// the input holds at least one Secret of the namespace. Pull secrets are often made outside Git, so one missing
    /// from an input without Secrets cannot be judged.
    /// </summary>
    public bool SecretsListed { get; init; } = true;

    /// <summary>ConfigMaps of the namespace that the pod template uses.</summary>
    public ImmutableArray<V1ConfigMap> ConfigMaps { get; init; } = [];

    /// <summary>The pods' ServiceAccount; null when it does not exist.</summary>
    public V1ServiceAccount? ServiceAccount { get; init; }

    /// <summary>What the pods' ServiceAccount is granted, through RoleBindings and ClusterRoleBindings.</summary>
    public ImmutableArray<RoleGrant> RoleGrants { get; init; } = [];

    /// <summary>Names of the Services of the namespace.</summary>
    public ImmutableArray<string> Services { get; init; } = [];

    /// <summary>The Services of the namespace that select the pods of the template, with their type (ApiRateLimit).</summary>
    public ImmutableArray<ExposedService> ExposedServices { get; init; } = [];

    /// <summary>The Ingresses, HTTPRoutes and GRPCRoutes of the namespace.</summary>
    public ImmutableArray<ExternalRoute> Routes { get; init; } = [];

    /// <summary>The rate limit policies (BackendTrafficPolicy, KongPlugin) of the namespace and of the namespaces of the routes' Gateways.</summary>
    public ImmutableArray<RateLimitPolicy> RateLimitPolicies { get; init; } = [];

    /// <summary>Names of the PersistentVolumeClaims of the namespace.</summary>
    public ImmutableArray<string> PersistentVolumeClaims { get; init; } = [];

    /// <summary>The ServiceMonitors, PodMonitors and PrometheusRules that may concern the model (MetricsScraping, PerformanceTracking).</summary>
    public MonitoringState Monitoring { get; init; } = MonitoringState.None;

    /// <summary>The VulnerabilityReports of the namespace (VulnerabilityFixes).</summary>
    public VulnerabilityState Vulnerabilities { get; init; } = VulnerabilityState.NotKnown;

    /// <summary>
    /// The model servers of the deployment's namespace that no AIModelDeployment declares (<see cref="Inventory.WorkloadInventory"/>):
    /// from the informer caches in the cluster, from the input's workloads in the audit.
    /// </summary>
    public ImmutableArray<Inventory.UndeclaredWorkload> UndeclaredModelServers { get; init; } = [];

    /// <summary>The snapshot, and each of its template snapshots, with the namespace's undeclared model servers.</summary>
    public Snapshot WithUndeclaredModelServers(ImmutableArray<Inventory.UndeclaredWorkload> undeclared) => this with
    {
        UndeclaredModelServers = undeclared,
        PerTemplate = PerTemplate.IsDefaultOrEmpty ? PerTemplate : [.. PerTemplate.Select(t => t with { Snapshot = t.Snapshot with { UndeclaredModelServers = undeclared } })],
    };

    /// <summary>The BaselineExceptions of the namespace that select the deployment (<see cref="Waivers.WaiverRules.Selects"/>).</summary>
    public ImmutableArray<BaselineException> Waivers { get; init; } = [];

    /// <summary>Registry evidence by image or model reference; null when provenance was not checked.</summary>
    public ImmutableDictionary<string, ArtifactVerification>? Provenance { get; init; }

    /// <summary>
    /// For a workload of several pod templates (<see cref="WorkloadState.Templates"/>): one snapshot per template, in
    /// the workload's order, each with that template as <see cref="WorkloadState.Template"/> and the ConfigMaps,
    /// ServiceAccount and role grants that template uses. Empty for a workload of one template.
    /// </summary>
    public ImmutableArray<TemplateSnapshot> PerTemplate { get; init; } = [];

    /// <summary>
    /// Model signature (OpenSSF Model Signing) evidence by spec.models[].name: Digest is the signed manifest's
    /// digest, SignedBy the signer; null when no model's files were checked.
    /// </summary>
    public ImmutableDictionary<string, ArtifactVerification>? ModelSignatures { get; init; }
}

/// <summary>The snapshot of one pod template of a workload, and the role that names it in messages.</summary>
public sealed record TemplateSnapshot(string Role, Snapshot Snapshot);

/// <summary>The workload that serves the model.</summary>
/// <param name="Kind">Its kind.</param>
/// <param name="Name">Its name.</param>
/// <param name="Replicas">How many copies it asks for (spec.replicas, or 0 when suspended); null means it serves (the API default of 1).</param>
/// <param name="Template">The pod template; for a workload of several, the first of <see cref="Templates"/>.</param>
public sealed record WorkloadState(WorkloadKind Kind, string Name, int? Replicas, V1PodTemplateSpec Template)
{
    /// <summary>
    /// Every pod template the workload runs, with the role that names it in messages ("leader", "worker", "predictor",
    /// "head", "worker group gpu", "Deployment llama-predictor"). Empty for a workload of one template.
    /// </summary>
    public ImmutableArray<PodTemplate> Templates { get; init; } = [];

    /// <summary>
    /// spec.revisionHistoryLimit of a Deployment, StatefulSet or DaemonSet, the old revisions Kubernetes keeps to roll
    /// back to; null when unset (the API's default is 10) or when the kind keeps no revisions.
    /// </summary>
    public int? RevisionHistoryLimit { get; init; }

    /// <summary>The GitOps tool that applies the workload from Git, and the mark that shows it (<see cref="Gathering.GitOps"/>); null when none does.</summary>
    public string? GitOpsTracker { get; init; }

    /// <summary>Every pod template: <see cref="Templates"/>, or the one <see cref="Template"/> with an empty role.</summary>
    public IEnumerable<PodTemplate> AllTemplates => Templates.IsDefaultOrEmpty ? [new PodTemplate("", Template)] : Templates;

    /// <summary>The workload with its templates; <see cref="Template"/> is the first (an empty one when there are none).</summary>
    public static WorkloadState Of(WorkloadKind kind, string name, int? replicas, IReadOnlyList<PodTemplate> templates) =>
        templates.Count == 0 ? new WorkloadState(kind, name, replicas, new V1PodTemplateSpec())
        : templates.Count == 1 ? new WorkloadState(kind, name, replicas, templates[0].Template)
        : new WorkloadState(kind, name, replicas, templates[0].Template) { Templates = [.. templates] };
}

/// <summary>One pod template of a workload.</summary>
/// <param name="Role">What the pods do in the workload, for messages: "leader", "worker group gpu"; empty when the workload has one template.</param>
/// <param name="Template">The pod template.</param>
public sealed record PodTemplate(string Role, V1PodTemplateSpec Template);

/// <summary>A Secret's name and type, never its data.</summary>
public sealed record SecretMetadata(string Name, string? Type);

/// <summary>One binding of the pods' ServiceAccount and the rules of the role it grants.</summary>
/// <param name="BindingKind">RoleBinding or ClusterRoleBinding.</param>
/// <param name="BindingName">The binding's name.</param>
/// <param name="RoleKind">Role or ClusterRole.</param>
/// <param name="RoleName">The role's name.</param>
/// <param name="Rules">The role's rules; empty when the role does not exist.</param>
public sealed record RoleGrant(string BindingKind, string BindingName, string RoleKind, string RoleName, ImmutableArray<V1PolicyRule> Rules)
{
    /// <summary>The group subject through which the binding reaches the ServiceAccount (system:authenticated…); null when it names the account.</summary>
    public string? Group { get; init; }

    /// <summary>For an aggregated ClusterRole, the ClusterRoles whose rules it aggregates, by name.</summary>
    public ImmutableArray<string> AggregatedFrom { get; init; } = [];
}
