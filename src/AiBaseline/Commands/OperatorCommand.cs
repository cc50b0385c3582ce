using System.CommandLine;
using AiBaseline.Audit;
using AiBaseline.Operator;
using AiBaseline.Provenance;
using AiBaseline.Provenance.Oci;
using Serilog;
using Serilog.Extensions.Logging;
using Serilog.Formatting.Compact;

namespace AiBaseline.Commands;

/// <summary><c>aibaseline operator</c>: runs the operator that keeps every AIModelDeployment's status current.</summary>
internal sealed class OperatorCommand : Command
{
    private readonly Option<bool> leaderElect = new("--leader-elect")
    {
        Description = "Run the controllers only while holding the aibaseline-leader Lease; use with more than one replica.",
    };

    private readonly Option<string> metricsBindAddress = new("--metrics-bind-address")
    {
        Description = "Address /metrics listens on, such as :8080; 0 turns it off.",
        DefaultValueFactory = _ => ":8080",
    };

    private readonly Option<string> healthProbeBindAddress = new("--health-probe-bind-address")
    {
        Description = "Address /healthz and /readyz listen on, such as :8081; 0 turns them off.",
        DefaultValueFactory = _ => ":8081",
    };

    private readonly Option<string[]> watchNamespaces = new("--namespace")
    {
        Description = "Watch only these namespaces (repeatable, or separated by commas), each with namespaced RBAC; all namespaces when omitted.",
        CustomParser = OptionValues.NamespaceNames,
    };

    private readonly Option<int> maxConcurrentReconciles = new("--max-concurrent-reconciles")
    {
        Description = "AIModelDeployments evaluated at the same time.",
        DefaultValueFactory = _ => 1,
        CustomParser = result => OptionValues.WholeNumber(result, minimum: 1, "deployments"),
    };

    private readonly Option<double> kubeApiQps = new("--kube-api-qps")
    {
        Description = "Requests per second to the API server, watches aside; more wait their turn.",
        DefaultValueFactory = _ => new OperatorSettings().KubeApiQps,
        CustomParser = result => OptionValues.PositiveNumber(result, "50 or 0.5"),
    };

    private readonly Option<int> kubeApiBurst = new("--kube-api-burst")
    {
        Description = "Requests the client may send at once before --kube-api-qps applies.",
        DefaultValueFactory = _ => new OperatorSettings().KubeApiBurst,
        CustomParser = result => OptionValues.WholeNumber(result, minimum: 1, "requests"),
    };

    private readonly Option<Serilog.Events.LogEventLevel> logLevel = new("--log-level")
    {
        Description = "The lowest level logged: Verbose, Debug, Information, Warning, Error or Fatal (Trace is taken as Verbose).",
        DefaultValueFactory = _ => Serilog.Events.LogEventLevel.Information,
        CustomParser = result => OptionValues.OneOf(result, Levels),
    };

    private readonly Option<string> logFormat = new("--log-format")
    {
        Description = "json for one JSON object per line (clusters), console for readable lines (local runs).",
        DefaultValueFactory = _ => "json",
        CustomParser = result => OptionValues.OneOf(result, [("json", "json"), ("console", "console")]),
    };

    private readonly Option<string?> kubeconfig = new("--kubeconfig")
    {
        Description = "A kubeconfig file; without it $KUBECONFIG, then the in-cluster configuration, then ~/.kube/config.",
    };

    private readonly Option<string?> registryCa = new("--registry-ca")
    {
        Description = "A PEM file of extra CA certificates to trust for registries when verifying signatures.",
    };

    private readonly Option<string[]> insecureRegistries = new("--insecure-registry")
    {
        Description = "A registry HOST[:PORT] to reach over plain HTTP when verifying signatures (repeatable).",
    };

    private readonly Option<bool> readPullSecrets = new("--read-pull-secrets")
    {
        Description = "Read the imagePullSecrets of workloads whose profile asks for signature checks, to log in to private registries (needs get on Secrets).",
    };

    private readonly Option<string> modelVerificationImage = new("--model-verification-image")
    {
        Description = "The image that verifies pvc:// models in a Job (this operator's image; default: $AIBASELINE_MODEL_VERIFICATION_IMAGE). Empty runs no Jobs.",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("AIBASELINE_MODEL_VERIFICATION_IMAGE") ?? "",
    };

    private readonly Option<int> modelVerificationDeadline = new("--model-verification-deadline")
    {
        Description = "Seconds a pvc:// model verification Job may run (activeDeadlineSeconds) before the model is reported Unknown.",
        DefaultValueFactory = _ => 600,
        CustomParser = result => OptionValues.WholeNumber(result, minimum: 1, "seconds"),
    };

    private readonly WebhookFlags webhook = new();

    // Trace is accepted as in controller-runtime and taken as Serilog's Verbose.
    private static readonly (string Name, Serilog.Events.LogEventLevel Level)[] Levels =
    [
        ("Trace", Serilog.Events.LogEventLevel.Verbose), ("Verbose", Serilog.Events.LogEventLevel.Verbose),
        ("Debug", Serilog.Events.LogEventLevel.Debug), ("Information", Serilog.Events.LogEventLevel.Information),
        ("Warning", Serilog.Events.LogEventLevel.Warning), ("Error", Serilog.Events.LogEventLevel.Error),
        ("Fatal", Serilog.Events.LogEventLevel.Fatal),
    ];

    public OperatorCommand()
        : base("operator", "Run the operator: watch AIModelDeployments and the objects they depend on, and keep their status current.")
    {
        Options.Add(leaderElect);
        Options.Add(metricsBindAddress);
        Options.Add(healthProbeBindAddress);
        Options.Add(watchNamespaces);
        Options.Add(maxConcurrentReconciles);
        Options.Add(kubeApiQps);
        Options.Add(kubeApiBurst);
        Options.Add(logLevel);
        Options.Add(logFormat);
        Options.Add(kubeconfig);
        Options.Add(registryCa);
        Options.Add(insecureRegistries);
        Options.Add(readPullSecrets);
        Options.Add(modelVerificationImage);
        Options.Add(modelVerificationDeadline);
        metricsBindAddress.Validators.Add(BindAddress);
        healthProbeBindAddress.Validators.Add(BindAddress);
        webhook.AddTo(this, BindAddress);
        SetAction(RunAsync);
    }

    private async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var settings = new OperatorSettings
        {
            LeaderElect = parse.GetValue(leaderElect),
            MetricsBindAddress = parse.GetValue(metricsBindAddress) ?? ":8080",
            HealthProbeBindAddress = parse.GetValue(healthProbeBindAddress) ?? ":8081",
            Namespaces = parse.GetValue(watchNamespaces) ?? [],
            MaxConcurrentReconciles = parse.GetValue(maxConcurrentReconciles),
            KubeApiQps = parse.GetValue(kubeApiQps),
            KubeApiBurst = parse.GetValue(kubeApiBurst),
            Kubeconfig = parse.GetValue(kubeconfig),
            RegistryCaFile = parse.GetValue(registryCa),
            InsecureRegistries = parse.GetValue(insecureRegistries) ?? [],
            ReadPullSecrets = parse.GetValue(readPullSecrets),
            ModelVerificationImage = parse.GetValue(modelVerificationImage) ?? "",
            ModelVerificationDeadline = TimeSpan.FromSeconds(parse.GetValue(modelVerificationDeadline)),
        };
        settings = settings with { Webhook = webhook.Read(parse, settings.LeaseNamespace) };

        // What the user got wrong is one line on stderr, before any log line: the cluster to talk to and the registry CA.
        var error = parse.InvocationConfiguration.Error;
        if (ClusterConnection.Resolve(settings.Kubeconfig, out var connectionProblem) is not { } config)
        {
            return UsageErrors.Report(error, Name, connectionProblem);
        }

        // Registries are reached anonymously unless --read-pull-secrets lets the operator read the workloads' pull secrets.
        var problems = new List<InputProblem>();
        var clientOptions = AuditVerification.ClientOptions(new VerifyOptions(settings.RegistryCaFile, settings.InsecureRegistries), [], problems);
        if (problems.Count > 0)
        {
            return UsageErrors.Report(error, Name, $"{problems[0].File}: {problems[0].Message}");
        }

        // One JSON object per line on stdout, with the rendered message for readers of `kubectl logs`.
        var configuration = new LoggerConfiguration()
            .MinimumLevel.Is(parse.GetValue(logLevel))
            .MinimumLevel.Override("Microsoft.AspNetCore", Serilog.Events.LogEventLevel.Warning)
            .Enrich.FromLogContext();
        await using var log = (parse.GetValue(logFormat) == "console"
                ? configuration.WriteTo.Console()
                : configuration.WriteTo.Console(new RenderedCompactJsonFormatter()))
            .CreateLogger();
        using var loggers = new SerilogLoggerFactory(log);
        try
        {
            using var registry = new RegistryClient(clientOptions, TimeProvider.System);
            var verifier = new CosignVerifier(registry, TimeProvider.System);
            var models = new Provenance.ModelSigning.OciModelVerifier(registry, TimeProvider.System);
            using var host = new OperatorHost(settings, config, loggers, TimeProvider.System, verifier, logging => logging.AddSerilog(log), models);
            return await host.RunAsync(cancellationToken);
        }
        catch (IOException e)
        {
            // A port already in use: the reason names the address.
            log.Fatal("The operator could not start: {Reason}", e.Message);
            return UsageErrors.ExitCode;
        }
    }

    private static void BindAddress(System.CommandLine.Parsing.OptionResult result)
    {
        var address = result.GetValueOrDefault<string>() ?? "";
        try
        {
            OperatorSettings.ListenUrl(address);
        }
        catch (ArgumentException)
        {
            OptionValues.NotAllowed(result, address, "use host:port, :port, or 0 to turn it off");
        }
    }
}
