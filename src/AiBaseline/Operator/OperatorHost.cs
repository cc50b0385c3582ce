using AiBaseline.Admission;
using AiBaseline.Controller.Api;
using AiBaseline.Controller.Hosting;
using AiBaseline.Controller.Leadership;
using AiBaseline.Controller.Writers;
using AiBaseline.Provenance;
using AiBaseline.Provenance.ModelSigning;
using k8s;
using Prometheus;

namespace AiBaseline.Operator;

/// <summary>
/// The operator process: informers over everything the evaluation reads, one controller for AIModelDeployments,
/// optional leader election, and the probe and metrics endpoints.
/// </summary>
internal sealed class OperatorHost : IDisposable
{
    /// <summary>The controller's name in metrics, logs and events.</summary>
    public const string ControllerName = "aimodeldeployment";

    /// <summary>The name of the controller that writes BaselineException status.</summary>
    public const string WaiverControllerName = "baselineexception";

    /// <summary>The name of the controller that keeps the inventory of undeclared model servers.</summary>
    public const string InventoryControllerName = "inventory";

    /// <summary>The controller that writes the inventory summary to each BaselineProfile's status.</summary>
    public const string ProfileInventoryControllerName = "profileinventory";

    private readonly OperatorSettings settings;
    private readonly ILoggerFactory loggers;
    private readonly Action<ILoggingBuilder>? webLogging;
    private readonly Controller.Hosting.Controller controller;
    private readonly Controller.Hosting.Controller waiverController;
    private readonly Controller.Hosting.Controller inventoryController;
    private readonly Controller.Hosting.Controller profileController;
    private readonly EventRecorder events;
    private readonly Kubernetes kubernetes;

    /// <param name="settings">The operator's flags.</param>
    /// <param name="cluster">Where the API server is and how to log in; the host's client throttles and counts every request.</param>
    /// <param name="loggers">Where logs go.</param>
    /// <param name="time">The clock.</param>
    /// <param name="verifier">Checks signatures and attestations at registries; the host caches its results per digest.</param>
    /// <param name="webLogging">Logging for the probe and metrics endpoints.</param>
    /// <param name="models">Verifies model signatures of oci:// models at their registries; without it, their signatures are reported as not checked.</param>
    /// <param name="handlers">More steps in the client's HTTP pipeline, after the throttle (tests record calls with one).</param>
    public OperatorHost(
        OperatorSettings settings,
        KubernetesClientConfiguration cluster,
        ILoggerFactory loggers,
        TimeProvider time,
        IArtifactVerifier verifier,
        Action<ILoggingBuilder>? webLogging = null,
        OciModelVerifier? models = null,
        params DelegatingHandler[] handlers)
    {
        this.settings = settings;
        this.loggers = loggers;
        this.webLogging = webLogging;
        Registry = Metrics.NewCustomRegistry();
        // process_* and dotnet_* (resident memory, managed heap, GC counts, CPU), which memory dashboards and sizing need.
        DotNetStats.Register(Registry);
        var runtimeMetrics = new ControllerMetrics(Registry);
        var throttle = new ClientRequestHandler(
            new ClientRateLimiter(settings.KubeApiQps, settings.KubeApiBurst, time), runtimeMetrics, time, $"{Report.ReportBuilder.Tool.Name}/{Report.ReportBuilder.Tool.Version}");
        kubernetes = new Kubernetes(cluster, [throttle, .. handlers]);
        var api = new KubeApiClient(kubernetes);
        Caches = new ClusterCaches(api, settings.Namespaces, loggers, time);
        var productMetrics = new ProductMetrics(Registry);
        productMetrics.Watch(Caches.All);
        events = new EventRecorder(api, new EventRecorderOptions("aibaseline.io/operator", settings.Identity), loggers.CreateLogger<EventRecorder>(), time);
        Volumes = models is null || string.IsNullOrWhiteSpace(settings.ModelVerificationImage) ? null
            : new ModelVerification.PvcModelVerifier(kubernetes, api, settings.Namespaces, Caches.PersistentVolumeClaims.Cache,
                new ModelVerification.VerificationJobSettings(settings.ModelVerificationImage, settings.ModelVerificationDeadline), loggers, time);
        var provenance = new ProvenanceChecker(
            verifier,
            settings.ReadPullSecrets ? new PullSecretReader(api, Caches, loggers.CreateLogger<PullSecretReader>()) : null,
            settings.VerificationCache,
            time,
            loggers.CreateLogger<ProvenanceChecker>(),
            models is null ? null : new ModelSignatureChecker(models, settings.VerificationCache, time, loggers.CreateLogger<ModelSignatureChecker>(), Volumes));
        Reconciler = new ModelDeploymentReconciler(
            Caches,
            new StatusWriter(api, loggers.CreateLogger<StatusWriter>()),
            events,
            productMetrics,
            provenance,
            new RetirementHold(new FinalizerWriter(api, loggers.CreateLogger<FinalizerWriter>()), new RetirementRecords(api, Caches, time), events, loggers.CreateLogger<RetirementHold>()),
            time,
            loggers.CreateLogger<ModelDeploymentReconciler>());
        // Every controller of the process counts its queue and reconciles in the same metrics and logs the same way.
        Controller.Hosting.Controller NewController(string name, IReconciler reconciler, ControllerOptions? options = null) =>
            new(name, reconciler, options ?? new ControllerOptions(), runtimeMetrics, loggers.CreateLogger<Controller.Hosting.Controller>(), time);

        controller = NewController(ControllerName, Reconciler, new ControllerOptions { MaxConcurrentReconciles = settings.MaxConcurrentReconciles });
        waiverController = NewController(
            WaiverControllerName,
            new WaiverReconciler(Caches, new StatusWriter(api, loggers.CreateLogger<StatusWriter>()), time, loggers.CreateLogger<WaiverReconciler>()));
        Inventory = new InventoryReconciler(Caches, events, loggers.CreateLogger<InventoryReconciler>());
        productMetrics.WatchInventory(() => Inventory.Undeclared);
        inventoryController = NewController(InventoryControllerName, Inventory);
        var profileInventory = new ProfileInventoryReconciler(Caches, () => Inventory.Undeclared, new StatusWriter(api, loggers.CreateLogger<StatusWriter>()), loggers.CreateLogger<ProfileInventoryReconciler>());
        profileController = NewController(ProfileInventoryControllerName, profileInventory);
        Inventory.Changed = () =>
        {
            foreach (var key in profileInventory.AllProfiles())
            {
                profileController.Queue.Add(key);
            }
        };
        Caches.Profiles.AddHandler(profileController.Enqueue<Api.V1Alpha1.BaselineProfile>(ProfileInventoryReconciler.OfProfile));
        Caches.ModelDeployments.AddHandler(profileController.Enqueue<Api.V1Alpha1.AIModelDeployment>(profileInventory.OfModelDeployment));
        Wire();
        Webhook = OperatorSettings.ListenUrl(settings.Webhook.BindAddress) is null
            ? null
            : new AdmissionWebhook(settings.Webhook, settings.LeaseNamespace, api, Caches, provenance, Registry, events, time, loggers);

        var election = settings.LeaderElect
            ? new LeaderElection(
                kubernetes,
                new LeaderElectionOptions(settings.LeaseName, settings.LeaseNamespace, settings.Identity)
                {
                    LeaseDuration = settings.LeaseDuration,
                    RenewDeadline = settings.RenewDeadline,
                    RetryPeriod = settings.RetryPeriod,
                },
                runtimeMetrics,
                loggers.CreateLogger<LeaderElection>())
            : null;
        Manager = new ControllerManager(election, loggers.CreateLogger<ControllerManager>());
        foreach (var informer in Caches.All)
        {
            Manager.Add(informer);
        }

        foreach (var informer in Volumes?.Jobs.Members ?? [])
        {
            Manager.Add(informer);
        }

        Manager.Add(controller);
        Manager.Add(waiverController);
        Manager.Add(inventoryController);
        Manager.Add(profileController);
    }

    /// <summary>The model servers without an AIModelDeployment.</summary>
    public InventoryReconciler Inventory { get; }

    public ClusterCaches Caches { get; }

    /// <summary>Runs verification Jobs for pvc:// models; null without <c>--model-verification-image</c>.</summary>
    public ModelVerification.PvcModelVerifier? Volumes { get; }

    public ModelDeploymentReconciler Reconciler { get; }

    public ControllerManager Manager { get; }

    /// <summary>The admission webhook every replica serves, or null when --webhook-bind-address is 0.</summary>
    public AdmissionWebhook? Webhook { get; }

    /// <summary>All metrics of this process, served on <c>/metrics</c>.</summary>
    public CollectorRegistry Registry { get; }

    /// <summary>Runs until cancelled (exit code 0) or until the lease is lost (exit code 1, so the pod restarts clean).</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        await using var web = await StartEndpointsAsync(cancellationToken);
        // Admission waits for the caches' first sync only. A serving stack's or Gateway API's CRD installed later starts
        // an informer of its own; until that one has synced, admission goes on judging from what the caches hold rather
        // than answering 503, which under a Fail policy would refuse every Deployment in the cluster for that moment.
        var synced = false;
        await using var webhook = Webhook is null ? null : await Webhook.StartAsync(() => synced || (synced = Manager.Informers.All(i => i.HasSynced)), webLogging, cancellationToken);
        var outcome = await Manager.RunAsync(cancellationToken);
        return outcome == LeadershipOutcome.Lost ? 1 : 0;
    }

    public void Dispose()
    {
        controller.Dispose();
        waiverController.Dispose();
        inventoryController.Dispose();
        profileController.Dispose();
        events.Dispose();
        kubernetes.Dispose();
    }

    private void Wire()
    {
        var map = new AffectedDeployments(Caches);
        Caches.ModelDeployments.AddHandler(controller.Enqueue<Api.V1Alpha1.AIModelDeployment>(AffectedDeployments.OfModelDeployment));
        Caches.Profiles.AddHandler(controller.Enqueue<Api.V1Alpha1.BaselineProfile>(map.OfProfile));
        Caches.Waivers.AddHandler(controller.Enqueue<Api.V1Alpha1.BaselineException>(map.OfWaiver));
        Caches.Waivers.AddHandler(waiverController.Enqueue<Api.V1Alpha1.BaselineException>(AffectedDeployments.Itself));
        Caches.ModelDeployments.AddHandler(waiverController.Enqueue<Api.V1Alpha1.AIModelDeployment>(map.WaiversOfModelDeployment));
        Caches.Profiles.AddHandler(waiverController.Enqueue<Api.V1Alpha1.BaselineProfile>(map.WaiversOfProfile));
        Caches.Deployments.AddHandler(controller.Enqueue<k8s.Models.V1Deployment>(map.OfDeployment));
        Caches.StatefulSets.AddHandler(controller.Enqueue<k8s.Models.V1StatefulSet>(map.OfStatefulSet));
        Caches.Deployments.AddHandler(controller.Enqueue<k8s.Models.V1Deployment>(map.OfOwningInferenceService));
        Caches.DaemonSets.AddHandler(controller.Enqueue(map.OfWorkloadKind<k8s.Models.V1DaemonSet>(Api.V1Alpha1.WorkloadKind.DaemonSet)));
        Caches.Jobs.AddHandler(controller.Enqueue(map.OfWorkloadKind<k8s.Models.V1Job>(Api.V1Alpha1.WorkloadKind.Job)));
        Caches.CronJobs.AddHandler(controller.Enqueue(map.OfWorkloadKind<k8s.Models.V1CronJob>(Api.V1Alpha1.WorkloadKind.CronJob)));
        Caches.Pods.AddHandler(controller.Enqueue(map.OfWorkloadKind<k8s.Models.V1Pod>(Api.V1Alpha1.WorkloadKind.Pod)));
        foreach (var (kind, informer) in Caches.Custom)
        {
            informer.AddHandler(controller.Enqueue(map.OfWorkloadKind<CustomWorkload>(kind)));
            informer.AddHandler(inventoryController.Enqueue(InventoryReconciler.OfWorkload<CustomWorkload>(kind)));
            informer.AddHandler(controller.Enqueue(map.OfNamespaceInventory<CustomWorkload>(kind)));
        }

        Caches.ModelDeployments.AddHandler(inventoryController.Enqueue<Api.V1Alpha1.AIModelDeployment>(InventoryReconciler.OfModelDeployment));
        Caches.ModelDeployments.AddHandler(controller.Enqueue<Api.V1Alpha1.AIModelDeployment>(map.InventoryOfModelDeployment));
        Caches.Deployments.AddHandler(controller.Enqueue(map.OfNamespaceInventory<k8s.Models.V1Deployment>(Api.V1Alpha1.WorkloadKind.Deployment)));
        Caches.StatefulSets.AddHandler(controller.Enqueue(map.OfNamespaceInventory<k8s.Models.V1StatefulSet>(Api.V1Alpha1.WorkloadKind.StatefulSet)));
        Caches.DaemonSets.AddHandler(controller.Enqueue(map.OfNamespaceInventory<k8s.Models.V1DaemonSet>(Api.V1Alpha1.WorkloadKind.DaemonSet)));
        Caches.Jobs.AddHandler(controller.Enqueue(map.OfNamespaceInventory<k8s.Models.V1Job>(Api.V1Alpha1.WorkloadKind.Job)));
        Caches.CronJobs.AddHandler(controller.Enqueue(map.OfNamespaceInventory<k8s.Models.V1CronJob>(Api.V1Alpha1.WorkloadKind.CronJob)));
        Caches.Pods.AddHandler(controller.Enqueue(map.OfNamespaceInventory<k8s.Models.V1Pod>(Api.V1Alpha1.WorkloadKind.Pod)));
        Caches.Deployments.AddHandler(inventoryController.Enqueue(InventoryReconciler.OfWorkload<k8s.Models.V1Deployment>(Api.V1Alpha1.WorkloadKind.Deployment)));
        Caches.StatefulSets.AddHandler(inventoryController.Enqueue(InventoryReconciler.OfWorkload<k8s.Models.V1StatefulSet>(Api.V1Alpha1.WorkloadKind.StatefulSet)));
        Caches.DaemonSets.AddHandler(inventoryController.Enqueue(InventoryReconciler.OfWorkload<k8s.Models.V1DaemonSet>(Api.V1Alpha1.WorkloadKind.DaemonSet)));
        Caches.Jobs.AddHandler(inventoryController.Enqueue(InventoryReconciler.OfWorkload<k8s.Models.V1Job>(Api.V1Alpha1.WorkloadKind.Job)));
        Caches.CronJobs.AddHandler(inventoryController.Enqueue(InventoryReconciler.OfWorkload<k8s.Models.V1CronJob>(Api.V1Alpha1.WorkloadKind.CronJob)));
        Caches.Pods.AddHandler(inventoryController.Enqueue(InventoryReconciler.OfWorkload<k8s.Models.V1Pod>(Api.V1Alpha1.WorkloadKind.Pod)));

        Caches.NetworkPolicies.AddHandler(controller.Enqueue<k8s.Models.V1NetworkPolicy>(map.OfNetworkPolicy));
        Caches.CiliumPolicies.AddHandler(controller.Enqueue<Engine.CiliumNetworkPolicy>(map.OfCiliumPolicy));
        Caches.CiliumClusterwidePolicies.AddHandler(controller.Enqueue<Engine.CiliumNetworkPolicy>(map.OfCiliumPolicy));
        Caches.Secrets.AddHandler(controller.Enqueue<PartialObjectMetadata>(map.OfSecret));
        Caches.ConfigMaps.AddHandler(controller.Enqueue<k8s.Models.V1ConfigMap>(map.OfConfigMap));
        Caches.ServiceAccounts.AddHandler(controller.Enqueue<k8s.Models.V1ServiceAccount>(map.OfServiceAccount));
        Caches.Services.AddHandler(controller.Enqueue<k8s.Models.V1Service>(map.OfService));
        Caches.Ingresses.AddHandler(controller.Enqueue<k8s.Models.V1Ingress>(map.OfRoute));
        foreach (var type in ExposureType.All)
        {
            Caches.Exposure[type.Kind].AddHandler(controller.Enqueue<ExposureObject>(type.IsPolicy ? map.OfRateLimitPolicy : map.OfRoute));
        }
        foreach (var type in MonitoringType.All)
        {
            Caches.Monitoring[type.Kind].AddHandler(controller.Enqueue<MonitoringObject>(map.OfMonitoringObject));
        }

        Caches.CustomResourceDefinitions.AddHandler(controller.Enqueue<PartialObjectMetadata>(map.OfMonitoringCrd));
        Caches.PersistentVolumeClaims.AddHandler(controller.Enqueue<PartialObjectMetadata>(map.OfPersistentVolumeClaim));
        if (Volumes is not null)
        {
            Caches.PersistentVolumeClaims.AddHandler(controller.Enqueue<PartialObjectMetadata>(c => ModelVerification.PvcModelVerifier.DeploymentsOf(c, Caches.ModelDeployments.Cache)));
            Volumes.Jobs.AddHandler(controller.Enqueue<k8s.Models.V1Job>(j => ModelVerification.PvcModelVerifier.DeploymentsOf(j, Caches.ModelDeployments.Cache)));
        }

        Caches.RoleBindings.AddHandler(controller.Enqueue<k8s.Models.V1RoleBinding>(map.OfRoleBinding));
        Caches.ClusterRoleBindings.AddHandler(controller.Enqueue<k8s.Models.V1ClusterRoleBinding>(map.OfClusterRoleBinding));
        Caches.Roles.AddHandler(controller.Enqueue<k8s.Models.V1Role>(map.OfRole));
        Caches.ClusterRoles.AddHandler(controller.Enqueue<k8s.Models.V1ClusterRole>(map.OfClusterRole));
    }

    /// <summary>Starts Kestrel for the probes and metrics, or returns null when both are turned off.</summary>
    private async Task<WebApplication?> StartEndpointsAsync(CancellationToken cancellationToken)
    {
        var metricsUrl = OperatorSettings.ListenUrl(settings.MetricsBindAddress);
        var probeUrl = OperatorSettings.ListenUrl(settings.HealthProbeBindAddress);
        if (metricsUrl is null && probeUrl is null)
        {
            return null;
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        webLogging?.Invoke(builder.Logging);
        builder.WebHost.UseUrls([.. new[] { metricsUrl, probeUrl }.OfType<Uri>().Select(u => u.GetLeftPart(UriPartial.Authority)).Distinct()]);
        var app = builder.Build();
        if (probeUrl is not null)
        {
            // Liveness only asks whether the watch loops run: an API-server blip must not restart every replica.
            var host = $"*:{probeUrl.Port}";
            app.MapGet("/healthz", () => Manager.IsAlive ? Results.Text("ok") : Results.Text("informer loop stopped", statusCode: 500)).RequireHost(host);
            app.MapGet("/readyz", () => Manager.IsReady ? Results.Text("ok") : Results.Text(NotReady(), statusCode: 503)).RequireHost(host);
        }

        if (metricsUrl is not null)
        {
            app.MapMetrics("/metrics", Registry).RequireHost($"*:{metricsUrl.Port}");
        }

        await app.StartAsync(cancellationToken);
        loggers.CreateLogger<OperatorHost>().LogInformation("Serving probes on {ProbeUrl} and metrics on {MetricsUrl}", probeUrl, metricsUrl);
        return app;
    }

    private string NotReady() =>
        "informers not synced or not watching: " + string.Join(", ", Manager.Informers.Where(i => !i.IsHealthy).Select(i => i.LastError is { } why ? $"{i.Name} ({why})" : i.Name));
}
