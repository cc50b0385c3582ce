using System.Text.Json.Nodes;

namespace AiBaseline.Cli.Tests.Audit;

/// <summary>
/// The audit reads what exposes a model outside the cluster (Services, Ingresses, Gateway API routes) and the rate
/// limits of known implementations (ingress-nginx annotations, Envoy Gateway BackendTrafficPolicy, KongPlugin) from
/// manifests, and what keeps a known good state (revisionHistoryLimit, GitOps marks), beside the compliant example.
/// </summary>
public sealed class ExposureAuditTests
{
    private const string Ingress = """
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: chat
          namespace: llm-serving
        spec:
          ingressClassName: nginx
          rules:
          - host: chat.example.com
            http:
              paths:
              - {path: /, pathType: Prefix, backend: {service: {name: llama-chat, port: {number: 80}}}}
        """;

    private const string Route = """
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: chat, namespace: llm-serving}
        spec:
          parentRefs: [{name: public, namespace: gateways}]
          rules:
          - backendRefs: [{name: llama-chat, port: 80}]
        """;

    private const string GatewayPolicy = """
        apiVersion: gateway.envoyproxy.io/v1alpha1
        kind: BackendTrafficPolicy
        metadata: {name: edge-limit, namespace: gateways}
        spec:
          targetRefs: [{group: gateway.networking.k8s.io, kind: Gateway, name: public}]
          rateLimit:
            type: Local
            local:
              rules: [{limit: {requests: 20, unit: Second}}]
        """;

    public static TheoryData<string, string, string, string> Cases => new()
    {
        { "nothing more", "", "True", "InternalOnly" },
        { "a LoadBalancer Service", "apiVersion: v1\nkind: Service\nmetadata: {name: chat-public, namespace: llm-serving}\nspec:\n  type: LoadBalancer\n  selector: {app.kubernetes.io/name: llama-chat}\n", "False", "NoRateLimit" },
        { "an nginx Ingress without limits", Ingress, "False", "NoRateLimit" },
        { "an nginx Ingress with limit-rpm", Ingress.Replace("  namespace: llm-serving\n", "  namespace: llm-serving\n  annotations: {nginx.ingress.kubernetes.io/limit-rpm: \"120\"}\n", StringComparison.Ordinal), "True", "RateLimited" },
        { "a Traefik Ingress", Ingress.Replace("ingressClassName: nginx", "ingressClassName: traefik", StringComparison.Ordinal), "Unknown", "RateLimitNotRead" },
        { "an HTTPRoute without a policy", Route, "False", "NoRateLimit" },
        { "an HTTPRoute whose Gateway has a rate limit policy", Route + "\n---\n" + GatewayPolicy, "True", "RateLimited" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void ApiRateLimit_judges_what_the_manifests_expose(string what, string extra, string status, string reason)
    {
        using var dir = new TempManifests();
        dir.Write("extra.yaml", extra);

        var condition = Condition(AuditHarness.Run(AuditHarness.Examples("llm-inference-compliant"), AuditHarness.Examples("profiles"), dir.Dir, "-o", "json"), "ApiRateLimited");

        Assert.True((status, reason) == ((string?)condition["status"], (string?)condition["reason"]), $"{what}: {condition.ToJsonString()}");
    }

    [Fact]
    public void The_exposing_route_is_named_and_a_missing_limit_fails_the_audit()
    {
        using var dir = new TempManifests();
        dir.Write("extra.yaml", Ingress);

        var run = AuditHarness.Run(AuditHarness.Examples("llm-inference-compliant"), AuditHarness.Examples("profiles"), dir.Dir, "-o", "json");

        Assert.Equal(1, run.Exit);
        Assert.StartsWith("Ingress llm-serving/chat sends traffic to Service llama-chat from outside the cluster with no rate limit", (string?)Condition(run, "ApiRateLimited")["message"], StringComparison.Ordinal);
    }

    [Fact]
    public void KnownGoodState_reads_revisionHistoryLimit_and_the_argo_cd_annotation_from_the_manifest()
    {
        var deployment = File.ReadAllText(AuditHarness.Examples("llm-inference-compliant/deployment.yaml"));
        var noHistory = deployment.Replace("  replicas: 2\n", "  replicas: 2\n  revisionHistoryLimit: 0\n", StringComparison.Ordinal);
        var tracked = noHistory.Replace("  namespace: llm-serving\n", "  namespace: llm-serving\n  annotations: {argocd.argoproj.io/tracking-id: \"chat:apps/Deployment:llm-serving/llama-chat\"}\n", StringComparison.Ordinal);
        Assert.NotEqual(deployment, noHistory);

        var results = new[] { noHistory, tracked }.Select(text =>
        {
            using var dir = new TempManifests();
            foreach (var file in new[] { "access.yaml", "aimodeldeployment.yaml", "networkpolicies.yaml" })
            {
                dir.Write(file, File.ReadAllText(AuditHarness.Examples("llm-inference-compliant/" + file)));
            }

            dir.Write("deployment.yaml", text);
            return Condition(AuditHarness.Run(dir.Dir, AuditHarness.Examples("profiles"), "-o", "json"), "KnownGoodStateRestorable");
        }).ToList();

        Assert.Equal(("False", "NoRevisionHistory"), ((string?)results[0]["status"], (string?)results[0]["reason"]));
        Assert.Contains("spec.revisionHistoryLimit: 0", (string?)results[0]["message"], StringComparison.Ordinal);
        Assert.Equal(("True", "Restorable"), ((string?)results[1]["status"], (string?)results[1]["reason"]));
        Assert.Contains("applied from Git by Argo CD Application chat", (string?)results[1]["message"], StringComparison.Ordinal);
    }

    private static JsonNode Condition(AuditResult run, string type)
    {
        var items = JsonNode.Parse(run.Stdout)!["items"]!.AsArray();
        var chat = items.Single(i => (string?)i!["metadata"]!["name"] == "llama-chat")!;
        return chat["status"]!["conditions"]!.AsArray().Single(c => (string?)c!["type"] == type)!;
    }
}
