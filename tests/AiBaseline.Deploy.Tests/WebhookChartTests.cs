using AiBaseline.Commands;
using AiBaseline.Deploy.Tests.Infrastructure;
using k8s.Models;

namespace AiBaseline.Deploy.Tests;

/// <summary>The chart with webhook.enabled: the webhook configuration, its Service, PodDisruptionBudget, RBAC and operator flags.</summary>
public sealed class WebhookChartTests
{
    private static IReadOnlyList<KubeDocument> Render(params string[] sets) =>
        KubeDocument.ParseAll("helm template --set webhook.enabled=true", Renders.HelmTemplate(["--set", "webhook.enabled=true", .. sets.SelectMany(s => new[] { "--set", s })]).EnsureSuccess().Stdout);

    [Fact]
    public void The_default_install_has_no_webhook()
    {
        var kinds = Renders.Helm(Renders.DefaultValues).Select(d => d.Kind).ToHashSet();

        Assert.DoesNotContain("ValidatingWebhookConfiguration", kinds);
        Assert.DoesNotContain("PodDisruptionBudget", kinds);
        Assert.DoesNotContain(Renders.Helm(Renders.DefaultValues).Single("Deployment", "aibaseline").As<V1Deployment>().Spec.Template.Spec.Containers[0].Args, a => a.StartsWith("--webhook", StringComparison.Ordinal));
    }

    [Fact]
    public void The_webhook_configuration_calls_the_Service_for_governed_kinds_only_and_never_for_excluded_namespaces()
    {
        var documents = Render("webhook.excludedNamespaces={gitops}");
        var configuration = documents.Single("ValidatingWebhookConfiguration", "aibaseline").As<V1ValidatingWebhookConfiguration>();
        var webhook = Assert.Single(configuration.Webhooks);

        Assert.Equal(("aibaseline-webhook", "aibaseline-system", "/validate", 443), (webhook.ClientConfig.Service.Name, webhook.ClientConfig.Service.NamespaceProperty, webhook.ClientConfig.Service.Path, webhook.ClientConfig.Service.Port));
        Assert.Null(webhook.ClientConfig.CaBundle);
        Assert.Equal(("Ignore", 10, "None"), (webhook.FailurePolicy, webhook.TimeoutSeconds, webhook.SideEffects));
        Assert.All(webhook.Rules, r => Assert.Equal(["CREATE", "UPDATE"], r.Operations));
        Assert.Equal(["aimodeldeployments", "deployments", "pods", "statefulsets"], webhook.Rules.SelectMany(r => r.Resources).Order(StringComparer.Ordinal));
        var excluded = Assert.Single(webhook.NamespaceSelector.MatchExpressions);
        Assert.Equal(("kubernetes.io/metadata.name", "NotIn"), (excluded.Key, excluded.OperatorProperty));
        Assert.Equal(["kube-system", "aibaseline-system", "gitops"], excluded.Values);
        Assert.Equal("aibaseline.io/admission", Assert.Single(webhook.ObjectSelector.MatchExpressions).Key);
        Assert.Contains(webhook.MatchConditions, c => c.Expression.Contains("system:serviceaccount:aibaseline-system:aibaseline", StringComparison.Ordinal));

        var service = documents.Single("Service", "aibaseline-webhook").As<V1Service>();
        var container = documents.Single("Deployment", "aibaseline").As<V1Deployment>().Spec.Template.Spec.Containers.Single();
        Assert.Contains(container.Ports, p => p.Name == (string)service.Spec.Ports.Single().TargetPort && p.ContainerPort == 9443);
        Assert.Contains("--webhook-exclude-namespace=gitops", container.Args);
    }

    [Fact]
    public void Failure_policy_and_timeout_are_values()
    {
        var webhook = Render("webhook.failurePolicy=Fail", "webhook.timeoutSeconds=5").Single("ValidatingWebhookConfiguration", "aibaseline").As<V1ValidatingWebhookConfiguration>().Webhooks.Single();

        Assert.Equal(("Fail", 5), (webhook.FailurePolicy, webhook.TimeoutSeconds));
    }

    [Theory]
    [InlineData("webhook.failurePolicy=Never", "/webhook/failurePolicy")]
    [InlineData("webhook.timeoutSeconds=60", "/webhook/timeoutSeconds")]
    [InlineData("replicaCount=1", "webhook.enabled needs replicaCount >= 2")]
    public void Unsafe_or_wrong_values_are_refused_naming_the_value(string set, string expected)
    {
        var result = Renders.HelmTemplate("--set", "webhook.enabled=true", "--set", set);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(expected, result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_replicas_and_a_disruption_budget_keep_one_answering()
    {
        var documents = Render();
        var budget = documents.Single("PodDisruptionBudget", "aibaseline").As<V1PodDisruptionBudget>();

        Assert.Equal(2, documents.Single("Deployment", "aibaseline").As<V1Deployment>().Spec.Replicas);
        Assert.Equal("1", budget.Spec.MinAvailable.Value);
        Assert.Equal("operator", budget.Spec.Selector.MatchLabels["app.kubernetes.io/component"]);
    }

    [Fact]
    public void The_operator_may_touch_only_its_own_certificate_Secret_and_webhook_configuration()
    {
        var documents = Render();
        var secrets = RbacGrants.Rules(documents.Single("Role", "aibaseline-webhook-certificates")).ToList();
        var bundle = RbacGrants.Rules(documents.Single("ClusterRole", "aibaseline-webhook-ca-bundle")).Single();

        Assert.Equal(["create"], secrets.Single(r => r.ResourceNames is null).Verbs);
        var named = secrets.Single(r => r.ResourceNames is not null);
        Assert.Equal(["aibaseline-webhook-tls"], named.ResourceNames);
        Assert.Equal(["get", "patch"], named.Verbs);
        Assert.Equal(["aibaseline"], bundle.ResourceNames);
        Assert.Equal(["get", "patch"], bundle.Verbs);
    }

    [Fact]
    public void With_cert_manager_the_operator_reads_the_mounted_certificate_and_writes_no_Secret()
    {
        var documents = Render("webhook.certManager.enabled=true");
        var pod = documents.Single("Deployment", "aibaseline").As<V1Deployment>().Spec.Template.Spec;

        Assert.Contains("--webhook-cert-dir=/etc/aibaseline/webhook-tls", pod.Containers[0].Args);
        Assert.Contains(pod.Volumes, v => v.Secret?.SecretName == "aibaseline-webhook-tls");
        Assert.Equal("aibaseline-webhook-tls", Yaml.Scalar(documents.Single("Certificate", "aibaseline-webhook").Root, "spec", "secretName"));
        Assert.Equal("aibaseline-system/aibaseline-webhook", documents.Single("ValidatingWebhookConfiguration", "aibaseline").As<V1ValidatingWebhookConfiguration>().Metadata.Annotations["cert-manager.io/inject-ca-from"]);
        Assert.DoesNotContain(documents, d => d.Name == "aibaseline-webhook-certificates");
    }

    [Theory]
    [InlineData("webhook.certManager.enabled=false")]
    [InlineData("webhook.certManager.enabled=true")]
    public void The_webhook_flags_parse(string set)
    {
        var container = Render(set).Single("Deployment", "aibaseline").As<V1Deployment>().Spec.Template.Spec.Containers.Single();
        var root = new System.CommandLine.RootCommand();
        foreach (var command in CommandSet.All())
        {
            root.Subcommands.Add(command);
        }

        var parsed = root.Parse(["operator", .. container.Args]);

        Assert.True(parsed.Errors.Count == 0, string.Join("; ", parsed.Errors.Select(e => e.Message)));
    }
}
