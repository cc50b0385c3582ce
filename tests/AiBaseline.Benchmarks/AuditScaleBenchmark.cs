using System.Diagnostics;
using System.Globalization;
using AiBaseline.Audit;
using AiBaseline.Audit.Reports;

namespace AiBaseline.Benchmarks;

/// <summary>
/// The audit at scale: writes N deployments (AIModelDeployment, Deployment, two NetworkPolicies, a Secret
/// and a ServiceAccount each, one file per deployment, 100 namespaces) into a temporary folder, audits them
/// in-process with the text report, and prints wall time, peak working set and cost per deployment. Run:
/// <c>dotnet run -c Release --project tests/AiBaseline.Benchmarks -- audit-scale 1000 5000 10000</c>.
/// Targets: 10,000 deployments under 5 s and 1 GiB, cost linear in N.
/// </summary>
public static class AuditScaleBenchmark
{
    /// <summary>The first argument that selects this mode.</summary>
    public const string Mode = "audit-scale";

    public static int Run(IEnumerable<string> sizes)
    {
        var counts = sizes.Select(s => int.Parse(s, CultureInfo.InvariantCulture)).DefaultIfEmpty(1000).Order().ToList();
        Console.WriteLine($"{"deployments",12} {"wall ms",10} {"µs/deployment",14} {"peak working set MiB",21} {"allocated MiB",14}");
        foreach (var count in counts)
        {
            var dir = Directory.CreateTempSubdirectory("aibaseline-scale-").FullName;
            try
            {
                Generate(dir, count);
                GC.Collect();
                var allocated = GC.GetTotalAllocatedBytes(precise: true);
                var watch = Stopwatch.StartNew();
                var problems = new List<InputProblem>();
                var set = AuditRun.Load([dir], "default", TextReader.Null, problems);
                var loaded = watch.ElapsedMilliseconds;
                var verdicts = AuditRun.Evaluate(set, null, TimeProvider.System);
                var evaluated = watch.ElapsedMilliseconds;
                ReportWriter.Write(new AuditOptions([dir]), verdicts, TextWriter.Null);
                var exit = problems.Count > 0 ? AuditExitCodes.BadInput : AuditRun.ExitCode(verdicts, failOnUnknown: false);
                watch.Stop();
                if (exit != AuditExitCodes.NotCompliant)
                {
                    throw new InvalidOperationException($"expected exit 1 (every tenth deployment is not compliant), got {exit}");
                }

                var peak = Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024);
                var mib = (GC.GetTotalAllocatedBytes(precise: true) - allocated) / (1024.0 * 1024);
                Console.WriteLine($"{count,12} {watch.ElapsedMilliseconds,10} {watch.Elapsed.TotalMicroseconds / count,14:F1} {peak,21:F0} {mib,14:F0}   (load {loaded} ms, evaluate {evaluated - loaded} ms, report {watch.ElapsedMilliseconds - evaluated} ms)");
            }
            finally
            {
                Directory.Delete(dir, recursive: true);
            }
        }

        return 0;
    }

    private static void Generate(string dir, int count)
    {
        const string digest = "sha256:3f1c9a7e5b2d4c6f8a0e1b3d5c7f9a2b4d6e8f0a1c3e5b7d9f2a4c6e8b0d1f3a";
        for (var i = 0; i < count; i++)
        {
            var ns = $"team-{i % 100}";
            var name = $"model-{i}";
            // Every tenth deployment pulls by tag, so the audit has findings to report as well.
            var image = i % 10 == 0 ? "registry.acme.example/ml/server:latest" : $"registry.acme.example/ml/server@{digest}";
            File.WriteAllText(Path.Combine(dir, $"{name}.yaml"), $$"""
                apiVersion: aibaseline.io/v1alpha1
                kind: AIModelDeployment
                metadata: {name: {{name}}, namespace: {{ns}}}
                spec:
                  stage: Deployment
                  workloadRef: {kind: Deployment, name: {{name}}}
                  models: [{name: llm, source: "oci://registry.acme.example/models/llm@{{digest}}", digest: "{{digest}}"}]
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
                  replicas: 2
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

                """);
        }

        File.WriteAllText(Path.Combine(dir, "profile.yaml"), """
            apiVersion: aibaseline.io/v1alpha1
            kind: BaselineProfile
            metadata: {name: default}
            spec:
              images: {trustedRegistries: [registry.acme.example/]}
              evidence: {maxAgeDays: 3650}
            """);
    }
}
