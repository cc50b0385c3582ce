using System.CommandLine;
using AiBaseline.Audit;
using AiBaseline.Operator;
using AiBaseline.Provenance;
using AiBaseline.Provenance.Oci;
using k8s;
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

    private readonly Option<string?> watchNamespace = new("--namespace")
    {
        Description = "Watch this namespace only; all namespaces when omitted.",
    };

    private readonly Option<int> maxConcurrentReconciles = new("--max-concurrent-reconciles")
    {
        Description = "AIModelDeployments evaluated at the same time.",
        DefaultValueFactory = _ => 1,
    };

    private readonly Option<Serilog.Events.LogEventLevel> logLevel = new("--log-level")
    {
        Description = "The lowest level logged: Verbose, Debug, Information, Warning, Error or Fatal (Trace is taken as Verbose).",
        DefaultValueFactory = _ => Serilog.Events.LogEventLevel.Information,
        CustomParser = result => ParseLevel(result),
    };

    private readonly Option<string> logFormat = new("--log-format")
    {
        Description = "json for one JSON object per line (clusters), console for readable lines (local runs).",
        DefaultValueFactory = _ => "json",
    };

    private readonly Option<string?> kubeconfig = new("--kubeconfig")
    {
        Description = "A kubeconfig file; without it the in-cluster configuration is used, or ~/.kube/config outside a cluster.",
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

    public OperatorCommand()
        : base("operator", "Run the operator: watch AIModelDeployments and the objects they depend on, and keep their status current.")
    {
        Options.Add(leaderElect);
        Options.Add(metricsBindAddress);
        Options.Add(healthProbeBindAddress);
        Options.Add(watchNamespace);
        Options.Add(maxConcurrentReconciles);
        Options.Add(logLevel);
        Options.Add(logFormat);
        Options.Add(kubeconfig);
        Options.Add(registryCa);
        Options.Add(insecureRegistries);
        Options.Add(readPullSecrets);
        logFormat.AcceptOnlyFromAmong("json", "console");
        maxConcurrentReconciles.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 1)
            {
                result.AddError("--max-concurrent-reconciles must be at least 1");
            }
        });
        SetAction(RunAsync);
    }

    private async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var settings = new OperatorSettings
        {
            LeaderElect = parse.GetValue(leaderElect),
            MetricsBindAddress = parse.GetValue(metricsBindAddress) ?? ":8080",
            HealthProbeBindAddress = parse.GetValue(healthProbeBindAddress) ?? ":8081",
            Namespace = parse.GetValue(watchNamespace),
            MaxConcurrentReconciles = parse.GetValue(maxConcurrentReconciles),
            Kubeconfig = parse.GetValue(kubeconfig),
            RegistryCaFile = parse.GetValue(registryCa),
            InsecureRegistries = parse.GetValue(insecureRegistries) ?? [],
            ReadPullSecrets = parse.GetValue(readPullSecrets),
        };

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
            var config = settings.Kubeconfig is { } path
                ? KubernetesClientConfiguration.BuildConfigFromConfigFile(path)
                : KubernetesClientConfiguration.IsInCluster()
                    ? KubernetesClientConfiguration.InClusterConfig()
                    : KubernetesClientConfiguration.BuildDefaultConfig();
            using var kubernetes = new Kubernetes(config);

            // Registries are reached anonymously unless --read-pull-secrets lets the operator read the workloads' pull secrets.
            var problems = new List<InputProblem>();
            var clientOptions = AuditVerification.ClientOptions(new VerifyOptions(settings.RegistryCaFile, settings.InsecureRegistries), [], problems);
            if (problems.Count > 0)
            {
                log.Fatal("The operator could not start: {File}: {Reason}", problems[0].File, problems[0].Message);
                return 2;
            }

            using var registry = new RegistryClient(clientOptions, TimeProvider.System);
            var verifier = new CosignVerifier(registry, TimeProvider.System);
            using var host = new OperatorHost(settings, kubernetes, loggers, TimeProvider.System, verifier, logging => logging.AddSerilog(log));
            return await host.RunAsync(cancellationToken);
        }
        catch (Exception e) when (e is k8s.Exceptions.KubeConfigException or ArgumentException or IOException)
        {
            log.Fatal(e, "The operator could not start: {Reason}", e.Message);
            return 2;
        }
    }

    private static Serilog.Events.LogEventLevel ParseLevel(System.CommandLine.Parsing.ArgumentResult result)
    {
        var text = result.Tokens.Count == 0 ? "Information" : result.Tokens[0].Value;
        if (string.Equals(text, "Trace", StringComparison.OrdinalIgnoreCase))
        {
            return Serilog.Events.LogEventLevel.Verbose;
        }

        if (Enum.TryParse<Serilog.Events.LogEventLevel>(text, ignoreCase: true, out var level) && Enum.IsDefined(level))
        {
            return level;
        }

        result.AddError($"--log-level: '{text}' is not a level; use Trace, Debug, Information, Warning or Error");
        return Serilog.Events.LogEventLevel.Information;
    }
}
