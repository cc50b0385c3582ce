namespace AiBaseline.Admission;

/// <summary>The settings of the admission webhook the operator serves (<c>--webhook-*</c> flags).</summary>
internal sealed record WebhookSettings
{
    /// <summary>Where the HTTPS endpoint listens, such as <c>:9443</c>; <c>0</c> (the default) serves no webhook.</summary>
    public string BindAddress { get; init; } = "0";

    /// <summary>A folder with tls.crt and tls.key kept by someone else (cert-manager); null lets the operator manage its own.</summary>
    public string? CertificateDirectory { get; init; }

    /// <summary>The Secret (in the operator's namespace) that holds the CA and serving certificate the operator manages.</summary>
    public string SecretName { get; init; } = "aibaseline-webhook-tls";

    /// <summary>The ValidatingWebhookConfiguration whose webhooks get the CA bundle.</summary>
    public string ConfigurationName { get; init; } = "aibaseline";

    /// <summary>The names the serving certificate carries: the Service's DNS names, and any host or IP given with --webhook-host.</summary>
    public IReadOnlyList<string> Hosts { get; init; } = [];

    /// <summary>Namespaces never judged, besides kube-system and the operator's own.</summary>
    public IReadOnlyList<string> ExcludedNamespaces { get; init; } = [];

    /// <summary>Lifetime of the CA the operator creates.</summary>
    public TimeSpan CaLifetime { get; init; } = TimeSpan.FromDays(3650);

    /// <summary>Lifetime of a serving certificate; it is renewed when a third of it is left.</summary>
    public TimeSpan ServingLifetime { get; init; } = TimeSpan.FromDays(90);

    /// <summary>How often each replica reads the Secret (or the folder) again, renews when due and checks the CA bundle.</summary>
    public TimeSpan CheckInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>The DNS names of a Service in a namespace, as the API server addresses it.</summary>
    public static IReadOnlyList<string> ServiceHosts(string service, string ns) =>
        [$"{service}.{ns}.svc", service, $"{service}.{ns}", $"{service}.{ns}.svc.cluster.local"];
}
