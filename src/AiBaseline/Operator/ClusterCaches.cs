using System.Collections.Immutable;
using AiBaseline.Api.V1Alpha1;
using AiBaseline.Controller;
using AiBaseline.Controller.Api;
using AiBaseline.Controller.Informers;
using AiBaseline.Engine;
using AiBaseline.Engine.Controls;
using AiBaseline.Engine.Gathering;
using AiBaseline.Engine.Inventory;
using AiBaseline.Engine.Waivers;
using AiBaseline.Engine.Workloads;
using k8s;
using k8s.Models;

namespace AiBaseline.Operator;

/// <summary>
/// Informers over every resource the evaluation reads. Namespaced resources are watched in each <c>--namespace</c>,
/// one informer per namespace (or one for all namespaces); cluster-scoped ones by one informer each. Secrets and PersistentVolumeClaims as metadata only, since only their names matter and the
/// caches must never hold Secret values (pull secrets read for <c>--read-pull-secrets</c> are one-off GETs, not cached);
/// Services with their type and selector alone.
/// </summary>
internal sealed class ClusterCaches
{
    /// <summary>AIModelDeployments by the profile they use.</summary>
    public const string ByProfile = "profile";

    /// <summary>AIModelDeployments by <c>namespace/Kind/name</c> of their workload.</summary>
    public const string ByWorkload = "workload";

    /// <summary>ServiceMonitors and PodMonitors by the namespaces their namespaceSelector takes in, <see cref="AnyNamespace"/> for all.</summary>
    public const string ByWatchedNamespace = "watches";

    /// <summary>The <see cref="ByWatchedNamespace"/> value of a monitor whose namespaceSelector is any: true.</summary>
    public const string AnyNamespace = "*";

    /// <summary>Deployments by the name of the InferenceService that controls them (KServe's raw deployment mode).</summary>
    public const string ByOwningInferenceService = "inferenceservice";

    public ClusterCaches(KubeApiClient api, IReadOnlyList<string> namespaces, ILoggerFactory loggers, TimeProvider time)
    {
        // managedFields are never read and are often the largest part of an object's metadata. Nor are the objects'
        // own annotations, except an AIModelDeployment's (the retired allow-deletion one is warned about); kubectl's
        // client-side apply keeps a whole copy of each object in one (last-applied-configuration). Pod template
        // annotations are spec: kept.
        // All of that is left out as each object is decoded (DecodeFilter), so it is never built; the Transform below
        // says the same of what a cached object holds.
        InformerSet<T> Watch<T>(ResourceType type, bool metadataOnly = false, Action<T>? trim = null, bool withoutStatus = false, IReadOnlyList<string>? keptAnnotations = null, bool withoutUid = false, Func<T, bool>? keep = null)
            where T : class, IKubernetesObject<V1ObjectMeta>
        {
            var cache = new InformerCache<T>();
            IReadOnlyList<string?> scopes = type.Namespaced && namespaces.Count > 0 ? [.. namespaces] : [null];
            return new InformerSet<T>(cache, scopes.Select(ns => new Informer<T>(
                api,
                new InformerOptions(type)
                {
                    Namespace = ns,
                    MetadataOnly = metadataOnly,
                    Name = scopes.Count > 1 ? $"{type} in {ns}" : type.ToString(),
                    Decode = new DecodeFilter(EmptyStatus: withoutStatus, KeepAnnotations: typeof(T) == typeof(AIModelDeployment)) { KeptAnnotationPrefixes = keptAnnotations ?? [], KeepUid = !withoutUid },
                },
                loggers.CreateLogger<Informer<T>>(),
                time)
            {
                Cache = cache,
                Keep = keep,
                Transform = o =>
                {
                    o.Metadata.ManagedFields = null;
                    if (o is not AIModelDeployment)
                    {
                        o.Metadata.Annotations = Kept(o.Metadata.Annotations, keptAnnotations ?? []);
                    }

                    trim?.Invoke(o);
                    return o;
                },
            }));
        }

        // The reconciler reads each deployment afresh before writing its status, so the cache does without the status,
        // which is most of the object (every provision and control): at 10,000 deployments hundreds of MiB. It keeps
        // whether there was one (StatusNotCached, one shared empty instance): a deployment that has none yet gets its
        // first verdict written without that read. Workload status (rollout progress) is never read either.
        ModelDeployments = Watch<AIModelDeployment>(OperatorResources.AIModelDeployments, trim: d => d.Status = d.Status is null ? null : StatusNotCached, withoutStatus: true);
        Profiles = Watch<BaselineProfile>(OperatorResources.BaselineProfiles);

        // A waiver's own status is the operator's output, read afresh before it is written, as a deployment's is.
        Waivers = Watch<BaselineException>(OperatorResources.BaselineExceptions, trim: w => w.Status = null, withoutStatus: true);
        // A workload keeps the GitOps tool's tracking annotation, if any, for KnownGoodState, and leaves out how it rolls
        // out (spec.strategy, spec.updateStrategy), which no control reads.
        Deployments = Watch<V1Deployment>(OperatorResources.Deployments, trim: d => { d.Status = null; d.Spec?.Strategy = null; }, withoutStatus: true, keptAnnotations: GitOps.Annotations);
        StatefulSets = Watch<V1StatefulSet>(OperatorResources.StatefulSets, trim: s => { s.Status = null; s.Spec?.UpdateStrategy = null; }, withoutStatus: true, keptAnnotations: GitOps.Annotations);
        // The objects below a deployment's verdict reads for what they select, grant or name, and never names in an event or
        // an owner reference, are cached without their uid (withoutUid): at 10,000 deployments four uids each, about 4 MiB.
        NetworkPolicies = Watch<V1NetworkPolicy>(OperatorResources.NetworkPolicies, withoutUid: true);

        // Cilium's policies are custom resources: watched only while their CRDs are installed, found by discovery, which
        // is asked again each minute until they are. The kind is set here because list items may omit it.
        CiliumPolicies = Watch<CiliumNetworkPolicy>(OperatorResources.CiliumNetworkPolicies, trim: p => p.Kind = CiliumNetworkPolicy.NamespacedKind, withoutUid: true);
        CiliumClusterwidePolicies = Watch<CiliumNetworkPolicy>(OperatorResources.CiliumClusterwideNetworkPolicies, trim: p => p.Kind = CiliumNetworkPolicy.ClusterwideKind, withoutUid: true);
        IInformer WhenServed(IInformer informer, ResourceType type) => new ConditionalInformer(informer, ct => api.ServesAsync(type, ct), time);
        optional =
        [
            .. CiliumPolicies.Members.Select(m => WhenServed(m, OperatorResources.CiliumNetworkPolicies)),
            .. CiliumClusterwidePolicies.Members.Select(m => WhenServed(m, OperatorResources.CiliumClusterwideNetworkPolicies)),
        ];
        Secrets = Watch<PartialObjectMetadata>(OperatorResources.Secrets, metadataOnly: true, withoutUid: true);

        // ConfigMaps are read only for entries that may hold a credential; every namespace has some and a few are large
        // (dashboards, CA bundles), so the cache keeps those entries alone, which leaves every verdict as it was.
        ConfigMaps = Watch<V1ConfigMap>(OperatorResources.ConfigMaps, trim: TrimConfigMap, withoutUid: true);
        ServiceAccounts = Watch<V1ServiceAccount>(OperatorResources.ServiceAccounts, withoutUid: true);
        // A Service keeps its type, selector and Kong plugins (ApiRateLimit: what exposes the model's pods), and its labels
        // and port names (MetricsScraping: what a ServiceMonitor selects and scrapes), nothing else.
        Services = Watch<V1Service>(
            OperatorResources.Services,
            trim: s =>
            {
                s.Status = null;
                s.Spec = s.Spec is null ? null : new V1ServiceSpec
                {
                    Type = s.Spec.Type,
                    Selector = s.Spec.Selector,
                    Ports = s.Spec.Ports?.Where(p => p.Name is not null).Select(p => new V1ServicePort { Name = p.Name, Port = p.Port }).ToList(),
                };
            },
            withoutStatus: true,
            keptAnnotations: [ExposureReader.KongPluginsAnnotation],
            withoutUid: true);
        Ingresses = Watch<V1Ingress>(
            OperatorResources.Ingresses,
            trim: i =>
            {
                i.Status = null;
                if (i.Spec is not null)
                {
                    i.Spec.Tls = null;
                }
            },
            withoutStatus: true,
            keptAnnotations: ExposureReader.Annotations,
            withoutUid: true);
        PersistentVolumeClaims = Watch<PartialObjectMetadata>(OperatorResources.PersistentVolumeClaims, metadataOnly: true);
        RoleBindings = Watch<V1RoleBinding>(OperatorResources.RoleBindings, withoutUid: true);
        ClusterRoleBindings = Watch<V1ClusterRoleBinding>(OperatorResources.ClusterRoleBindings, withoutUid: true);
        Roles = Watch<V1Role>(OperatorResources.Roles, withoutUid: true);
        ClusterRoles = Watch<V1ClusterRole>(OperatorResources.ClusterRoles, withoutUid: true);

        DaemonSets = Watch<V1DaemonSet>(OperatorResources.DaemonSets, trim: d => { d.Status = null; d.Spec?.UpdateStrategy = null; }, withoutStatus: true, keptAnnotations: GitOps.Annotations);
        Jobs = Watch<V1Job>(OperatorResources.Jobs, trim: j => j.Status = null, withoutStatus: true, keptAnnotations: GitOps.Annotations);
        CronJobs = Watch<V1CronJob>(OperatorResources.CronJobs, trim: c => c.Status = null, withoutStatus: true, keptAnnotations: GitOps.Annotations);

        // Only bare Pods are workloads of their own (KubeAI's model operator creates them); a Pod that a ReplicaSet, Job or
        // other controller owns is judged through its owner and read by nothing, so it is not cached at all (one whose
        // owner lets it go is cached from then on): in a cluster that runs every deployment's replicas, most Pods.
        Pods = Watch<V1Pod>(
            OperatorResources.Pods,
            trim: p => p.Status = null,
            withoutStatus: true,
            keptAnnotations: GitOps.Annotations,
            keep: p => !Controlled(p.Metadata));

        // The serving stacks' kinds are watched only while their CustomResourceDefinition exists: a metadata-only watch of
        // CustomResourceDefinitions turns each on when it is installed and off when it is removed, without an API call of its own.
        CustomResourceDefinitions = Watch<PartialObjectMetadata>(OperatorResources.CustomResourceDefinitions, metadataOnly: true);
        var crdSynced = CustomResourceDefinitions.Members[0];
        Custom = WorkloadTypes.All.Where(t => t.Crd).ToImmutableDictionary(t => t.Kind, t =>
        {
            var resource = OperatorResources.Of(t);
            IReadOnlyList<string?> scopes = namespaces.Count > 0 ? [.. namespaces] : [null];
            return new OptionalInformer<CustomWorkload>(
                resource.ToString(),
                cache => [.. scopes.Select(ns => new Informer<CustomWorkload>(
                    api,
                    new InformerOptions(resource) { Namespace = ns, Name = scopes.Count > 1 ? $"{resource} in {ns}" : resource.ToString() },
                    loggers.CreateLogger<Informer<CustomWorkload>>(),
                    time)
                {
                    Cache = cache,
                    Transform = o =>
                    {
                        o.Metadata.ManagedFields = null;
                        o.Metadata.Annotations = FilterAnnotations(o.Metadata.Annotations);
                        return o;
                    },
                })],
                crdSynced.WaitForSyncAsync);
        });
        // Gateway API routes, Envoy Gateway's and Kong's rate limit policies, the same way, trimmed to what ApiRateLimit reads.
        Exposure = ExposureType.All.ToImmutableDictionary(t => t.Kind, t =>
        {
            IReadOnlyList<string?> scopes = namespaces.Count > 0 ? [.. namespaces] : [null];
            return new OptionalInformer<ExposureObject>(
                t.Resource.ToString(),
                cache => [.. scopes.Select(ns => new Informer<ExposureObject>(
                    api,
                    new InformerOptions(t.Resource)
                    {
                        Namespace = ns,
                        Name = scopes.Count > 1 ? $"{t.Resource} in {ns}" : t.Resource.ToString(),
                        Decode = new DecodeFilter(EmptyStatus: true, KeepAnnotations: false) { KeptAnnotationPrefixes = [ExposureReader.KongPluginsAnnotation] },
                    },
                    loggers.CreateLogger<Informer<ExposureObject>>(),
                    time)
                {
                    Cache = cache,
                    Transform = o => o.Trim(t.Kind),
                })],
                crdSynced.WaitForSyncAsync);
        }, StringComparer.Ordinal);
        // ServiceMonitors, PodMonitors, PrometheusRules and Trivy's VulnerabilityReports, the same way, trimmed to what
        // MetricsScraping, PerformanceTracking and VulnerabilityFixes read.
        Monitoring = MonitoringType.All.ToImmutableDictionary(t => t.Kind, t =>
        {
            IReadOnlyList<string?> scopes = namespaces.Count > 0 ? [.. namespaces] : [null];
            return new OptionalInformer<MonitoringObject>(
                t.Resource.ToString(),
                cache => [.. scopes.Select(ns => new Informer<MonitoringObject>(
                    api,
                    new InformerOptions(t.Resource)
                    {
                        Namespace = ns,
                        Name = scopes.Count > 1 ? $"{t.Resource} in {ns}" : t.Resource.ToString(),
                        Decode = new DecodeFilter(EmptyStatus: true, KeepAnnotations: false),
                    },
                    loggers.CreateLogger<Informer<MonitoringObject>>(),
                    time)
                {
                    Cache = cache,
                    Transform = o => o.Trim(t.Kind),
                })],
                crdSynced.WaitForSyncAsync);
        }, StringComparer.Ordinal);
        CustomResourceDefinitions.AddHandler(change =>
        {
            if (MonitoringType.All.FirstOrDefault(t => t.CrdName == change.Object.Metadata.Name) is { } monitoring)
            {
                Monitoring[monitoring.Kind].SetAvailable(change.Type != InformerEventType.Deleted);
            }

            if (WorkloadTypes.All.FirstOrDefault(t => t.Crd && t.CrdName == change.Object.Metadata.Name) is { } type)
            {
                Custom[type.Kind].SetAvailable(change.Type != InformerEventType.Deleted);
            }

            if (ExposureType.All.FirstOrDefault(t => t.CrdName == change.Object.Metadata.Name) is { } exposure)
            {
                Exposure[exposure.Kind].SetAvailable(change.Type != InformerEventType.Deleted);
            }
        });

        foreach (var type in new[] { MonitoringType.ServiceMonitor, MonitoringType.PodMonitor })
        {
            Monitoring[type.Kind].Cache.AddIndexer(ByWatchedNamespace, WatchedNamespaces);
        }

        Deployments.Cache.AddIndexer(ByOwningInferenceService, d => InferenceServiceOwner(d.Metadata) is { } owner ? [owner] : []);
        ModelDeployments.Cache.AddIndexer(ByProfile, d => [BaselineEngine.ProfileName(d)]);
        ModelDeployments.Cache.AddIndexer(ByWorkload, d => d.Spec.WorkloadRef is { } w ? [WorkloadIndexValue(d.Metadata.NamespaceProperty, w.Kind, w.Name)] : []);
    }

    /// <summary>
    /// What a cached AIModelDeployment holds for a status that the API server has: nothing of it (an empty status,
    /// shared). A cached status of null means the deployment has no status yet.
    /// </summary>
    public static readonly AIModelDeploymentStatus StatusNotCached = new();

    /// <summary>AIModelDeployments without their status: read a deployment from the API server when its status matters.</summary>
    public InformerSet<AIModelDeployment> ModelDeployments { get; }

    public InformerSet<BaselineProfile> Profiles { get; }

    /// <summary>BaselineExceptions without their status.</summary>
    public InformerSet<BaselineException> Waivers { get; }

    public InformerSet<V1Deployment> Deployments { get; }

    public InformerSet<V1StatefulSet> StatefulSets { get; }

    public InformerSet<V1DaemonSet> DaemonSets { get; }

    public InformerSet<V1Job> Jobs { get; }

    public InformerSet<V1CronJob> CronJobs { get; }

    /// <summary>Bare Pods: those no controller owns.</summary>
    public InformerSet<V1Pod> Pods { get; }

    /// <summary>CustomResourceDefinitions, metadata only: which serving stacks are installed.</summary>
    public InformerSet<PartialObjectMetadata> CustomResourceDefinitions { get; }

    /// <summary>The serving stacks' workloads by kind, each watched while its CustomResourceDefinition exists.</summary>
    public ImmutableDictionary<WorkloadKind, OptionalInformer<CustomWorkload>> Custom { get; }

    public InformerSet<V1NetworkPolicy> NetworkPolicies { get; }

    /// <summary>CiliumNetworkPolicies; empty where Cilium is not installed.</summary>
    public InformerSet<CiliumNetworkPolicy> CiliumPolicies { get; }

    /// <summary>CiliumClusterwideNetworkPolicies; empty where Cilium is not installed.</summary>
    public InformerSet<CiliumNetworkPolicy> CiliumClusterwidePolicies { get; }

    public InformerSet<PartialObjectMetadata> Secrets { get; }

    public InformerSet<V1ConfigMap> ConfigMaps { get; }

    public InformerSet<V1ServiceAccount> ServiceAccounts { get; }

    /// <summary>Services with only their type, selector and Kong plugins.</summary>
    public InformerSet<V1Service> Services { get; }

    /// <summary>Ingresses without their status and TLS, with only the annotations ApiRateLimit reads.</summary>
    public InformerSet<V1Ingress> Ingresses { get; }

    /// <summary>Gateway API routes and rate limit policies by kind, each watched while its CustomResourceDefinition exists.</summary>
    public ImmutableDictionary<string, OptionalInformer<ExposureObject>> Exposure { get; }

    /// <summary>ServiceMonitors, PodMonitors, PrometheusRules and VulnerabilityReports by kind, each watched while its CustomResourceDefinition exists.</summary>
    public ImmutableDictionary<string, OptionalInformer<MonitoringObject>> Monitoring { get; }

    public InformerSet<PartialObjectMetadata> PersistentVolumeClaims { get; }

    public InformerSet<V1RoleBinding> RoleBindings { get; }

    public InformerSet<V1ClusterRoleBinding> ClusterRoleBindings { get; }

    public InformerSet<V1Role> Roles { get; }

    public InformerSet<V1ClusterRole> ClusterRoles { get; }

    /// <summary>Every informer, for the manager, readiness and the synced metric.</summary>
    public ImmutableArray<IInformer> All =>
    [
        .. ModelDeployments.Members, .. Profiles.Members, .. Waivers.Members, .. Deployments.Members, .. StatefulSets.Members,
        .. NetworkPolicies.Members, .. Secrets.Members, .. ConfigMaps.Members, .. ServiceAccounts.Members, .. Services.Members,
        .. PersistentVolumeClaims.Members, .. RoleBindings.Members, .. ClusterRoleBindings.Members, .. Roles.Members, .. ClusterRoles.Members,
        .. DaemonSets.Members, .. Jobs.Members, .. CronJobs.Members, .. Pods.Members, .. CustomResourceDefinitions.Members,
        .. Custom.OrderBy(c => c.Key).Select(c => (IInformer)c.Value),
        .. Ingresses.Members,
        .. Exposure.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => (IInformer)e.Value),
        .. Monitoring.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => (IInformer)e.Value),
        .. optional,
    ];

    private readonly ImmutableArray<IInformer> optional;

    // KServe's deployment mode is an annotation of the InferenceService; with a GitOps tool's tracking annotation, the only ones of a serving object worth keeping.
    private static readonly string[] ServingAnnotations = ["serving.kserve.io/", .. GitOps.Annotations];

    private static Dictionary<string, string>? FilterAnnotations(IDictionary<string, string>? annotations) => Kept(annotations, ServingAnnotations);

    /// <summary>The annotations whose keys start with one of <paramref name="prefixes"/>; null when none.</summary>
    private static Dictionary<string, string>? Kept(IDictionary<string, string>? annotations, IReadOnlyList<string> prefixes) =>
        prefixes.Count == 0 || annotations is null ? null
        : annotations.Where(a => prefixes.Any(p => a.Key.StartsWith(p, StringComparison.Ordinal))).ToDictionary(StringComparer.Ordinal) is { Count: > 0 } kept ? kept : null;

    private static void TrimConfigMap(V1ConfigMap configMap)
    {
        configMap.BinaryData = null;
        if (configMap.Data is { } data && data.Any(entry => !SecretsHandlingControl.MayHoldCredential(entry.Key, entry.Value)))
        {
            configMap.Data = data.Where(entry => SecretsHandlingControl.MayHoldCredential(entry.Key, entry.Value)).ToDictionary(StringComparer.Ordinal);
        }
    }

    /// <summary>The Ingresses, HTTPRoutes and GRPCRoutes of a namespace, as ApiRateLimit reads them.</summary>
    public ImmutableArray<ExternalRoute> RoutesOf(string ns) =>
    [
        .. Ingresses.Cache.ListByNamespace(ns).Select(ExposureReader.Route),
        .. ExposureType.All.Where(t => !t.IsPolicy).SelectMany(t => Exposure[t.Kind].Cache.ListByNamespace(ns).Select(o => ExposureReader.Route(t.Kind, ns, o.ToJson()))),
    ];

    /// <summary>The BackendTrafficPolicies and KongPlugins of a namespace.</summary>
    public IEnumerable<RateLimitPolicy> RateLimitPoliciesOf(string ns) =>
        ExposureType.All.Where(t => t.IsPolicy).SelectMany(t => Exposure[t.Kind].Cache.ListByNamespace(ns).Select(o => ExposureReader.Policy(t.Kind, ns, o.ToJson())));

    /// <summary>
    /// The monitors whose namespaceSelector takes in the namespace, the PrometheusRules of the namespace and of those
    /// monitors' namespaces, and whether the Prometheus Operator's CRDs are served.
    /// </summary>
    public MonitoringState MonitoringOf(string ns)
    {
        var installed = Monitoring[MonitoringType.ServiceMonitor.Kind].IsAvailable || Monitoring[MonitoringType.PodMonitor.Kind].IsAvailable;
        var monitors = new[] { MonitoringType.ServiceMonitor, MonitoringType.PodMonitor }
            .SelectMany(t => Monitoring[t.Kind].Cache.ByIndex(ByWatchedNamespace, ns).Concat(Monitoring[t.Kind].Cache.ByIndex(ByWatchedNamespace, AnyNamespace))
                .Select(o => (MetricsMonitor)o.Read!))
            .Where(m => m.Watches(ns))
            .ToImmutableArray();
        var rules = monitors.Select(m => m.Namespace).Prepend(ns).Distinct(StringComparer.Ordinal)
            .SelectMany(n => Monitoring[MonitoringType.PrometheusRule.Kind].Cache.ListByNamespace(n).Select(o => (AlertRuleSet)o.Read!));
        return new MonitoringState(installed, monitors, [.. rules]);
    }

    /// <summary>The VulnerabilityReports of the namespace, and whether Trivy Operator's CRD is served.</summary>
    public VulnerabilityState VulnerabilitiesOf(string ns)
    {
        var reports = Monitoring[MonitoringType.VulnerabilityReport.Kind];
        return new VulnerabilityState(reports.IsAvailable, [.. reports.Cache.ListByNamespace(ns).Select(o => (ImageVulnerabilityReport)o.Read!)]);
    }

    /// <summary>The namespaces a ServiceMonitor or PodMonitor selects in: its own, those of matchNames, or all.</summary>
    public static IEnumerable<string> WatchedNamespaces(MonitoringObject monitor)
    {
        var read = (MetricsMonitor)monitor.Read!;
        return read.AnyNamespace ? [AnyNamespace] : read.MatchNames.IsDefaultOrEmpty ? [read.Namespace] : read.MatchNames;
    }

    /// <summary>The waivers of the deployment's namespace that select it.</summary>
    public ImmutableArray<BaselineException> WaiversOf(AIModelDeployment deployment) =>
        [.. Waivers.Cache.ListByNamespace(deployment.Metadata.NamespaceProperty).Where(w => WaiverRules.Selects(w, deployment))];

    /// <summary>Another object controls it (an ownerReference with controller: true).</summary>
    public static bool Controlled(V1ObjectMeta meta) => meta.OwnerReferences?.Any(o => o.Controller == true) == true;

    public static string WorkloadIndexValue(string? ns, WorkloadKind kind, string name) => $"{ns}/{kind}/{name}";

    /// <summary>The name of the InferenceService that controls an object, from its ownerReferences.</summary>
    public static string? InferenceServiceOwner(V1ObjectMeta meta) =>
        meta.OwnerReferences?.FirstOrDefault(o => o.Controller == true && o.Kind == "InferenceService" && o.ApiVersion.StartsWith("serving.kserve.io/", StringComparison.Ordinal))?.Name;

    /// <summary>The pod templates of the workload a deployment names, when it exists.</summary>
    public WorkloadState? WorkloadOf(AIModelDeployment deployment) =>
        deployment.Spec.WorkloadRef is { } reference ? Workload(reference.Kind, deployment.Metadata.NamespaceProperty, reference.Name)?.State : null;

    /// <summary>
    /// The model servers of the namespace that no AIModelDeployment declares, from the caches: every workload of every
    /// watched kind in the namespace, less those a controller owns (their owner counts) and those a deployment names.
    /// </summary>
    public ImmutableArray<UndeclaredWorkload> UndeclaredIn(string ns) =>
        [.. WorkloadInventory.Undeclared(
            WorkloadsIn(ns).Select(w => (w, ns, w.State, w.Owned)),
            (kind, n, name) => ModelDeployments.Cache.ByIndex(ByWorkload, WorkloadIndexValue(n, kind, name)).Length > 0)
            .Select(u => u.Workload)];

    /// <summary>Every workload of the namespace, of every watched kind.</summary>
    public IEnumerable<CachedWorkload> WorkloadsIn(string ns)
    {
        IEnumerable<(WorkloadKind Kind, string Name)> names =
        [
            .. Deployments.Cache.ListByNamespace(ns).Select(o => (WorkloadKind.Deployment, o.Metadata.Name)),
            .. StatefulSets.Cache.ListByNamespace(ns).Select(o => (WorkloadKind.StatefulSet, o.Metadata.Name)),
            .. DaemonSets.Cache.ListByNamespace(ns).Select(o => (WorkloadKind.DaemonSet, o.Metadata.Name)),
            .. Jobs.Cache.ListByNamespace(ns).Select(o => (WorkloadKind.Job, o.Metadata.Name)),
            .. CronJobs.Cache.ListByNamespace(ns).Select(o => (WorkloadKind.CronJob, o.Metadata.Name)),
            .. Pods.Cache.ListByNamespace(ns).Where(p => p.Spec is not null).Select(o => (WorkloadKind.Pod, o.Metadata.Name)),
            .. Custom.SelectMany(c => c.Value.Cache.ListByNamespace(ns).Select(o => (c.Key, o.Metadata.Name))),
        ];
        return names.Select(n => Workload(n.Kind, ns, n.Name)).OfType<CachedWorkload>();
    }

    /// <summary>A workload of any kind from the caches, with its metadata; null when it does not exist.</summary>
    public CachedWorkload? Workload(WorkloadKind kind, string ns, string name)
    {
        var key = new ObjectKey(ns, name);
        return kind switch
        {
            WorkloadKind.Deployment when Deployments.Cache.Get(key) is { } d => new(Workloads.From(d), d.Metadata, d.ApiVersion ?? "apps/v1"),
            WorkloadKind.StatefulSet when StatefulSets.Cache.Get(key) is { } s => new(Workloads.From(s), s.Metadata, s.ApiVersion ?? "apps/v1"),
            WorkloadKind.DaemonSet when DaemonSets.Cache.Get(key) is { } d => new(Workloads.From(d), d.Metadata, d.ApiVersion ?? "apps/v1"),
            WorkloadKind.Job when Jobs.Cache.Get(key) is { } j => new(new WorkloadState(kind, name, j.Spec?.Suspend == true ? 0 : null, j.Spec?.Template ?? new()) { GitOpsTracker = GitOps.TrackerOf(j.Metadata.Labels, j.Metadata.Annotations) }, j.Metadata, j.ApiVersion ?? "batch/v1"),
            WorkloadKind.CronJob when CronJobs.Cache.Get(key) is { } c => new(new WorkloadState(kind, name, c.Spec?.Suspend == true ? 0 : null, c.Spec?.JobTemplate?.Spec?.Template ?? new()) { GitOpsTracker = GitOps.TrackerOf(c.Metadata.Labels, c.Metadata.Annotations) }, c.Metadata, c.ApiVersion ?? "batch/v1"),
            WorkloadKind.Pod when Pods.Cache.Get(key) is { Spec: not null } p => new(new WorkloadState(kind, name, null, new V1PodTemplateSpec { Metadata = new V1ObjectMeta { Labels = p.Metadata.Labels }, Spec = p.Spec }) { GitOpsTracker = GitOps.TrackerOf(p.Metadata.Labels, p.Metadata.Annotations) }, p.Metadata, p.ApiVersion ?? "v1"),
            WorkloadKind.InferenceService when Custom[kind].Cache.Get(key) is { } isvc => new(WithOwnedDeployments(WorkloadReader.Read(kind, isvc.ToJson()), ns), isvc.Metadata, isvc.ApiVersion),
            _ when Custom.TryGetValue(kind, out var informer) && informer.Cache.Get(key) is { } custom => new(WorkloadReader.Read(kind, custom.ToJson()), custom.Metadata, custom.ApiVersion),
            _ => null,
        };
    }

    // In the cluster an InferenceService's pods are those of the Deployments KServe made for it: their templates carry the
    // runtime's image and what KServe added, so they are judged too, each named by its Deployment.
    private WorkloadState WithOwnedDeployments(WorkloadState isvc, string ns)
    {
        var owned = Deployments.Cache.ByIndex(ByOwningInferenceService, isvc.Name).Where(d => d.Metadata.NamespaceProperty == ns).ToList();
        if (owned.Count == 0)
        {
            return isvc;
        }

        var templates = isvc.AllTemplates.Select(t => t.Role.Length == 0 ? t with { Role = "predictor" } : t)
            .Concat(owned.Select(d => new PodTemplate("Deployment " + d.Metadata.Name, d.Spec?.Template ?? new V1PodTemplateSpec())));
        return WorkloadState.Of(isvc.Kind, isvc.Name, isvc.Replicas, [.. templates]) with { GitOpsTracker = isvc.GitOpsTracker };
    }
}

/// <summary>A workload read from the caches.</summary>
/// <param name="State">Its pod templates, as the engine judges them.</param>
/// <param name="Metadata">Its metadata (owner references, uid for events).</param>
/// <param name="ApiVersion">Its apiVersion.</param>
internal sealed record CachedWorkload(WorkloadState State, V1ObjectMeta Metadata, string ApiVersion)
{
    /// <summary>Another object controls it (ownerReferences with controller: true).</summary>
    public bool Owned => ClusterCaches.Controlled(Metadata);
}
