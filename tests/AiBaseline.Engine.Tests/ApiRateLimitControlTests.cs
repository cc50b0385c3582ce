using System.Collections.Immutable;
using System.Text.Json.Nodes;
using AiBaseline.Api.V1Alpha1;
using AiBaseline.Engine.Controls;
using AiBaseline.Engine.Gathering;
using Microsoft.Extensions.Time.Testing;
using static AiBaseline.Engine.Tests.Builders;
using static AiBaseline.Engine.Tests.PodTemplateBuilders;

namespace AiBaseline.Engine.Tests;

public sealed class ApiRateLimitControlTests
{
    private static readonly ApiRateLimitControl Control = new();

    // The model's pods carry app: scorer (Builders.Workload).
    private const string ClusterIp = """{"metadata": {"name": "scorer"}, "spec": {"selector": {"app": "scorer"}, "ports": [{"port": 80}]}}""";
    private const string LoadBalancer = """{"metadata": {"name": "scorer-public"}, "spec": {"type": "LoadBalancer", "selector": {"app": "scorer"}}}""";
    private const string NodePort = """{"metadata": {"name": "scorer-np"}, "spec": {"type": "NodePort", "selector": {"app": "scorer"}}}""";
    private const string OtherLoadBalancer = """{"metadata": {"name": "web"}, "spec": {"type": "LoadBalancer", "selector": {"app": "web"}}}""";
    private const string KongService = """{"metadata": {"name": "scorer", "annotations": {"konghq.com/plugins": "limit-chat"}}, "spec": {"selector": {"app": "scorer"}}}""";
    private const string Ingress = """{"metadata": {"name": "chat"}, "spec": {"ingressClassName": "nginx", "rules": [{"http": {"paths": [{"path": "/", "pathType": "Prefix", "backend": {"service": {"name": "scorer", "port": {"number": 80}}}}]}}]}}""";
    private const string NginxLimited = """{"metadata": {"name": "chat", "annotations": {"nginx.ingress.kubernetes.io/limit-rps": "10", "nginx.ingress.kubernetes.io/limit-burst-multiplier": "3"}}, "spec": {"ingressClassName": "nginx", "defaultBackend": {"service": {"name": "scorer", "port": {"number": 80}}}}}""";
    private const string NginxZero = """{"metadata": {"name": "chat", "annotations": {"nginx.ingress.kubernetes.io/limit-rps": "0"}}, "spec": {"defaultBackend": {"service": {"name": "scorer"}}}}""";
    private const string Traefik = """{"metadata": {"name": "chat"}, "spec": {"ingressClassName": "traefik", "defaultBackend": {"service": {"name": "scorer"}}}}""";
    private const string LegacyTraefik = """{"metadata": {"name": "chat", "annotations": {"kubernetes.io/ingress.class": "traefik"}}, "spec": {"defaultBackend": {"service": {"name": "scorer"}}}}""";
    private const string KongIngress = """{"metadata": {"name": "chat", "annotations": {"konghq.com/plugins": "limit-chat"}}, "spec": {"ingressClassName": "kong", "defaultBackend": {"service": {"name": "scorer"}}}}""";
    private const string OtherIngress = """{"metadata": {"name": "web"}, "spec": {"defaultBackend": {"service": {"name": "web"}}}}""";
    private const string HttpRoute = """{"metadata": {"name": "chat"}, "spec": {"parentRefs": [{"name": "public", "namespace": "gateways"}], "rules": [{"backendRefs": [{"name": "scorer", "port": 80}]}]}}""";
    private const string GrpcRoute = """{"metadata": {"name": "chat-grpc"}, "spec": {"parentRefs": [{"name": "public", "namespace": "gateways"}], "rules": [{"backendRefs": [{"name": "scorer", "port": 8001}]}]}}""";
    private const string RouteToOtherNamespace = """{"metadata": {"name": "chat"}, "spec": {"parentRefs": [{"name": "public"}], "rules": [{"backendRefs": [{"name": "scorer", "namespace": "elsewhere"}]}]}}""";
    private const string PolicyOnRoute = """{"metadata": {"name": "chat-limit"}, "spec": {"targetRefs": [{"group": "gateway.networking.k8s.io", "kind": "HTTPRoute", "name": "chat"}], "rateLimit": {"type": "Local", "local": {"rules": [{"limit": {"requests": 10, "unit": "Second"}}]}}}}""";
    private const string PolicyOnGateway = """{"metadata": {"name": "edge-limit"}, "spec": {"targetRef": {"group": "gateway.networking.k8s.io", "kind": "Gateway", "name": "public"}, "rateLimit": {"type": "Global"}}}""";
    private const string PolicyWithoutLimit = """{"metadata": {"name": "chat-timeouts"}, "spec": {"targetRefs": [{"kind": "HTTPRoute", "name": "chat"}], "timeout": {"http": {"requestTimeout": "30s"}}}}""";
    private const string KongLimit = """{"metadata": {"name": "limit-chat"}, "plugin": "rate-limiting", "config": {"minute": 60, "policy": "local"}}""";
    private const string KongDisabled = """{"metadata": {"name": "limit-chat"}, "plugin": "rate-limiting", "disabled": true}""";
    private const string KongCors = """{"metadata": {"name": "limit-chat"}, "plugin": "cors"}""";

    [Theory]
    [InlineData("nothing", ControlResult.Met, ApiRateLimitControl.InternalOnlyReason, "no Service selects the model's pods", "a model with no Service is not exposed")]
    [InlineData("cluster-ip", ControlResult.Met, ApiRateLimitControl.InternalOnlyReason, "Service scorer selects the model's pods; no LoadBalancer, NodePort, Ingress or Gateway route exposes it", "a ClusterIP Service is internal")]
    [InlineData("cluster-ip other-lb other-ingress", ControlResult.Met, ApiRateLimitControl.InternalOnlyReason, "no LoadBalancer", "another workload's public Service and Ingress do not expose this model")]
    [InlineData("load-balancer", ControlResult.NotMet, ApiRateLimitControl.NoRateLimitReason, "Service ml/scorer-public of type LoadBalancer exposes the model's pods outside the cluster with no rate limit", "a LoadBalancer has no rate limit of its own")]
    [InlineData("node-port", ControlResult.NotMet, ApiRateLimitControl.NoRateLimitReason, "Service ml/scorer-np of type NodePort", "a NodePort is reachable on every node")]
    [InlineData("cluster-ip ingress", ControlResult.NotMet, ApiRateLimitControl.NoRateLimitReason, "Ingress ml/chat sends traffic to Service scorer from outside the cluster with no rate limit", "an nginx Ingress without limit annotations")]
    [InlineData("cluster-ip nginx-limited", ControlResult.Met, ApiRateLimitControl.RateLimitedReason, "every route into the model is rate limited: Ingress ml/chat (ingress-nginx limit-rps=10)", "ingress-nginx limit-rps")]
    [InlineData("cluster-ip nginx-zero", ControlResult.NotMet, ApiRateLimitControl.NoRateLimitReason, "Ingress ml/chat", "limit-rps 0 limits nothing")]
    [InlineData("cluster-ip traefik", ControlResult.Unknown, ApiRateLimitControl.RateLimitNotReadReason, "its class traefik is not ingress-nginx or Kong, whose rate limits are read", "Traefik middlewares are not read")]
    [InlineData("cluster-ip legacy-traefik", ControlResult.Unknown, ApiRateLimitControl.RateLimitNotReadReason, "its class traefik", "the class annotation of older Ingresses counts")]
    [InlineData("cluster-ip kong-ingress kong-limit", ControlResult.Met, ApiRateLimitControl.RateLimitedReason, "Ingress ml/chat (Kong KongPlugin ml/limit-chat)", "a Kong rate-limiting plugin on the Ingress")]
    [InlineData("kong-service ingress kong-limit", ControlResult.Met, ApiRateLimitControl.RateLimitedReason, "(Kong KongPlugin ml/limit-chat)", "a Kong plugin named on the Service applies to its routes")]
    [InlineData("cluster-ip kong-ingress kong-disabled", ControlResult.NotMet, ApiRateLimitControl.NoRateLimitReason, "Ingress ml/chat", "a disabled plugin limits nothing")]
    [InlineData("cluster-ip kong-ingress kong-cors", ControlResult.NotMet, ApiRateLimitControl.NoRateLimitReason, "Ingress ml/chat", "a CORS plugin is not a rate limit")]
    [InlineData("cluster-ip kong-ingress", ControlResult.Unknown, ApiRateLimitControl.RateLimitNotReadReason, "konghq.com/plugins names limit-chat, which is not a KongPlugin of namespace ml (a KongClusterPlugin is not read)", "a plugin we cannot find may be a cluster plugin")]
    [InlineData("cluster-ip http-route", ControlResult.NotMet, ApiRateLimitControl.NoRateLimitReason, "HTTPRoute ml/chat sends traffic to Service scorer from outside the cluster with no rate limit", "a Gateway route without a policy")]
    [InlineData("cluster-ip http-route policy-on-route", ControlResult.Met, ApiRateLimitControl.RateLimitedReason, "HTTPRoute ml/chat (Envoy Gateway BackendTrafficPolicy ml/chat-limit)", "a BackendTrafficPolicy targeting the route")]
    [InlineData("cluster-ip http-route grpc-route policy-on-gateway", ControlResult.Met, ApiRateLimitControl.RateLimitedReason, "GRPCRoute ml/chat-grpc (Envoy Gateway BackendTrafficPolicy gateways/edge-limit); HTTPRoute ml/chat (Envoy Gateway BackendTrafficPolicy gateways/edge-limit)", "a policy on the Gateway, in the Gateway's namespace, limits every route attached to it")]
    [InlineData("cluster-ip http-route grpc-route policy-on-route", ControlResult.NotMet, ApiRateLimitControl.NoRateLimitReason, "GRPCRoute ml/chat-grpc sends traffic to Service scorer", "a policy on one route does not limit the other")]
    [InlineData("cluster-ip http-route policy-without-limit", ControlResult.NotMet, ApiRateLimitControl.NoRateLimitReason, "HTTPRoute ml/chat", "a BackendTrafficPolicy without rateLimit")]
    [InlineData("cluster-ip route-elsewhere", ControlResult.Met, ApiRateLimitControl.InternalOnlyReason, "no LoadBalancer", "a backendRef to another namespace's Service of the same name is not this model")]
    [InlineData("load-balancer nginx-limited", ControlResult.NotMet, ApiRateLimitControl.NoRateLimitReason, "type LoadBalancer", "a limited Ingress does not cover a LoadBalancer beside it")]
    public void Judges_whether_an_exposed_model_api_is_rate_limited(string objects, ControlResult result, string reason, string fragment, string why)
    {
        var snapshot = With(Snapshot(), objects.Split(' '));

        var outcome = Evaluate(Control, snapshot);

        Assert.True((result, reason) == (outcome.Result, outcome.Reason), $"{why}: got {outcome.Result} {outcome.Reason}: {outcome.Message}");
        Assert.Contains(fragment, outcome.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Policies_are_gathered_from_the_namespaces_of_the_routes_gateways()
    {
        var routes = new[] { ExposureReader.Route("HTTPRoute", "ml", Json(HttpRoute)), ExposureReader.Route("HTTPRoute", "ml", Json(RouteToOtherNamespace)) };

        Assert.Equal(["ml", "gateways"], SnapshotAssembler.PolicyNamespaces("ml", routes));
        Assert.Equal(["gateways/public"], routes[0].Gateways);
        Assert.Empty(routes[1].Services);
    }

    [Fact]
    public void Engine_decides_5_2_2_2_from_the_cluster()
    {
        var exposed = With(Snapshot(), ["load-balancer"]);

        var status = BaselineEngine.Evaluate(exposed, Profile(), new FakeTimeProvider(Now));

        Assert.Equal(ProvisionResult.NotMet, status.Provision("5.2.2-2")?.Result);
        var condition = Assert.Single(status.Conditions!, c => c.Type == ConditionTypes.ApiRateLimited);
        Assert.Equal(("False", ApiRateLimitControl.NoRateLimitReason), (condition.Status, condition.Reason));
        Assert.Equal(ProvisionResult.Met, BaselineEngine.Evaluate(Snapshot(), Profile(), new FakeTimeProvider(Now)).Provision("5.2.2-2")?.Result);
    }

    private static Snapshot With(Snapshot snapshot, IEnumerable<string> names)
    {
        var services = ImmutableArray.CreateBuilder<ExposedService>();
        var routes = ImmutableArray.CreateBuilder<ExternalRoute>();
        var policies = ImmutableArray.CreateBuilder<RateLimitPolicy>();
        foreach (var name in names)
        {
            switch (name)
            {
                case "nothing": break;
                case "cluster-ip": services.Add(ExposureReader.Service(Json(ClusterIp))); break;
                case "load-balancer": services.Add(ExposureReader.Service(Json(LoadBalancer))); break;
                case "node-port": services.Add(ExposureReader.Service(Json(NodePort))); break;
                case "other-lb": services.Add(ExposureReader.Service(Json(OtherLoadBalancer))); break;
                case "kong-service": services.Add(ExposureReader.Service(Json(KongService))); break;
                case "ingress": routes.Add(ExposureReader.Route("Ingress", "ml", Json(Ingress))); break;
                case "nginx-limited": routes.Add(ExposureReader.Route("Ingress", "ml", Json(NginxLimited))); break;
                case "nginx-zero": routes.Add(ExposureReader.Route("Ingress", "ml", Json(NginxZero))); break;
                case "traefik": routes.Add(ExposureReader.Route("Ingress", "ml", Json(Traefik))); break;
                case "legacy-traefik": routes.Add(ExposureReader.Route("Ingress", "ml", Json(LegacyTraefik))); break;
                case "kong-ingress": routes.Add(ExposureReader.Route("Ingress", "ml", Json(KongIngress))); break;
                case "other-ingress": routes.Add(ExposureReader.Route("Ingress", "ml", Json(OtherIngress))); break;
                case "http-route": routes.Add(ExposureReader.Route("HTTPRoute", "ml", Json(HttpRoute))); break;
                case "grpc-route": routes.Add(ExposureReader.Route("GRPCRoute", "ml", Json(GrpcRoute))); break;
                case "route-elsewhere": routes.Add(ExposureReader.Route("HTTPRoute", "ml", Json(RouteToOtherNamespace))); break;
                case "policy-on-route": policies.Add(ExposureReader.Policy("BackendTrafficPolicy", "ml", Json(PolicyOnRoute))); break;
                case "policy-on-gateway": policies.Add(ExposureReader.Policy("BackendTrafficPolicy", "gateways", Json(PolicyOnGateway))); break;
                case "policy-without-limit": policies.Add(ExposureReader.Policy("BackendTrafficPolicy", "ml", Json(PolicyWithoutLimit))); break;
                case "kong-limit": policies.Add(ExposureReader.Policy("KongPlugin", "ml", Json(KongLimit))); break;
                case "kong-disabled": policies.Add(ExposureReader.Policy("KongPlugin", "ml", Json(KongDisabled))); break;
                case "kong-cors": policies.Add(ExposureReader.Policy("KongPlugin", "ml", Json(KongCors))); break;
                default: throw new ArgumentException("no such object in the table: " + name);
            }
        }

        return snapshot with { ExposedServices = services.ToImmutable(), Routes = routes.ToImmutable(), RateLimitPolicies = policies.ToImmutable() };
    }

    private static JsonObject Json(string text) => JsonNode.Parse(text)!.AsObject();
}
