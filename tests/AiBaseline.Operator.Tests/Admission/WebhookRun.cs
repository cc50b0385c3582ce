using System.Net;
using System.Net.Sockets;
using AiBaseline.Admission;
using AiBaseline.Operator.Tests.Scenarios;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;

namespace AiBaseline.Operator.Tests.Admission;

/// <summary>
/// An operator serving the webhook on loopback for one scenario namespace, and a ValidatingWebhookConfiguration that
/// registers it by url and selects that namespace only, so other tests on the same control plane never meet it.
/// Its CA bundle is left empty: the operator fills it in, as it does in a cluster.
/// </summary>
internal sealed class WebhookRun : IAsyncDisposable
{
    public const string WebhookName = "enforce.aibaseline.io";

    /// <summary>Where the operator keeps its Secret: a namespace every cluster has, never judged.</summary>
    public const string OperatorNamespace = "default";

    private readonly CancellationTokenSource stop = new();
    private readonly ScenarioNamespace ns;
    private Task<int>? run;

    private WebhookRun(ScenarioNamespace ns, OperatorHost host, WebhookSettings settings, int port)
    {
        this.ns = ns;
        Host = host;
        Settings = settings;
        Port = port;
    }

    public OperatorHost Host { get; }

    public WebhookSettings Settings { get; }

    public int Port { get; }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static async Task<WebhookRun> StartAsync(ScenarioNamespace ns, TimeSpan? servingLifetime = null, TimeSpan? caLifetime = null, TimeSpan? checkInterval = null)
    {
        var port = FreePort();
        var webhook = new WebhookSettings
        {
            BindAddress = $"127.0.0.1:{port}",
            Hosts = ["127.0.0.1"],
            SecretName = ns.Name + "-webhook-tls",
            ConfigurationName = ns.Name,
            ServingLifetime = servingLifetime ?? new WebhookSettings().ServingLifetime,
            CaLifetime = caLifetime ?? new WebhookSettings().CaLifetime,
            CheckInterval = checkInterval ?? TimeSpan.FromSeconds(1),
        };
        await ns.Client.AdmissionregistrationV1.CreateValidatingWebhookConfigurationAsync(Configuration(ns.Name, port), cancellationToken: Ct);
        var host = new OperatorHost(
            new OperatorSettings
            {
                Namespaces = [ns.Name],
                LeaseNamespace = OperatorNamespace,
                Identity = "webhook-0",
                MetricsBindAddress = "0",
                HealthProbeBindAddress = "0",
                Webhook = webhook,
            },
            ns.Target.Configuration(),
            NullLoggerFactory.Instance,
            TimeProvider.System,
            new FakeVerifier(_ => throw new InvalidOperationException("the webhook scenarios' profiles ask for no registry verification")));
        var started = new WebhookRun(ns, host, webhook, port);
        started.run = Task.Run(() => host.RunAsync(started.stop.Token), Ct);
        await ns.EventuallyAsync(() => Task.FromResult(host.Manager.IsReady), "the operator synced its caches");
        await ns.EventuallyAsync(async () => (await started.CaBundleAsync()).Length > 0, "the operator set the CA bundle of the webhook configuration");
        return started;
    }

    /// <summary>The CA bundle the API server trusts for the webhook, as PEM.</summary>
    public async Task<string> CaBundleAsync()
    {
        var configuration = await ns.Client.AdmissionregistrationV1.ReadValidatingWebhookConfigurationAsync(ns.Name, cancellationToken: Ct);
        var bundle = configuration.Webhooks[0].ClientConfig.CaBundle;
        return bundle is null ? "" : System.Text.Encoding.UTF8.GetString(bundle);
    }

    public async ValueTask DisposeAsync()
    {
        // The configuration goes first: with failurePolicy Fail and no operator, the namespace's workloads could not change.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await ns.Client.AdmissionregistrationV1.DeleteValidatingWebhookConfigurationAsync(ns.Name, cancellationToken: timeout.Token);
        }
        catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
        }

        await stop.CancelAsync();
        if (run is not null)
        {
            await run;
        }

        Host.Dispose();
        try
        {
            await ns.Client.CoreV1.DeleteNamespacedSecretAsync(Settings.SecretName, OperatorNamespace, cancellationToken: timeout.Token);
        }
        catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
        }

        stop.Dispose();
    }

    private static V1ValidatingWebhookConfiguration Configuration(string ns, int port) => new()
    {
        ApiVersion = "admissionregistration.k8s.io/v1",
        Kind = "ValidatingWebhookConfiguration",
        Metadata = new V1ObjectMeta { Name = ns },
        Webhooks =
        [
            new V1ValidatingWebhook
            {
                Name = WebhookName,
                ClientConfig = new Admissionregistrationv1WebhookClientConfig { Url = $"https://127.0.0.1:{port}{WebhookServer.Path}" },
                Rules =
                [
                    new V1RuleWithOperations { ApiGroups = ["apps"], ApiVersions = ["v1"], Resources = ["deployments", "statefulsets"], Operations = ["CREATE", "UPDATE"] },
                    new V1RuleWithOperations { ApiGroups = [""], ApiVersions = ["v1"], Resources = ["pods"], Operations = ["CREATE", "UPDATE"] },
                    new V1RuleWithOperations { ApiGroups = ["aibaseline.io"], ApiVersions = ["v1alpha1"], Resources = ["aimodeldeployments"], Operations = ["CREATE", "UPDATE"] },
                ],
                NamespaceSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["kubernetes.io/metadata.name"] = ns } },
                FailurePolicy = "Fail",
                SideEffects = "None",
                TimeoutSeconds = 10,
                AdmissionReviewVersions = ["v1"],
            },
        ],
    };

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
