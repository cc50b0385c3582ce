using AiBaseline.Controller.Api;
using AiBaseline.Controller.Writers;
using AiBaseline.Operator;
using Prometheus;

namespace AiBaseline.Admission;

/// <summary>The webhook as a part of the operator process: its certificate, handler, metrics and HTTPS endpoint.</summary>
internal sealed class AdmissionWebhook
{
    private readonly WebhookSettings settings;
    private readonly AdmissionHandler handler;
    private readonly ILoggerFactory loggers;

    public AdmissionWebhook(
        WebhookSettings settings, string operatorNamespace, KubeApiClient api, ClusterCaches caches, ProvenanceChecker provenance,
        CollectorRegistry registry, EventRecorder events, TimeProvider time, ILoggerFactory loggers)
    {
        this.settings = settings;
        this.loggers = loggers;
        Certificates = new WebhookCertificateManager(api, settings, operatorNamespace, time, loggers.CreateLogger<WebhookCertificateManager>());
        var excluded = new HashSet<string>(StringComparer.Ordinal) { "kube-system", operatorNamespace };
        excluded.UnionWith(settings.ExcludedNamespaces);
        handler = new AdmissionHandler(
            new CachedAdmissionState(caches),
            new CachedVerificationLookup(provenance),
            new AdmissionOptions { ExcludedNamespaces = excluded },
            new AdmissionMetrics(registry),
            new DenialEvents(events, loggers.CreateLogger<DenialEvents>()),
            time,
            loggers.CreateLogger<AdmissionHandler>());
    }

    public WebhookCertificateManager Certificates { get; }

    /// <summary>Loads the certificate, starts the endpoint and the renewal loop; disposing the result stops both.</summary>
    public async Task<IAsyncDisposable> StartAsync(Func<bool> ready, Action<ILoggingBuilder>? logging, CancellationToken cancellationToken)
    {
        var log = loggers.CreateLogger<AdmissionWebhook>();
        try
        {
            await Certificates.RefreshAsync(cancellationToken);
        }
        catch (Exception e) when (e is KubeApiException or IOException or HttpRequestException or System.Security.Cryptography.CryptographicException)
        {
            // The renewal loop tries again; until then TLS handshakes fail and the failure policy decides.
            log.LogWarning("Could not load the webhook certificate yet: {Reason}", e.Message);
        }

        var url = OperatorSettings.ListenUrl(settings.BindAddress)!;
        var app = await WebhookServer.StartAsync(url, () => Certificates.Current, handler, ready, logging, cancellationToken);
        var stop = new CancellationTokenSource();
        var renewal = Task.Run(() => Certificates.RunAsync(stop.Token), CancellationToken.None);
        log.LogInformation("Serving the admission webhook on https://{Address}{Path}", url.Authority, WebhookServer.Path);
        return new Running(app, stop, renewal);
    }

    private sealed class Running(WebApplication app, CancellationTokenSource stop, Task renewal) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await stop.CancelAsync();
            try
            {
                await renewal;
            }
            catch (OperationCanceledException)
            {
                // Stopped.
            }

            stop.Dispose();
            await app.DisposeAsync();
        }
    }
}
