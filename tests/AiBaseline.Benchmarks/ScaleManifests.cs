namespace AiBaseline.Benchmarks;

/// <summary>
/// The synthetic estate of the scale harnesses: deployment <c>i</c> is an AIModelDeployment with its Deployment, two
/// NetworkPolicies, a Secret and a ServiceAccount, in namespace <c>team-(i / PerNamespace)</c>. Every tenth deployment
/// pulls its image by tag, so it is not compliant; the others are.
/// </summary>
internal static class ScaleManifests
{
    /// <summary>The digest every image and model is pinned to.</summary>
    public const string Digest = "sha256:3f1c9a7e5b2d4c6f8a0e1b3d5c7f9a2b4d6e8f0a1c3e5b7d9f2a4c6e8b0d1f3a";

    /// <summary>The image pinned by digest (compliant).</summary>
    public const string PinnedImage = "registry.acme.example/ml/server@" + Digest;

    /// <summary>The image pulled by tag (not compliant).</summary>
    public const string TaggedImage = "registry.acme.example/ml/server:latest";

    /// <summary>Deployments per namespace.</summary>
    public const int PerNamespace = 100;

    /// <summary>
    /// The profile every deployment uses. Monitoring and vulnerability reports are not required: the estate has no Prometheus
    /// or Trivy objects, so the figures stay comparable with the runs made before those controls existed.
    /// </summary>
    public const string Profile = """
        apiVersion: aibaseline.io/v1alpha1
        kind: BaselineProfile
        metadata: {name: default}
        spec:
          images: {trustedRegistries: [registry.acme.example/]}
          evidence: {maxAgeDays: 3650}
          monitoring: {requireScrape: false, requireAlertRules: false}
          vulnerabilities: {requireReports: false}
        """;

    public static string Namespace(int i) => $"team-{i / PerNamespace}";

    public static string Name(int i) => $"model-{i}";

    /// <summary>Whether deployment <paramref name="i"/> is generated compliant.</summary>
    public static bool Compliant(int i) => i % 10 != 0;

    /// <summary>
    /// The six objects of deployment <paramref name="i"/> as one multi-document YAML text; on a real cluster the
    /// workload is scaled to zero (<paramref name="replicas"/>), so no pod is made.
    /// </summary>
    public static string Deployment(int i, int replicas = 2)
    {
        var (ns, name) = (Namespace(i), Name(i));
        var image = Compliant(i) ? PinnedImage : TaggedImage;
        return $$"""
            apiVersion: aibaseline.io/v1alpha1
            kind: AIModelDeployment
            metadata: {name: {{name}}, namespace: {{ns}}}
            spec:
              stage: Deployment
              workloadRef: {kind: Deployment, name: {{name}}}
              models: [{name: llm, source: "oci://registry.acme.example/models/llm@{{Digest}}", digest: "{{Digest}}"}]
              owners: [{name: team}]
              evidence:
              - {type: ModelCard, uri: "https://docs.example/mc", date: 2026-03-01}
              - {type: ThreatModel, uri: "https://docs.example/tm", date: 2026-03-01}
              - {type: SecurityTestReport, uri: "https://docs.example/tr", date: 2026-03-01}
              - {type: IncidentPlan, uri: "https://docs.example/ip", date: 2026-03-01}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: {{name}}, namespace: {{ns}}}
            spec:
              replicas: {{replicas}}
              selector:
                matchLabels: {app: {{name}}}
              template:
                metadata:
                  labels: {app: {{name}}}
                spec:
                  serviceAccountName: {{name}}
                  automountServiceAccountToken: false
                  securityContext:
                    runAsNonRoot: true
                    seccompProfile: {type: RuntimeDefault}
                  containers:
                  - name: server
                    image: {{image}}
                    env:
                    - name: HF_TOKEN
                      valueFrom:
                        secretKeyRef: {name: {{name}}-token, key: token}
                    securityContext:
                      allowPrivilegeEscalation: false
                      capabilities: {drop: [ALL]}
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: {{name}}-ingress, namespace: {{ns}}}
            spec:
              podSelector:
                matchLabels: {app: {{name}}}
              policyTypes: [Ingress]
              ingress:
              - from:
                - namespaceSelector:
                    matchLabels: {kubernetes.io/metadata.name: ai-gateway}
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: {{name}}-egress, namespace: {{ns}}}
            spec:
              podSelector:
                matchLabels: {app: {{name}}}
              policyTypes: [Egress]
              egress:
              - ports: [{protocol: UDP, port: 53}]
            ---
            apiVersion: v1
            kind: Secret
            metadata: {name: {{name}}-token, namespace: {{ns}}}
            type: Opaque
            ---
            apiVersion: v1
            kind: ServiceAccount
            metadata: {name: {{name}}, namespace: {{ns}}}
            automountServiceAccountToken: false

            """;
    }
}
