using System.Collections.Immutable;
using System.Text.Json.Nodes;
using static AiBaseline.Engine.JsonReading;

namespace AiBaseline.Engine;

/// <summary>A Service as ApiRateLimit reads it: its type, the pods it selects and the Kong plugins it names.</summary>
/// <param name="Name">Its name.</param>
/// <param name="Type">spec.type: ClusterIP (the default), NodePort, LoadBalancer or ExternalName.</param>
/// <param name="Selector">spec.selector; empty when the Service selects no pods (its endpoints are managed by hand).</param>
/// <param name="KongPlugins">The KongPlugins its konghq.com/plugins annotation names.</param>
public sealed record ExposedService(string Name, string Type, ImmutableDictionary<string, string> Selector, ImmutableArray<string> KongPlugins)
{
    /// <summary>Its own labels, which a ServiceMonitor selects it by (MetricsScraping).</summary>
    public ImmutableDictionary<string, string> Labels { get; init; } = ImmutableDictionary<string, string>.Empty;

    /// <summary>The names of its ports (spec.ports[].name), which a ServiceMonitor's endpoints scrape by name.</summary>
    public ImmutableArray<string> PortNames { get; init; } = [];
}

/// <summary>A route into the cluster: an Ingress, a Gateway API HTTPRoute or GRPCRoute.</summary>
/// <param name="Kind">Ingress, HTTPRoute or GRPCRoute.</param>
/// <param name="Namespace">Its namespace.</param>
/// <param name="Name">Its name.</param>
/// <param name="IngressClass">An Ingress's spec.ingressClassName (or its kubernetes.io/ingress.class annotation); null otherwise.</param>
/// <param name="Services">The Services of its own namespace that it sends traffic to.</param>
/// <param name="Gateways">A route's parent Gateways, as namespace/name.</param>
/// <param name="NginxLimits">ingress-nginx rate limit annotations (limit-rps, limit-rpm, limit-connections) with positive values, as key=value.</param>
/// <param name="KongPlugins">The KongPlugins its konghq.com/plugins annotation names.</param>
public sealed record ExternalRoute(
    string Kind, string Namespace, string Name, string? IngressClass, ImmutableArray<string> Services, ImmutableArray<string> Gateways,
    ImmutableArray<string> NginxLimits, ImmutableArray<string> KongPlugins)
{
    /// <summary>"Kind namespace/name", for messages.</summary>
    public override string ToString() => $"{Kind} {Namespace}/{Name}";
}

/// <summary>A rate limit policy of a known implementation: an Envoy Gateway BackendTrafficPolicy or a KongPlugin.</summary>
/// <param name="Kind">BackendTrafficPolicy or KongPlugin.</param>
/// <param name="Namespace">Its namespace.</param>
/// <param name="Name">Its name.</param>
/// <param name="Targets">A BackendTrafficPolicy's targetRefs as Kind/name (Gateway, HTTPRoute, GRPCRoute); a KongPlugin is named by the objects it applies to instead.</param>
/// <param name="LimitsRate">A BackendTrafficPolicy with spec.rateLimit; a KongPlugin of plugin rate-limiting or rate-limiting-advanced that is not disabled.</param>
public sealed record RateLimitPolicy(string Kind, string Namespace, string Name, ImmutableArray<string> Targets, bool LimitsRate)
{
    /// <summary>"Kind namespace/name", for messages.</summary>
    public override string ToString() => $"{Kind} {Namespace}/{Name}";
}

/// <summary>
/// Reads Services, Ingresses, Gateway API routes, Envoy Gateway BackendTrafficPolicies and KongPlugins from their JSON,
/// the same for manifests and for the cluster, keeping only what ApiRateLimit reads.
/// </summary>
public static class ExposureReader
{
    /// <summary>The annotation that names the KongPlugins applied to an Ingress, Service or route.</summary>
    public const string KongPluginsAnnotation = "konghq.com/plugins";

    /// <summary>The prefix of ingress-nginx's rate limit annotations.</summary>
    public const string NginxLimitPrefix = "nginx.ingress.kubernetes.io/limit-";

    /// <summary>The annotation older Ingresses name their class with.</summary>
    public const string IngressClassAnnotation = "kubernetes.io/ingress.class";

    /// <summary>The annotation prefixes these objects are read for, which caches that drop annotations keep.</summary>
    public static IReadOnlyList<string> Annotations { get; } = [KongPluginsAnnotation, NginxLimitPrefix, IngressClassAnnotation];

    private static readonly string[] NginxRateKeys = ["limit-rps", "limit-rpm", "limit-connections"];

    /// <summary>A Service.</summary>
    public static ExposedService Service(JsonObject obj)
    {
        var spec = obj["spec"] as JsonObject;
        var selector = (spec?["selector"] as JsonObject ?? []).Where(p => p.Value is JsonValue).ToImmutableDictionary(p => p.Key, p => Text(p.Value) ?? "", StringComparer.Ordinal);
        var labels = (obj["metadata"]?["labels"] as JsonObject ?? []).Where(p => p.Value is JsonValue).ToImmutableDictionary(p => p.Key, p => Text(p.Value) ?? "", StringComparer.Ordinal);
        var ports = (spec?["ports"] as JsonArray ?? []).Select(p => Text(p?["name"])).OfType<string>().ToImmutableArray();
        return new ExposedService(Name(obj), Text(spec?["type"]) ?? "ClusterIP", selector, KongPlugins(obj)) { Labels = labels, PortNames = ports };
    }

    /// <summary>
    /// Whether a Service's selector selects pods of these labels: a selector that is not empty and whose every pair the
    /// labels hold. Snapshots keep only such Services, so a namespace of many Services costs a look at each, nothing more.
    /// </summary>
    public static bool Selects(IEnumerable<KeyValuePair<string, string>>? selector, IDictionary<string, string>? labels)
    {
        if (selector is null || labels is null)
        {
            return false;
        }

        var any = false;
        foreach (var (key, value) in selector)
        {
            if (!labels.TryGetValue(key, out var label) || label != value)
            {
                return false;
            }

            any = true;
        }

        return any;
    }

    /// <summary>A Service as the operator's cache holds it.</summary>
    public static ExposedService Service(k8s.Models.V1Service service) =>
        new(service.Metadata?.Name ?? "", service.Spec?.Type ?? "ClusterIP",
            (service.Spec?.Selector ?? new Dictionary<string, string>()).ToImmutableDictionary(StringComparer.Ordinal),
            KongPlugins(service.Metadata?.Annotations))
        {
            Labels = (service.Metadata?.Labels ?? new Dictionary<string, string>()).ToImmutableDictionary(StringComparer.Ordinal),
            PortNames = [.. (service.Spec?.Ports ?? []).Select(p => p.Name).OfType<string>()],
        };

    /// <summary>An Ingress as the operator's cache holds it.</summary>
    public static ExternalRoute Route(k8s.Models.V1Ingress ingress) =>
        Route("Ingress", ingress.Metadata?.NamespaceProperty ?? "", JsonNode.Parse(k8s.KubernetesJson.Serialize(ingress))!.AsObject());

    /// <summary>An Ingress (<c>kind: Ingress</c>) or a Gateway API HTTPRoute or GRPCRoute.</summary>
    public static ExternalRoute Route(string kind, string ns, JsonObject obj)
    {
        var spec = obj["spec"] as JsonObject ?? [];
        var annotations = obj["metadata"]?["annotations"] as JsonObject ?? [];
        if (kind == "Ingress")
        {
            var services = new SortedSet<string>(StringComparer.Ordinal);
            Add(services, spec["defaultBackend"]?["service"]?["name"]);
            foreach (var rule in spec["rules"] as JsonArray ?? [])
            {
                foreach (var path in rule?["http"]?["paths"] as JsonArray ?? [])
                {
                    Add(services, path?["backend"]?["service"]?["name"]);
                }
            }

            var limits = NginxRateKeys
                .Select(k => (Key: k, Value: Text(annotations[NginxLimitPrefix[..^"limit-".Length] + k])))
                .Where(p => int.TryParse(p.Value, System.Globalization.CultureInfo.InvariantCulture, out var n) && n > 0)
                .Select(p => $"{p.Key}={p.Value}");
            var ingressClass = Text(spec["ingressClassName"]) ?? Text(annotations[IngressClassAnnotation]);
            return new ExternalRoute(kind, ns, Name(obj), ingressClass, [.. services], [], [.. limits], KongPlugins(obj));
        }

        var backends = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var rule in spec["rules"] as JsonArray ?? [])
        {
            foreach (var backend in rule?["backendRefs"] as JsonArray ?? [])
            {
                if ((Text(backend?["group"]) ?? "") == "" && (Text(backend?["kind"]) ?? "Service") == "Service" && (Text(backend?["namespace"]) ?? ns) == ns)
                {
                    Add(backends, backend?["name"]);
                }
            }
        }

        var gateways = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var parent in spec["parentRefs"] as JsonArray ?? [])
        {
            if ((Text(parent?["kind"]) ?? "Gateway") == "Gateway" && Text(parent?["name"]) is { Length: > 0 } gateway)
            {
                gateways.Add($"{Text(parent?["namespace"]) ?? ns}/{gateway}");
            }
        }

        return new ExternalRoute(kind, ns, Name(obj), null, [.. backends], [.. gateways], [], KongPlugins(obj));
    }

    /// <summary>An Envoy Gateway BackendTrafficPolicy or a KongPlugin.</summary>
    public static RateLimitPolicy Policy(string kind, string ns, JsonObject obj)
    {
        if (kind == "KongPlugin")
        {
            var plugin = Text(obj["plugin"]);
            var disabled = obj["disabled"] is JsonValue d && d.GetValueKind() == System.Text.Json.JsonValueKind.True;
            return new RateLimitPolicy(kind, ns, Name(obj), [], !disabled && plugin is "rate-limiting" or "rate-limiting-advanced");
        }

        var spec = obj["spec"] as JsonObject ?? [];
        var refs = (spec["targetRefs"] as JsonArray ?? []).Append(spec["targetRef"]).OfType<JsonObject>();
        return new RateLimitPolicy(kind, ns, Name(obj), [.. refs.Select(r => $"{Text(r["kind"])}/{Text(r["name"])}")], spec["rateLimit"] is JsonObject);
    }

    private static ImmutableArray<string> KongPlugins(JsonObject obj) => Plugins(Text(obj["metadata"]?["annotations"]?[KongPluginsAnnotation]));

    private static ImmutableArray<string> KongPlugins(IDictionary<string, string>? annotations) =>
        Plugins(annotations?.TryGetValue(KongPluginsAnnotation, out var list) == true ? list : null);

    private static ImmutableArray<string> Plugins(string? list) =>
        list is null ? [] : [.. list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    private static string Name(JsonObject obj) => Text(obj["metadata"]?["name"]) ?? "";

    private static void Add(SortedSet<string> names, JsonNode? node)
    {
        if (Text(node) is { Length: > 0 } name)
        {
            names.Add(name);
        }
    }
}
