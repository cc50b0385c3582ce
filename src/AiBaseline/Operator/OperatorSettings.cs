using AiBaseline.Provenance;

namespace AiBaseline.Operator;

/// <summary>The settings of <c>aibaseline operator</c>, named after the flags controller-runtime operators use.</summary>
internal sealed record OperatorSettings
{
    /// <summary>Run controllers only while holding the Lease <see cref="LeaseName"/>.</summary>
    public bool LeaderElect { get; init; }

    /// <summary>Where <c>/metrics</c> listens, such as <c>:8080</c>; <c>0</c> turns it off.</summary>
    public string MetricsBindAddress { get; init; } = ":8080";

    /// <summary>Where <c>/healthz</c> and <c>/readyz</c> listen, such as <c>:8081</c>; <c>0</c> turns them off.</summary>
    public string HealthProbeBindAddress { get; init; } = ":8081";

    /// <summary>Watch these namespaces only, each with its own informers; empty watches all.</summary>
    public IReadOnlyList<string> Namespaces { get; init; } = [];

    /// <summary>
    /// Requests per second the operator's client sends to the API server, watches aside (<c>--kube-api-qps</c>).
    /// A cold start costs about three requests per AIModelDeployment (a get, a status patch, an event) plus the
    /// informers' paged lists: 30,000 at 10,000 deployments. At 500 a second that is a minute, the scale target
    /// (docs/scale.md); at controller-runtime's 20, or the 50 some operators pick, it would be 25 or 10 minutes. 500 a
    /// second at the 2 to 20 ms a get or patch takes is 1 to 10 concurrent requests, a few percent of the roughly 245
    /// seats API Priority and Fairness gives the workload-low level (service accounts) on a default API server
    /// (600 seats, 100 of 245 shares): well inside it, with room for every other controller.
    /// </summary>
    public double KubeApiQps { get; init; } = 500;

    /// <summary>
    /// Requests the client may send at once before <see cref="KubeApiQps"/> applies (<c>--kube-api-burst</c>): enough
    /// for the informers' first lists (129 pages at 10,000 deployments) and the first reconciles to start together.
    /// </summary>
    public int KubeApiBurst { get; init; } = 1000;

    /// <summary>AIModelDeployments evaluated at the same time.</summary>
    public int MaxConcurrentReconciles { get; init; } = 1;

    /// <summary>A kubeconfig file; null looks in $KUBECONFIG, the pod, then ~/.kube/config (see <see cref="ClusterConnection"/>).</summary>
    public string? Kubeconfig { get; init; }

    /// <summary>The Lease that elects the leader.</summary>
    public string LeaseName { get; init; } = "aibaseline-leader";

    /// <summary>Namespace of the Lease: the operator's own, from the downward API.</summary>
    public string LeaseNamespace { get; init; } = Environment.GetEnvironmentVariable("POD_NAMESPACE") is { Length: > 0 } ns ? ns : "default";

    /// <summary>This replica's identity in the Lease: the pod name.</summary>
    public string Identity { get; init; } = Environment.GetEnvironmentVariable("POD_NAME") is { Length: > 0 } pod ? pod : Environment.MachineName;

    /// <summary>How long a leader holds the Lease without renewing it.</summary>
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How long the leader keeps trying to renew before it stops leading.</summary>
    public TimeSpan RenewDeadline { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Wait between attempts to acquire or renew the Lease.</summary>
    public TimeSpan RetryPeriod { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>A PEM bundle of extra CAs trusted when talking to registries, or null.</summary>
    public string? RegistryCaFile { get; init; }

    /// <summary>Registries ("host[:port]") spoken to over plain HTTP.</summary>
    public IReadOnlyList<string> InsecureRegistries { get; init; } = [];

    /// <summary>
    /// Read the image pull secrets of deployments whose profile asks for registry verification, one GET each time,
    /// and log in to private registries with them. Off: registries are reached anonymously and no Secret is read.
    /// </summary>
    public bool ReadPullSecrets { get; init; }

    /// <summary>How long verification results are cached and how many run against one registry at once.</summary>
    public VerificationCacheOptions VerificationCache { get; init; } = new();

    /// <summary>
    /// The image verification Jobs of pvc:// models run (<c>--model-verification-image</c>, by default
    /// <c>AIBASELINE_MODEL_VERIFICATION_IMAGE</c>, which the chart sets to its own image); empty runs no Jobs, and
    /// signed pvc:// models stay Unknown.
    /// </summary>
    public string ModelVerificationImage { get; init; } = "";

    /// <summary>activeDeadlineSeconds of each verification Job (<c>--model-verification-deadline</c>).</summary>
    public TimeSpan ModelVerificationDeadline { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>The admission webhook: off unless its bind address is set.</summary>
    public Admission.WebhookSettings Webhook { get; init; } = new();

    /// <summary>
    /// Turns a controller-runtime style bind address (<c>:8080</c>, <c>127.0.0.1:8080</c>) into a URL, or null for <c>0</c>.
    /// </summary>
    public static Uri? ListenUrl(string address)
    {
        if (address is "0" or "")
        {
            return null;
        }

        var host = address.StartsWith(':') ? "0.0.0.0" + address : address;
        return Uri.TryCreate("http://" + host, UriKind.Absolute, out var url) && url.Port > 0
            ? url
            : throw new ArgumentException($"'{address}' is not a bind address: use host:port, :port, or 0 to turn it off");
    }
}
