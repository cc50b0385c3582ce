using System.Text;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace AiBaseline.KubeEmulator.Tests.Differential;

/// <summary>
/// The same ConfigMap goes through the same validating webhook (<see cref="ProbeWebhook"/>, on loopback) on the
/// emulator and on a real API server (as a dry run): both accept or both refuse it, with the same HTTP status, the same
/// message and the same warnings. Unreachable, slow and untrusted webhooks are compared under both failure policies,
/// the transport's failure included in the message.
/// </summary>
public sealed class WebhookDifferentialTests(WebhookServersFixture fixture) : IClassFixture<WebhookServersFixture>
{
    [Theory]
    [InlineData("allowed", "probe", "allow")]
    [InlineData("warned", "probe", "warn")]
    [InlineData("denied", "probe", "deny")]
    [InlineData("denied-without-code", "probe", "deny-without-code")]
    [InlineData("timed-out-fail", "probe", "slow")]
    [InlineData("timed-out-ignore", "probe-ignore", "slow")]
    [InlineData("unreachable-fail", "down", "allow")]
    [InlineData("unreachable-ignore", "down-ignore", "allow")]
    [InlineData("untrusted-fail", "untrusted", "allow")]
    [InlineData("not-selected", "other", "deny")]
    public async Task A_ConfigMap_gets_the_same_answer_through_the_same_webhook_from_the_emulator_and_a_real_API_server(string name, string selectedBy, string verdict)
    {
        var servers = fixture.Servers;
        Assert.SkipWhen(servers.Missing is not null, servers.Missing ?? "");
        var configMap = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "ConfigMap",
            ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = new JsonObject { ["webhook-probe"] = selectedBy } },
            ["data"] = new JsonObject { ["verdict"] = verdict },
        };

        var real = await PostAsync((Kubernetes)servers.Real, configMap, dryRun: true);
        var emulated = await PostAsync((Kubernetes)servers.EmulatorClient, configMap, dryRun: false);

        Assert.True(real.Comparable == emulated.Comparable, $"{name}:\n real server: {real}\n emulator:    {emulated}");
        Assert.Equal(real.Warnings, emulated.Warnings);
    }

    private static async Task<WebhookAnswer> PostAsync(Kubernetes client, JsonObject configMap, bool dryRun)
    {
        var uri = new Uri(client.BaseUri, "api/v1/namespaces/default/configmaps" + (dryRun ? "?dryRun=All" : ""));
        using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new StringContent(configMap.ToJsonString(), Encoding.UTF8, "application/json") };
        if (client.Credentials is not null)
        {
            await client.Credentials.ProcessHttpRequestAsync(request, CancellationToken.None);
        }

        using var response = await client.HttpClient.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        var message = (int)response.StatusCode < 300 ? "" : JsonNode.Parse(body)?["message"]?.GetValue<string>() ?? body;
        var warnings = response.Headers.TryGetValues("Warning", out var values) ? string.Join("\n", values) : "";
        return new WebhookAnswer((int)response.StatusCode, message, warnings);
    }

    internal static V1ValidatingWebhookConfiguration Configuration(ProbeWebhook webhook)
    {
        V1ValidatingWebhook Hook(string name, string selectedBy, string url, string failurePolicy, int timeoutSeconds, byte[]? caBundle = null) => new()
        {
            Name = name,
            ClientConfig = new Admissionregistrationv1WebhookClientConfig { Url = url, CaBundle = caBundle ?? webhook.CaBundle },
            Rules = [new V1RuleWithOperations { ApiGroups = [""], ApiVersions = ["v1"], Resources = ["configmaps"], Operations = ["CREATE"] }],
            ObjectSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["webhook-probe"] = selectedBy } },
            FailurePolicy = failurePolicy,
            SideEffects = "None",
            TimeoutSeconds = timeoutSeconds,
            AdmissionReviewVersions = ["v1"],
        };

        // Port 9 (discard) on loopback: nothing listens there, so the connection is refused at once.
        const string Down = "https://127.0.0.1:9/validate";
        return new V1ValidatingWebhookConfiguration
        {
            ApiVersion = "admissionregistration.k8s.io/v1",
            Kind = "ValidatingWebhookConfiguration",
            Metadata = new V1ObjectMeta { Name = "probe" },
            Webhooks =
            [
                Hook("probe.webhook.aibaseline.io", "probe", webhook.Url, "Fail", 1),
                Hook("probe-ignore.webhook.aibaseline.io", "probe-ignore", webhook.Url, "Ignore", 1),
                Hook("down.webhook.aibaseline.io", "down", Down, "Fail", 1),
                Hook("down-ignore.webhook.aibaseline.io", "down-ignore", Down, "Ignore", 1),
                Hook("untrusted.webhook.aibaseline.io", "untrusted", webhook.Url, "Fail", 1, ProbeWebhook.UnrelatedCaBundle()),
            ],
        };
    }
}

/// <summary>Both servers and the probe webhook, registered on both under the same configuration, for one test class.</summary>
public sealed class WebhookServersFixture : IAsyncLifetime
{
    private ProbeWebhook? webhook;

    public RealServerFixture Servers { get; } = new();

    public async ValueTask InitializeAsync()
    {
        await Servers.InitializeAsync();
        if (Servers.Missing is not null)
        {
            return;
        }

        webhook = await ProbeWebhook.StartAsync();
        var configuration = WebhookDifferentialTests.Configuration(webhook);
        await Servers.Real.AdmissionregistrationV1.CreateValidatingWebhookConfigurationAsync(configuration);
        await Servers.EmulatorClient.AdmissionregistrationV1.CreateValidatingWebhookConfigurationAsync(configuration);
    }

    public async ValueTask DisposeAsync()
    {
        await Servers.DisposeAsync();
        if (webhook is not null)
        {
            await webhook.DisposeAsync();
        }
    }
}

/// <summary>One server's answer to a create through a webhook: status code, the Status message, and the Warning headers.</summary>
internal sealed record WebhookAnswer(int Code, string Message, string Warnings)
{
    public (int, string) Comparable => (Code, Message);

    public override string ToString() => $"{Code} {Message} [{Warnings}]";
}
