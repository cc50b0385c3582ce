using System.Collections.Immutable;
using AiBaseline.Api.V1Alpha1;

namespace AiBaseline.Engine.Controls;

/// <summary>
/// ApiRateLimit: a model API offered outside the cluster is rate limited, which slows model extraction and rapid
/// poisoning through it.
/// <para>Reads: the labels of the workload's pod template; the namespace's Services (type, selector,
/// konghq.com/plugins), Ingresses (backends, class, ingress-nginx limit-rps, limit-rpm and limit-connections
/// annotations, konghq.com/plugins), Gateway API HTTPRoutes and GRPCRoutes (backendRefs, parentRefs,
/// konghq.com/plugins); Envoy Gateway BackendTrafficPolicies (targetRefs, rateLimit) of the namespace and of the
/// routes' Gateways' namespaces; KongPlugins of the namespace (plugin rate-limiting or rate-limiting-advanced).</para>
/// <para>The model is exposed outside the cluster by a LoadBalancer or NodePort Service that selects its pods, or by an
/// Ingress or route that sends traffic to a Service that does. Passes when it is not exposed (internal only), or when
/// every exposing Ingress or route has a limit of a known implementation: ingress-nginx annotations, an Envoy Gateway
/// BackendTrafficPolicy with rateLimit targeting the route or its Gateway, or a Kong rate-limiting plugin named on the
/// route or the Service. A LoadBalancer or NodePort Service has no rate limit of its own: it fails. An Ingress of
/// another controller (Traefik, HAProxy, a cloud load balancer), or a Kong plugin that is not a KongPlugin of the
/// namespace (a KongClusterPlugin), is Unknown, naming it: its limits are not read.</para>
/// <para>Serves EN 304 223 5.2.2-2 (controls against attacks through an API offered outside).</para>
/// </summary>
public sealed class ApiRateLimitControl : IControl
{
    /// <summary>No Service, Ingress or route exposes the model's pods outside the cluster.</summary>
    public const string InternalOnlyReason = "InternalOnly";

    /// <summary>Every Ingress or route that exposes the model has a recognised rate limit.</summary>
    public const string RateLimitedReason = "RateLimited";

    /// <summary>The model is exposed outside the cluster without a rate limit.</summary>
    public const string NoRateLimitReason = "NoRateLimit";

    /// <summary>The model is exposed through an implementation whose rate limits are not read.</summary>
    public const string RateLimitNotReadReason = "RateLimitNotRead";

    private const string Advice = "add an ingress-nginx limit-rps or limit-rpm annotation, an Envoy Gateway BackendTrafficPolicy with rateLimit, or a Kong rate-limiting KongPlugin";

    public string Name => "ApiRateLimit";

    public string ConditionType => ConditionTypes.ApiRateLimited;

    public ImmutableArray<string> Provisions { get; } = ["5.2.2-2"];

    public ControlOutcome Evaluate(EvaluationContext context)
    {
        if (context.WorkloadGate() is { } gate)
        {
            return gate;
        }

        var snapshot = context.Snapshot;
        var labels = snapshot.Workload!.Template.Metadata?.Labels ?? new Dictionary<string, string>();
        var selecting = snapshot.ExposedServices.Where(s => ExposureReader.Selects(s.Selector, labels)).ToDictionary(s => s.Name, StringComparer.Ordinal);
        var findings = new FindingSet();
        var limited = new List<string>();
        foreach (var service in selecting.Values.Where(s => s.Type is "LoadBalancer" or "NodePort").OrderBy(s => s.Name, StringComparer.Ordinal))
        {
            findings.NotMet(NoRateLimitReason, $"Service {context.Namespace}/{service.Name} of type {service.Type} exposes the model's pods outside the cluster with no rate limit: make it ClusterIP and expose it through an Ingress or Gateway route with a rate limit ({Advice})");
        }

        foreach (var route in snapshot.Routes.Where(r => r.Services.Any(selecting.ContainsKey)).OrderBy(r => r.ToString(), StringComparer.Ordinal))
        {
            var services = route.Services.Where(selecting.ContainsKey).ToList();
            var (limit, unread) = LimitOf(route, services.Select(n => selecting[n]), snapshot.RateLimitPolicies);
            var what = $"{route} sends traffic to Service {string.Join(", ", services)}";
            if (limit is not null)
            {
                limited.Add($"{route} ({limit})");
            }
            else if (unread is not null)
            {
                findings.Unknown(RateLimitNotReadReason, $"{what}, but {unread}: check its rate limit, or {Advice}");
            }
            else
            {
                findings.NotMet(NoRateLimitReason, $"{what} from outside the cluster with no rate limit: {Advice}");
            }
        }

        if (findings.Outcome() is { } problem)
        {
            return problem;
        }

        return limited.Count == 0
            ? ControlOutcome.Met(InternalOnlyReason, selecting.Count == 0
                ? "no Service selects the model's pods: the model is not exposed"
                : $"Service {string.Join(", ", selecting.Keys.Order(StringComparer.Ordinal))} selects the model's pods; no LoadBalancer, NodePort, Ingress or Gateway route exposes it")
            : ControlOutcome.Met(RateLimitedReason, "every route into the model is rate limited: " + string.Join("; ", limited));
    }

    /// <summary>The recognised limit of a route, or else why it cannot be read; both null when it has none.</summary>
    private static (string? Limit, string? Unread) LimitOf(ExternalRoute route, IEnumerable<ExposedService> services, ImmutableArray<RateLimitPolicy> policies)
    {
        if (route.NginxLimits.Length > 0)
        {
            return ($"ingress-nginx {string.Join(", ", route.NginxLimits)}", null);
        }

        var envoy = policies.FirstOrDefault(p => p.Kind == "BackendTrafficPolicy" && p.LimitsRate && Targets(p, route));
        if (envoy is not null)
        {
            return ($"Envoy Gateway {envoy}", null);
        }

        string? unread = null;
        foreach (var plugin in route.KongPlugins.Concat(services.SelectMany(s => s.KongPlugins)).Distinct(StringComparer.Ordinal))
        {
            var found = policies.FirstOrDefault(p => p.Kind == "KongPlugin" && p.Namespace == route.Namespace && p.Name == plugin);
            if (found is { LimitsRate: true })
            {
                return ($"Kong {found}", null);
            }

            unread ??= found is null ? $"konghq.com/plugins names {plugin}, which is not a KongPlugin of namespace {route.Namespace} (a KongClusterPlugin is not read)" : null;
        }

        if (unread is null && route.Kind == "Ingress" && route.IngressClass is { } ingressClass
            && !ingressClass.Contains("nginx", StringComparison.OrdinalIgnoreCase) && !ingressClass.Contains("kong", StringComparison.OrdinalIgnoreCase))
        {
            unread = $"its class {ingressClass} is not ingress-nginx or Kong, whose rate limits are read";
        }

        return (null, unread);
    }

    private static bool Targets(RateLimitPolicy policy, ExternalRoute route) =>
        (policy.Namespace == route.Namespace && policy.Targets.Contains($"{route.Kind}/{route.Name}"))
        || route.Gateways.Any(g => g.StartsWith(policy.Namespace + "/", StringComparison.Ordinal) && policy.Targets.Contains("Gateway/" + g[(policy.Namespace.Length + 1)..]));
}
