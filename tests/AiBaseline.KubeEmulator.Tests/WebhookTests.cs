using System.Net;
using AiBaseline.KubeEmulator.Tests.Differential;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace AiBaseline.KubeEmulator.Tests;

/// <summary>
/// The emulator calls validating webhooks as the API server does (compared with a real one in
/// <see cref="WebhookDifferentialTests"/>): what each webhook receives, which writes and namespaces it is called for,
/// and what a configuration the emulator cannot serve answers.
/// </summary>
public sealed class WebhookTests
{
    [Fact]
    public async Task A_webhook_receives_the_AdmissionReview_of_the_writes_and_namespaces_its_rules_and_selector_name()
    {
        await using var api = await KubeEmulator.StartAsync();
        await using var webhook = await ProbeWebhook.StartAsync();
        var client = api.CreateClient();
        await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new() { Name = "judged" } });
        await client.AdmissionregistrationV1.CreateValidatingWebhookConfigurationAsync(Configuration(
            new Admissionregistrationv1WebhookClientConfig { Url = webhook.Url, CaBundle = webhook.CaBundle },
            ["CREATE", "UPDATE", "DELETE"]));

        // Only the selected namespace (by the label the server gives every namespace) is judged.
        await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("elsewhere", "deny"), "default");
        var denied = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("refused", "deny"), "judged"));
        Assert.Equal(HttpStatusCode.Forbidden, denied.Response.StatusCode);
        Assert.Null(api.Get<V1ConfigMap>("judged", "refused"));
        Assert.Equal("judged", Assert.Single(webhook.Reviews)["namespace"]!.GetValue<string>());

        // A dry run says so and stores nothing; an update carries the old object; a delete carries only the old object.
        await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("kept", "allow"), "judged", dryRun: "All");
        var dry = webhook.Reviews.Last();
        Assert.Equal(("CREATE", true, "kept"), (dry["operation"]!.GetValue<string>(), dry["dryRun"]!.GetValue<bool>(), dry["object"]!["metadata"]!["name"]!.GetValue<string>()));
        Assert.Null(api.Get<V1ConfigMap>("judged", "kept"));
        await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("kept", "allow"), "judged");
        Assert.False(webhook.Reviews.Last()["dryRun"]!.GetValue<bool>());
        var changed = ConfigMap("kept", "warn");
        await client.CoreV1.ReplaceNamespacedConfigMapAsync(changed, "kept", "judged");
        var updated = webhook.Reviews.Last();
        Assert.Equal(("UPDATE", "warn", "allow"), (updated["operation"]!.GetValue<string>(), updated["object"]!["data"]!["verdict"]!.GetValue<string>(), updated["oldObject"]!["data"]!["verdict"]!.GetValue<string>()));
        await client.CoreV1.DeleteNamespacedConfigMapAsync("kept", "judged");
        var deleted = webhook.Reviews.Last();
        Assert.Equal(("DELETE", "kept"), (deleted["operation"]!.GetValue<string>(), deleted["oldObject"]!["metadata"]!["name"]!.GetValue<string>()));
        Assert.Null(deleted["object"]);
        Assert.Null(api.Get<V1ConfigMap>("judged", "kept"));
        Assert.Equal(5, webhook.Reviews.Count);

        // Once the configuration is gone, nothing is sent and nothing is refused.
        await client.AdmissionregistrationV1.DeleteValidatingWebhookConfigurationAsync("probe");
        await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("refused", "deny"), "judged");
        Assert.Equal(5, webhook.Reviews.Count);
    }

    [Fact]
    public async Task A_webhook_registered_by_Service_refuses_the_write_saying_the_emulator_calls_urls_only()
    {
        await using var api = await KubeEmulator.StartAsync();
        var client = api.CreateClient();
        await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new() { Name = "judged" } });
        await client.AdmissionregistrationV1.CreateValidatingWebhookConfigurationAsync(Configuration(
            new Admissionregistrationv1WebhookClientConfig { Service = new Admissionregistrationv1ServiceReference { Name = "webhook", NamespaceProperty = "default", Port = 443 } },
            ["CREATE"]));

        var refused = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("any", "allow"), "judged"));
        Assert.Equal(HttpStatusCode.InternalServerError, refused.Response.StatusCode);
        Assert.Equal(
            "Internal error occurred: failed calling webhook \"probe.webhook.aibaseline.io\": the API emulator calls webhooks by clientConfig.url only; clientConfig.service is not supported",
            KubernetesJson.Deserialize<V1Status>(refused.Response.Content).Message);
    }

    private static V1ConfigMap ConfigMap(string name, string verdict) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Data = new Dictionary<string, string> { ["verdict"] = verdict },
    };

    private static V1ValidatingWebhookConfiguration Configuration(Admissionregistrationv1WebhookClientConfig clientConfig, IList<string> operations) => new()
    {
        Metadata = new V1ObjectMeta { Name = "probe" },
        Webhooks =
        [
            new V1ValidatingWebhook
            {
                Name = "probe.webhook.aibaseline.io",
                ClientConfig = clientConfig,
                Rules = [new V1RuleWithOperations { ApiGroups = [""], ApiVersions = ["v1"], Resources = ["configmaps"], Operations = operations }],
                NamespaceSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["kubernetes.io/metadata.name"] = "judged" } },
                FailurePolicy = "Fail",
                SideEffects = "None",
                AdmissionReviewVersions = ["v1"],
            },
        ],
    };
}
