using AiBaseline.Api.V1Alpha1;
using AiBaseline.Controller;
using AiBaseline.Controller.Api;
using AiBaseline.Controller.Informers;
using AiBaseline.Engine;
using AiBaseline.Engine.Gathering;
using AiBaseline.Engine.Waivers;
using k8s.Models;

namespace AiBaseline.Operator;

/// <summary>
/// Maps a change of any watched object to exactly the AIModelDeployments whose evaluation can change with it, so one
/// edit reconciles only the deployments it concerns. Updates consider the old and the new object (a binding that
/// lost a subject still affects the deployment it used to grant).
/// </summary>
internal sealed class AffectedDeployments(ClusterCaches caches)
{
    /// <summary>
    /// A deployment's own change, except the echo of the operator's status write: an update that moved neither the
    /// generation nor the deletion mark cannot change the verdict. Resyncs (same resourceVersion) still pass, and so do
    /// a change of labels (which waivers select it) and of the retired allow-deletion annotation (the operator says it
    /// no longer releases anything).
    /// </summary>
    public static IEnumerable<ObjectKey> OfModelDeployment(InformerEvent<AIModelDeployment> change)
    {
        var (now, old) = (change.Object.Metadata, change.OldObject?.Metadata);
        var statusOnly = old is not null
            && old.ResourceVersion != now.ResourceVersion
            && old.Generation == now.Generation
            && old.DeletionTimestamp == now.DeletionTimestamp
            && AllowDeletion(old) == AllowDeletion(now)
            && SameLabels(old, now);
        return statusOnly ? [] : [ObjectKey.Of(change.Object)];
    }

    private static string? AllowDeletion(V1ObjectMeta metadata) =>
        metadata.Annotations is { } annotations && annotations.TryGetValue(RetirementHold.AllowDeletionAnnotation, out var value) ? value : null;

    private static bool SameLabels(V1ObjectMeta old, V1ObjectMeta now) =>
        (old.Labels ?? new Dictionary<string, string>()).OrderBy(l => l.Key, StringComparer.Ordinal)
            .SequenceEqual((now.Labels ?? new Dictionary<string, string>()).OrderBy(l => l.Key, StringComparer.Ordinal));

    /// <summary>The deployments the waiver selects, before and after the change (one it stopped selecting is judged again too).</summary>
    public IEnumerable<ObjectKey> OfWaiver(InformerEvent<BaselineException> change) =>
        !Itself(change).Any() ? [] : Both(change, w => Keys(caches.ModelDeployments.Cache.ListByNamespace(w.Metadata.NamespaceProperty).Where(d => WaiverRules.Selects(w, d))));

    /// <summary>A waiver's own change, except the echo of the operator's status write.</summary>
    public static IEnumerable<ObjectKey> Itself(InformerEvent<BaselineException> change) =>
        change.OldObject is { } old && old.Metadata.ResourceVersion != change.Object.Metadata.ResourceVersion && old.Metadata.Generation == change.Object.Metadata.Generation
            ? []
            : [ObjectKey.Of(change.Object)];

    /// <summary>The waivers of a deployment's namespace: which deployments each selects may have changed.</summary>
    public IEnumerable<ObjectKey> WaiversOfModelDeployment(InformerEvent<AIModelDeployment> change) =>
        OfModelDeployment(change).Any()
            ? caches.Waivers.Cache.ListByNamespace(change.Object.Metadata.NamespaceProperty).Select(w => ObjectKey.Of(w))
            : [];

    /// <summary>
    /// Every waiver: a profile's waiver limits decide whether each applies. A write of the profile's own status (its
    /// inventory summary) changes no limit.
    /// </summary>
    public IEnumerable<ObjectKey> WaiversOfProfile(InformerEvent<BaselineProfile> change) =>
        StatusOnly(change.Object.Metadata, change.OldObject?.Metadata) ? [] : caches.Waivers.Cache.List().Select(w => ObjectKey.Of(w));

    /// <summary>
    /// The deployments that use the profile, when its spec changed: the operator writes the profile's status (the
    /// inventory summary), which no verdict reads, so that write re-judges nothing.
    /// </summary>
    public IEnumerable<ObjectKey> OfProfile(InformerEvent<BaselineProfile> change) =>
        StatusOnly(change.Object.Metadata, change.OldObject?.Metadata)
            ? []
            : Keys(caches.ModelDeployments.Cache.ByIndex(ClusterCaches.ByProfile, change.Object.Metadata.Name));

    public IEnumerable<ObjectKey> OfDeployment(InformerEvent<V1Deployment> change) =>
        StatusOnly(change.Object.Metadata, change.OldObject?.Metadata) ? [] : OfWorkload(WorkloadKind.Deployment, change.Object.Metadata);

    public IEnumerable<ObjectKey> OfStatefulSet(InformerEvent<V1StatefulSet> change) =>
        StatusOnly(change.Object.Metadata, change.OldObject?.Metadata) ? [] : OfWorkload(WorkloadKind.StatefulSet, change.Object.Metadata);

    /// <summary>
    /// A change of a workload of any other kind: DaemonSets, Jobs, CronJobs and Pods, and the serving stacks' custom
    /// resources. A Deployment that an InferenceService controls is part of that InferenceService's pods.
    /// </summary>
    public Func<InformerEvent<T>, IEnumerable<ObjectKey>> OfWorkloadKind<T>(WorkloadKind kind)
        where T : class, k8s.IKubernetesObject<V1ObjectMeta> =>
        change => StatusOnly(change.Object.Metadata, change.OldObject?.Metadata) ? [] : OfWorkload(kind, change.Object.Metadata);

    /// <summary>The deployments of the InferenceService that controls a changed Deployment.</summary>
    public IEnumerable<ObjectKey> OfOwningInferenceService(InformerEvent<V1Deployment> change) =>
        StatusOnly(change.Object.Metadata, change.OldObject?.Metadata) || ClusterCaches.InferenceServiceOwner(change.Object.Metadata) is not { } owner
            ? []
            : Keys(caches.ModelDeployments.Cache.ByIndex(ClusterCaches.ByWorkload, ClusterCaches.WorkloadIndexValue(change.Object.Metadata.NamespaceProperty, WorkloadKind.InferenceService, owner)));

    /// <summary>
    /// A workload that no AIModelDeployment declares and that is, or was before the change, a model server no controller
    /// owns: every deployment of its namespace, whose AssetInventory counts the namespace's undeclared model servers.
    /// Appearing, disappearing and a new image all pass; a status-only update does not. A declared workload stays declared
    /// whatever it runs, so its changes concern only its own deployment (declaring is a change of the AIModelDeployment:
    /// <see cref="InventoryOfModelDeployment"/>).
    /// </summary>
    public Func<InformerEvent<T>, IEnumerable<ObjectKey>> OfNamespaceInventory<T>(WorkloadKind kind)
        where T : class, k8s.IKubernetesObject<V1ObjectMeta> =>
        change => StatusOnly(change.Object.Metadata, change.OldObject?.Metadata)
            || OfWorkload(kind, change.Object.Metadata).Any()
            || !new[] { change.Object, change.OldObject }.Any(o => o is not null && IsModelServer(kind, o))
            ? []
            : Keys(caches.ModelDeployments.Cache.ListByNamespace(change.Object.Metadata.NamespaceProperty));

    /// <summary>
    /// A deployment that appeared, went away or names another workload declares or stops declaring a model server: the
    /// other deployments of its namespace, whose AssetInventory counts the undeclared ones.
    /// </summary>
    public IEnumerable<ObjectKey> InventoryOfModelDeployment(InformerEvent<AIModelDeployment> change)
    {
        var (now, old) = (change.Object.Spec?.WorkloadRef, change.OldObject?.Spec?.WorkloadRef);
        var moved = change.Type != InformerEventType.Updated || now?.Kind != old?.Kind || now?.Name != old?.Name;
        return moved ? Keys(caches.ModelDeployments.Cache.ListByNamespace(change.Object.Metadata.NamespaceProperty)) : [];
    }

    private static bool IsModelServer(WorkloadKind kind, object workload)
    {
        var meta = ((k8s.IKubernetesObject<V1ObjectMeta>)workload).Metadata;
        if (meta.OwnerReferences?.Any(o => o.Controller == true) == true)
        {
            return false;
        }

        WorkloadState? state = workload switch
        {
            V1Deployment d => Workloads.From(d),
            V1StatefulSet s => Workloads.From(s),
            V1DaemonSet d => Workloads.From(d),
            V1Job j => new WorkloadState(kind, meta.Name, null, j.Spec?.Template ?? new()),
            V1CronJob c => new WorkloadState(kind, meta.Name, null, c.Spec?.JobTemplate?.Spec?.Template ?? new()),
            V1Pod { Spec: not null } p => new WorkloadState(kind, meta.Name, null, new V1PodTemplateSpec { Spec = p.Spec }),
            CustomWorkload c => Engine.Workloads.WorkloadReader.Read(kind, c.ToJson()),
            _ => null,
        };
        return state is not null && Engine.Inventory.ModelServers.Why(state) is not null;
    }

    /// <summary>
    /// A workload update that kept its generation changed only its status (rollout progress, ready replicas), which
    /// the evaluation never reads: in a busy cluster these are most workload events. Resyncs still pass, and so does a
    /// change of the GitOps tool that tracks it (metadata, which KnownGoodState reads).
    /// </summary>
    private static bool StatusOnly(V1ObjectMeta now, V1ObjectMeta? old) =>
        old is not null && old.ResourceVersion != now.ResourceVersion && old.Generation is not null && old.Generation == now.Generation
        && GitOps.TrackerOf(old.Labels, old.Annotations) == GitOps.TrackerOf(now.Labels, now.Annotations);

    /// <summary>Any policy of a namespace can select (or stop selecting) any of its pods.</summary>
    public IEnumerable<ObjectKey> OfNetworkPolicy(InformerEvent<V1NetworkPolicy> change) =>
        Keys(caches.ModelDeployments.Cache.ListByNamespace(change.Object.Metadata.NamespaceProperty));

    public IEnumerable<ObjectKey> OfSecret(InformerEvent<PartialObjectMetadata> change) =>
        InNamespace(change.Object.Metadata, (d, refs, name) => refs.Secrets.Contains(name) || (d.Spec.Retirement?.Secrets?.Contains(name) ?? false));

    public IEnumerable<ObjectKey> OfConfigMap(InformerEvent<V1ConfigMap> change) =>
        InNamespace(change.Object.Metadata, (_, refs, name) => refs.ConfigMaps.Contains(name));

    public IEnumerable<ObjectKey> OfServiceAccount(InformerEvent<V1ServiceAccount> change) =>
        InNamespace(change.Object.Metadata, (_, refs, name) => refs.RunsAs(name));

    /// <summary>A Service may select (or stop selecting) any pod of its namespace, and retirement lists Services by name.</summary>
    public IEnumerable<ObjectKey> OfService(InformerEvent<V1Service> change) =>
        Keys(caches.ModelDeployments.Cache.ListByNamespace(change.Object.Metadata.NamespaceProperty));

    /// <summary>An Ingress or route may send traffic to any Service of its namespace.</summary>
    public IEnumerable<ObjectKey> OfRoute<T>(InformerEvent<T> change)
        where T : class, k8s.IKubernetesObject<V1ObjectMeta> =>
        Keys(caches.ModelDeployments.Cache.ListByNamespace(change.Object.Metadata.NamespaceProperty));

    /// <summary>
    /// A rate limit policy limits routes of its namespace, or, on a Gateway, every route attached to it from any namespace:
    /// the deployments of its namespace and of the namespaces whose routes name one of its namespace's Gateways.
    /// </summary>
    public IEnumerable<ObjectKey> OfRateLimitPolicy(InformerEvent<ExposureObject> change)
    {
        var ns = change.Object.Metadata.NamespaceProperty;
        var attached = caches.Exposure.Values.SelectMany(i => i.Cache.List())
            .Where(o => o.Spec?["parentRefs"] is System.Text.Json.Nodes.JsonArray parents
                && parents.Any(p => ((p?["namespace"] as System.Text.Json.Nodes.JsonValue)?.ToString() ?? o.Metadata.NamespaceProperty) == ns))
            .Select(o => o.Metadata.NamespaceProperty);
        return attached.Prepend(ns).Distinct(StringComparer.Ordinal).SelectMany(n => Keys(caches.ModelDeployments.Cache.ListByNamespace(n)));
    }

    /// <summary>
    /// A ServiceMonitor or PodMonitor may select pods of every namespace its namespaceSelector takes in, before and after
    /// the change; a PrometheusRule concerns the deployments of its namespace and of the namespaces its namespace's
    /// monitors watch; a VulnerabilityReport the deployments of its namespace.
    /// </summary>
    public IEnumerable<ObjectKey> OfMonitoringObject(InformerEvent<MonitoringObject> change) => change.Object.Kind switch
    {
        "ServiceMonitor" or "PodMonitor" => Both(change, m => ClusterCaches.WatchedNamespaces(m).SelectMany(InNamespaceOrAll)),
        "PrometheusRule" => new[] { MonitoringType.ServiceMonitor, MonitoringType.PodMonitor }
            .SelectMany(t => caches.Monitoring[t.Kind].Cache.ListByNamespace(change.Object.Metadata.NamespaceProperty))
            .SelectMany(ClusterCaches.WatchedNamespaces)
            .Prepend(change.Object.Metadata.NamespaceProperty)
            .Distinct(StringComparer.Ordinal)
            .ToList()
            .SelectMany(InNamespaceOrAll),
        _ => Keys(caches.ModelDeployments.Cache.ListByNamespace(change.Object.Metadata.NamespaceProperty)),
    };

    /// <summary>
    /// The Prometheus Operator's or Trivy Operator's CRD was installed or removed: every deployment's monitoring or
    /// vulnerability verdict may move between Unknown and judged, even where no object of the kind exists.
    /// </summary>
    public IEnumerable<ObjectKey> OfMonitoringCrd(InformerEvent<PartialObjectMetadata> change) =>
        change.Type != InformerEventType.Updated && MonitoringType.All.Any(t => t.CrdName == change.Object.Metadata.Name)
            ? Keys(caches.ModelDeployments.Cache.List())
            : [];

    private IEnumerable<ObjectKey> InNamespaceOrAll(string ns) =>
        Keys(ns == ClusterCaches.AnyNamespace ? caches.ModelDeployments.Cache.List() : caches.ModelDeployments.Cache.ListByNamespace(ns));

    public IEnumerable<ObjectKey> OfPersistentVolumeClaim(InformerEvent<PartialObjectMetadata> change) =>
        InNamespace(change.Object.Metadata, (d, _, name) => d.Spec.Retirement?.PersistentVolumeClaims?.Contains(name) ?? false);

    /// <summary>A CiliumNetworkPolicy may select any pod of its namespace; a clusterwide one any pod of the cluster.</summary>
    public IEnumerable<ObjectKey> OfCiliumPolicy(InformerEvent<CiliumNetworkPolicy> change) =>
        Keys(change.Object.IsClusterwide ? caches.ModelDeployments.Cache.List() : caches.ModelDeployments.Cache.ListByNamespace(change.Object.Metadata.NamespaceProperty));

    public IEnumerable<ObjectKey> OfRoleBinding(InformerEvent<V1RoleBinding> change) =>
        Both(change, b => UsingAccounts(b.Subjects, b.Metadata.NamespaceProperty));

    public IEnumerable<ObjectKey> OfClusterRoleBinding(InformerEvent<V1ClusterRoleBinding> change) =>
        Both(change, b => UsingAccounts(b.Subjects, null));

    public IEnumerable<ObjectKey> OfRole(InformerEvent<V1Role> change)
    {
        var ns = change.Object.Metadata.NamespaceProperty;
        return caches.RoleBindings.Cache.ListByNamespace(ns)
            .Where(b => b.RoleRef.Kind == "Role" && b.RoleRef.Name == change.Object.Metadata.Name)
            .SelectMany(b => UsingAccounts(b.Subjects, ns))
            .Distinct();
    }

    public IEnumerable<ObjectKey> OfClusterRole(InformerEvent<V1ClusterRole> change)
    {
        // An aggregated ClusterRole grants the rules of the roles it selects: a change to one changes what it grants.
        var labels = change.Object.Metadata.Labels ?? new Dictionary<string, string>();
        var aggregating = caches.ClusterRoles.Cache.List()
            .Where(r => r.AggregationRule?.ClusterRoleSelectors?.Any(s => Selects(s, labels)) ?? false)
            .SelectMany(r => OfClusterRoleNamed(r.Metadata.Name));
        return OfClusterRoleNamed(change.Object.Metadata.Name).Concat(aggregating).Distinct();
    }

    private static bool Selects(V1LabelSelector selector, IDictionary<string, string> labels) =>
        (selector.MatchLabels ?? new Dictionary<string, string>()).All(p => labels.TryGetValue(p.Key, out var v) && v == p.Value)
        && (selector.MatchExpressions is not { Count: > 0 } || selector.MatchExpressions.Any(r => labels.ContainsKey(r.Key)));

    private IEnumerable<ObjectKey> OfClusterRoleNamed(string name)
    {
        var viaRoleBindings = caches.RoleBindings.Cache.List()
            .Where(b => b.RoleRef.Kind == "ClusterRole" && b.RoleRef.Name == name)
            .SelectMany(b => UsingAccounts(b.Subjects, b.Metadata.NamespaceProperty));
        var viaClusterBindings = caches.ClusterRoleBindings.Cache.List()
            .Where(b => b.RoleRef.Name == name)
            .SelectMany(b => UsingAccounts(b.Subjects, null));
        return viaRoleBindings.Concat(viaClusterBindings).Distinct();
    }

    private IEnumerable<ObjectKey> OfWorkload(WorkloadKind kind, V1ObjectMeta meta) =>
        Keys(caches.ModelDeployments.Cache.ByIndex(ClusterCaches.ByWorkload, ClusterCaches.WorkloadIndexValue(meta.NamespaceProperty, kind, meta.Name)));

    /// <summary>Deployments of the object's namespace for which <paramref name="uses"/> holds, given their pod references.</summary>
    private IEnumerable<ObjectKey> InNamespace(V1ObjectMeta meta, Func<AIModelDeployment, PodReferences, string, bool> uses) =>
        caches.ModelDeployments.Cache.ListByNamespace(meta.NamespaceProperty)
            .Where(d => uses(d, PodReferences.Of(caches.WorkloadOf(d)), meta.Name))
            .Select(ObjectKey.Of);

    /// <summary>Deployments whose pods run as one of the ServiceAccount subjects.</summary>
    private IEnumerable<ObjectKey> UsingAccounts(IList<Rbacv1Subject>? subjects, string? bindingNamespace)
    {
        foreach (var subject in subjects ?? [])
        {
            if (subject.Kind == "Group" && RoleGrants.IsServiceAccountGroup(subject.Name, null))
            {
                // A group takes in every ServiceAccount of a namespace or of the cluster.
                var scope = subject.Name.StartsWith(RoleGrants.AllServiceAccountsGroup + ":", StringComparison.Ordinal)
                    ? caches.ModelDeployments.Cache.ListByNamespace(subject.Name[(RoleGrants.AllServiceAccountsGroup.Length + 1)..])
                    : caches.ModelDeployments.Cache.List();
                foreach (var deployment in scope)
                {
                    yield return ObjectKey.Of(deployment);
                }

                continue;
            }

            if (subject.Kind != "ServiceAccount")
            {
                continue;
            }

            var ns = subject.NamespaceProperty ?? bindingNamespace;
            if (ns is null)
            {
                continue;
            }

            foreach (var deployment in caches.ModelDeployments.Cache.ListByNamespace(ns))
            {
                if (PodReferences.Of(caches.WorkloadOf(deployment)).RunsAs(subject.Name))
                {
                    yield return ObjectKey.Of(deployment);
                }
            }
        }
    }

    private static IEnumerable<ObjectKey> Both<T>(InformerEvent<T> change, Func<T, IEnumerable<ObjectKey>> keysOf)
        where T : class =>
        change.OldObject is null ? keysOf(change.Object) : keysOf(change.Object).Concat(keysOf(change.OldObject)).Distinct();

    private static IEnumerable<ObjectKey> Keys(IEnumerable<AIModelDeployment> deployments) => deployments.Select(ObjectKey.Of);
}
