using System.CommandLine;
using AiBaseline.Admission;

namespace AiBaseline.Commands;

/// <summary>The <c>--webhook-*</c> flags of <c>aibaseline operator</c>: the admission webhook every replica serves.</summary>
internal sealed class WebhookFlags
{
    private readonly Option<string> bindAddress = new("--webhook-bind-address")
    {
        Description = "Address the HTTPS admission webhook listens on, such as :9443; 0 (the default) serves none.",
        DefaultValueFactory = _ => "0",
    };

    private readonly Option<string?> certDir = new("--webhook-cert-dir")
    {
        Description = "A folder with tls.crt and tls.key kept by cert-manager; without it the operator creates and renews its own CA and certificate.",
    };

    private readonly Option<string> secret = new("--webhook-secret")
    {
        Description = "The Secret in the operator's namespace that holds the CA and serving certificate the operator manages.",
        DefaultValueFactory = _ => new WebhookSettings().SecretName,
    };

    private readonly Option<string> configuration = new("--webhook-configuration")
    {
        Description = "The ValidatingWebhookConfiguration whose webhooks get the CA bundle.",
        DefaultValueFactory = _ => new WebhookSettings().ConfigurationName,
    };

    private readonly Option<string> service = new("--webhook-service")
    {
        Description = "The Service in front of the webhook; its DNS names go into the serving certificate.",
        DefaultValueFactory = _ => "aibaseline-webhook",
    };

    private readonly Option<string[]> hosts = new("--webhook-host")
    {
        Description = "Another DNS name or IP address for the serving certificate, such as 127.0.0.1 when registered by url (repeatable).",
    };

    private readonly Option<string[]> excluded = new("--webhook-exclude-namespace")
    {
        Description = "A namespace never judged, besides kube-system and the operator's own (repeatable, or separated by commas).",
        CustomParser = OptionValues.NamespaceNames,
    };

    public void AddTo(Command command, Action<System.CommandLine.Parsing.OptionResult> bindAddressValidator)
    {
        command.Options.Add(bindAddress);
        command.Options.Add(certDir);
        command.Options.Add(secret);
        command.Options.Add(configuration);
        command.Options.Add(service);
        command.Options.Add(hosts);
        command.Options.Add(excluded);
        bindAddress.Validators.Add(bindAddressValidator);
    }

    public WebhookSettings Read(ParseResult parse, string operatorNamespace) => new()
    {
        BindAddress = parse.GetValue(bindAddress) ?? "0",
        CertificateDirectory = parse.GetValue(certDir),
        SecretName = parse.GetValue(secret) ?? new WebhookSettings().SecretName,
        ConfigurationName = parse.GetValue(configuration) ?? new WebhookSettings().ConfigurationName,
        Hosts = [.. WebhookSettings.ServiceHosts(parse.GetValue(service) ?? "aibaseline-webhook", operatorNamespace), .. parse.GetValue(hosts) ?? []],
        ExcludedNamespaces = parse.GetValue(excluded) ?? [],
    };
}
