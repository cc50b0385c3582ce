using System.Text.Json.Nodes;

namespace AiBaseline.Cli.Tests.Audit;

/// <summary>
/// What the audit reads from manifests for NetworkIsolation, SecretsHandling and LeastPrivilege beyond the pod template:
/// Cilium policies, policies of kinds it does not read, the namespace's Secrets, aggregated roles, and objects that
/// <c>helm template -n X</c> leaves without a namespace.
/// </summary>
public sealed class ManifestChecksTests
{
    private static readonly string Compliant = string.Join("\n---\n", Directory.GetFiles(AuditHarness.Examples("llm-inference-compliant"), "*.yaml").Order(StringComparer.Ordinal).Select(File.ReadAllText))
        + "\n---\n" + File.ReadAllText(AuditHarness.Examples("profiles/default.yaml"));

    private static readonly string NetworkPolicies = File.ReadAllText(AuditHarness.Examples("llm-inference-compliant/networkpolicies.yaml"));

    /// <summary>The compliant example with its NetworkPolicies replaced by <paramref name="policies"/>.</summary>
    private static string WithPolicies(string policies)
    {
        var input = Compliant.Replace(NetworkPolicies, policies, StringComparison.Ordinal);
        Assert.DoesNotContain("networking.k8s.io/v1\nkind: NetworkPolicy", input, StringComparison.Ordinal);
        return input;
    }

    /// <summary>A control's result (status.controls) with the reason and message of its condition (status.conditions).</summary>
    private static JsonObject Control(AuditResult run, string name)
    {
        var status = JsonNode.Parse(run.Stdout)!["items"]![0]!["status"]!;
        var type = name switch
        {
            "NetworkIsolation" => "NetworkIsolated",
            "SecretsHandling" => "SecretsProtected",
            "RuntimeHardening" => "RuntimeHardened",
            _ => name,
        };
        var condition = status["conditions"]!.AsArray().Single(c => (string?)c!["type"] == type)!;
        return new JsonObject
        {
            ["result"] = (string?)status["controls"]!.AsArray().Single(c => (string?)c!["name"] == name)!["result"],
            ["reason"] = (string?)condition["reason"],
            ["message"] = ((string?)condition["message"])?.Split(" (EN 304 223")[0],
        };
    }

    private const string CiliumIsolation = """
        apiVersion: cilium.io/v2
        kind: CiliumNetworkPolicy
        metadata:
          name: llama-chat
          namespace: llm-serving
        spec:
          endpointSelector:
            matchLabels:
              k8s:app.kubernetes.io/name: llama-chat
          ingress:
          - fromEndpoints:
            - matchLabels:
                k8s:io.kubernetes.pod.namespace: ai-gateway
          egress:
          - toEndpoints:
            - matchLabels:
                k8s:io.kubernetes.pod.namespace: kube-system
                k8s:k8s-app: kube-dns
            toPorts:
            - ports:
              - {port: "53", protocol: ANY}
        """;

    [Fact]
    public void A_CiliumNetworkPolicy_in_the_input_isolates_the_pods()
    {
        var run = AuditHarness.RunWithStdin(WithPolicies(CiliumIsolation), "-", "-o", "json");

        var control = Control(run, "NetworkIsolation");
        Assert.Equal(("Met", "ingress isolated by CiliumNetworkPolicy llama-chat; egress isolated by CiliumNetworkPolicy llama-chat"), ((string?)control["result"], (string?)control["message"]));
    }

    [Fact]
    public void Cilium_egress_to_the_world_is_named()
    {
        var run = AuditHarness.RunWithStdin(WithPolicies(CiliumIsolation + "\n  - toEntities: [world]\n"), "-", "-o", "json");

        var control = Control(run, "NetworkIsolation");
        Assert.Equal(("NotMet", "UnrestrictedEgress"), ((string?)control["result"], (string?)control["reason"]));
        Assert.Contains("CiliumNetworkPolicy llama-chat egress rule 1 allows toEntities world", (string?)control["message"], StringComparison.Ordinal);
    }

    [Fact]
    public void A_policy_kind_it_does_not_read_is_named_and_no_policy_says_NoNetworkPolicy()
    {
        const string calico = "apiVersion: projectcalico.org/v3\nkind: NetworkPolicy\nmetadata:\n  name: default-deny\n  namespace: llm-serving\nspec:\n  selector: all()\n  types: [Ingress, Egress]\n";

        var run = AuditHarness.RunWithStdin(WithPolicies(calico), "-", "-o", "json");

        var control = Control(run, "NetworkIsolation");
        Assert.Equal(("NotMet", "NoNetworkPolicy"), ((string?)control["result"], (string?)control["reason"]));
        Assert.Contains("not read: projectcalico.org/v3 NetworkPolicy llm-serving/default-deny", (string?)control["message"], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true, "NotMet", "SecretNotFound", "the input holds the namespace's Secrets, and not this one")]
    [InlineData(false, "Unknown", "PullSecretNotChecked", "the input holds no Secret of the namespace: it cannot tell")]
    public void A_missing_pull_secret_is_reported_when_the_input_can_tell(bool withSecrets, string result, string reason, string why)
    {
        var input = Compliant.Replace("      serviceAccountName: llama-chat\n", "      serviceAccountName: llama-chat\n      imagePullSecrets:\n      - name: ghcr-pull\n", StringComparison.Ordinal);
        Assert.NotEqual(Compliant, input);
        if (!withSecrets)
        {
            input = string.Join("\n---\n", input.Split("\n---\n").Where(d => !d.Contains("kind: Secret\n", StringComparison.Ordinal)));
            input = input.Replace("secretKeyRef", "configMapKeyRef", StringComparison.Ordinal);
        }

        var run = AuditHarness.RunWithStdin(input, "-", "-o", "json");

        var control = Control(run, "SecretsHandling");
        Assert.True((result, reason) == ((string?)control["result"], (string?)control["reason"]), $"{why}: {control.ToJsonString()}");
        Assert.Contains("pod: imagePullSecrets[0] names Secret llm-serving/ghcr-pull", (string?)control["message"], StringComparison.Ordinal);
    }

    [Fact]
    public void Objects_helm_template_leaves_without_a_namespace_take_the_one_the_input_names()
    {
        // helm template -n llm-serving: this chart writes the namespace on the AIModelDeployment only.
        var input = string.Join("\n---\n", Compliant.Split("\n---\n").Select(d => d.Contains("kind: AIModelDeployment", StringComparison.Ordinal) ? d : d.Replace("  namespace: llm-serving\n", "", StringComparison.Ordinal)));

        var inferred = AuditHarness.RunWithStdin(input, "-", "-o", "json");
        var given = AuditHarness.RunWithStdin(input, "-", "-n", "other", "-o", "json");

        Assert.Equal(0, inferred.Exit);
        Assert.Equal("Met", (string?)Control(inferred, "RuntimeHardening")["result"]);
        Assert.Equal("WorkloadNotFound", (string?)Control(given, "RuntimeHardening")["reason"]);
    }

    [Fact]
    public void An_aggregated_ClusterRole_in_the_input_grants_what_it_aggregates()
    {
        const string rbac = """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata:
              name: model-ops
            aggregationRule:
              clusterRoleSelectors:
              - matchLabels:
                  acme.io/aggregate-to-model-ops: "true"
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata:
              name: debug-extras
              labels:
                acme.io/aggregate-to-model-ops: "true"
            rules:
            - apiGroups: [""]
              resources: [pods/exec]
              verbs: [create]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata:
              name: llama-chat-ops
              namespace: llm-serving
            roleRef:
              apiGroup: rbac.authorization.k8s.io
              kind: ClusterRole
              name: model-ops
            subjects:
            - kind: ServiceAccount
              name: llama-chat
              namespace: llm-serving
            """;

        var run = AuditHarness.RunWithStdin(Compliant + "\n---\n" + rbac, "-", "-o", "json");

        var control = Control(run, "LeastPrivilege");
        Assert.Equal(("NotMet", "PodExec"), ((string?)control["result"], (string?)control["reason"]));
        Assert.Contains("grants ClusterRole model-ops (aggregating debug-extras)", (string?)control["message"], StringComparison.Ordinal);
    }
}
