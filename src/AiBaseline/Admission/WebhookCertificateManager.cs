using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AiBaseline.Controller;
using AiBaseline.Controller.Api;
using AiBaseline.Operator;
using k8s.Models;

namespace AiBaseline.Admission;

/// <summary>
/// Keeps the certificate the webhook serves. By default every replica reads the Secret <see cref="WebhookSettings.SecretName"/>:
/// the first creates it (a CA and a serving certificate), any replica renews the serving certificate under the same CA when
/// a third of its lifetime is left (a conflict means another replica did, and it reads theirs), adds a new CA to the bundle
/// when the CA has a third of its lifetime left (<see cref="ServingCertificates.RotateCa"/>), and each makes sure the
/// ValidatingWebhookConfiguration trusts the bundle. Renewal keeps the CA, and the old certificate stays valid until long after
/// every replica serves the new one, so no request fails. With <see cref="WebhookSettings.CertificateDirectory"/> the files
/// cert-manager keeps are read instead and nothing is written.
/// </summary>
internal sealed class WebhookCertificateManager(KubeApiClient api, WebhookSettings settings, string ns, TimeProvider time, ILogger<WebhookCertificateManager> logger)
{
    private static readonly ResourceType WebhookConfigurations = new("admissionregistration.k8s.io", "v1", "validatingwebhookconfigurations", Namespaced: false);

    private X509Certificate2? current;
    private string? currentPem;

    /// <summary>The certificate to serve now; null until the first one is loaded.</summary>
    public X509Certificate2? Current => Volatile.Read(ref current);

    /// <summary>Serving certificate renewals this replica wrote, for tests and logs.</summary>
    public int Renewals { get; private set; }

    /// <summary>New CAs this replica added to the bundle, for tests and logs.</summary>
    public int CaRotations { get; private set; }

    /// <summary>Loads (creating or renewing when due) the certificate and checks the CA bundle once.</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        if (settings.CertificateDirectory is { } folder)
        {
            Serve(new CertificateSet("", "", await File.ReadAllTextAsync(Path.Combine(folder, "tls.crt"), cancellationToken), await File.ReadAllTextAsync(Path.Combine(folder, "tls.key"), cancellationToken)));
            return;
        }

        var set = await EnsureSecretAsync(cancellationToken);
        Serve(set);
        await EnsureCaBundleAsync(set.CaCertificate, cancellationToken);
    }

    /// <summary>Refreshes every <see cref="WebhookSettings.CheckInterval"/> until cancelled; a failed round is logged and tried again.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(settings.CheckInterval, time);
        while (await timer.WaitForNextTickAsync(cancellationToken))
        {
            try
            {
                await RefreshAsync(cancellationToken);
            }
            catch (Exception e) when (e is KubeApiException or IOException or HttpRequestException or CryptographicException || e is TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                logger.LogWarning("Could not refresh the webhook certificate: {Reason}", e.Message);
            }
        }
    }

    private void Serve(CertificateSet set)
    {
        if (set.ServingCertificate == currentPem)
        {
            return;
        }

        var loaded = ServingCertificates.Load(set);

        // The previous certificate is not disposed: a handshake under way may still hold it; the garbage collector frees it.
        Volatile.Write(ref current, loaded);
        currentPem = set.ServingCertificate;
        logger.LogInformation("Serving the webhook certificate valid until {NotAfter}", loaded.NotAfter.ToUniversalTime());
    }

    private async Task<CertificateSet> EnsureSecretAsync(CancellationToken cancellationToken)
    {
        var key = new ObjectKey(ns, settings.SecretName);
        for (var attempt = 0; ; attempt++)
        {
            V1Secret? secret;
            try
            {
                secret = await api.GetAsync<V1Secret>(OperatorResources.Secrets, key, cancellationToken);
            }
            catch (KubeApiException e) when (e.IsNotFound)
            {
                secret = null;
            }

            var now = time.GetUtcNow();
            try
            {
                if (secret is null)
                {
                    var fresh = ServingCertificates.IssueAll(settings.Hosts, now, settings.CaLifetime, settings.ServingLifetime);
                    await api.CreateAsync<V1Secret>(OperatorResources.Secrets, ns, SecretOf(fresh), cancellationToken);
                    logger.LogInformation("Created the webhook CA and serving certificate in Secret {Namespace}/{Secret}", ns, settings.SecretName);
                    return fresh;
                }

                var set = Read(secret);

                // A new CA first joins the bundle alone; a later pass (once the API server trusts it) signs with it.
                if (ServingCertificates.CaRotationReason(set, now, settings.CaLifetime) is { } caDue)
                {
                    var rotated = ServingCertificates.RotateCa(set, now, settings.CaLifetime);
                    await PatchAsync(key, secret, new() { ["ca.crt"] = rotated.CaCertificate, ["ca.key"] = rotated.CaKey }, cancellationToken);
                    CaRotations++;
                    logger.LogInformation("Added a new webhook CA to Secret {Namespace}/{Secret}: {Reason}", ns, settings.SecretName, caDue);
                    return rotated;
                }

                if (ServingCertificates.RenewalReason(set, settings.Hosts, now, settings.ServingLifetime) is not { } why)
                {
                    return set;
                }

                var renewed = ServingCertificates.Renew(set, settings.Hosts, now, settings.ServingLifetime);
                await PatchAsync(key, secret, new() { ["tls.crt"] = renewed.ServingCertificate, ["tls.key"] = renewed.ServingKey }, cancellationToken);
                Renewals++;
                logger.LogInformation("Renewed the webhook serving certificate in Secret {Namespace}/{Secret}: {Reason}", ns, settings.SecretName, why);
                return renewed;
            }
            catch (KubeApiException e) when ((e.IsConflict || e.StatusCode == System.Net.HttpStatusCode.Conflict) && attempt < 5)
            {
                // Another replica created or renewed it first: read theirs.
            }
        }
    }

    /// <summary>Writes the given keys of the Secret, only if it is still the version read (a conflict means another replica wrote first).</summary>
    private async Task PatchAsync(ObjectKey key, V1Secret read, Dictionary<string, string> data, CancellationToken cancellationToken)
    {
        var values = new JsonObject();
        foreach (var (name, pem) in data)
        {
            values[name] = Convert.ToBase64String(Encoding.UTF8.GetBytes(pem));
        }

        var patch = new JsonObject { ["metadata"] = new JsonObject { ["resourceVersion"] = read.Metadata.ResourceVersion }, ["data"] = values };
        await api.PatchAsync<V1Secret>(OperatorResources.Secrets, key, patch.ToJsonString(), "application/merge-patch+json", null, null, cancellationToken);
    }

    private async Task EnsureCaBundleAsync(string caPem, CancellationToken cancellationToken)
    {
        JsonElement configuration;
        try
        {
            configuration = await api.GetAsync<JsonElement>(WebhookConfigurations, new ObjectKey(null, settings.ConfigurationName), cancellationToken);
        }
        catch (KubeApiException e) when (e.IsNotFound)
        {
            logger.LogWarning("ValidatingWebhookConfiguration {Name} does not exist yet; its CA bundle is set once it does", settings.ConfigurationName);
            return;
        }

        var bundle = Convert.ToBase64String(Encoding.UTF8.GetBytes(caPem));
        var operations = new JsonArray
        {
            new JsonObject { ["op"] = "test", ["path"] = "/metadata/resourceVersion", ["value"] = configuration.GetProperty("metadata").GetProperty("resourceVersion").GetString() },
        };
        var index = 0;
        foreach (var webhook in configuration.TryGetProperty("webhooks", out var webhooks) ? webhooks.EnumerateArray() : default)
        {
            var present = webhook.TryGetProperty("clientConfig", out var client) && client.TryGetProperty("caBundle", out var ca) ? ca.GetString() : null;
            if (present != bundle)
            {
                operations.Add(new JsonObject { ["op"] = "add", ["path"] = $"/webhooks/{index}/clientConfig/caBundle", ["value"] = bundle });
            }

            index++;
        }

        if (operations.Count > 1)
        {
            await api.PatchAsync<JsonElement>(WebhookConfigurations, new ObjectKey(null, settings.ConfigurationName), operations.ToJsonString(), "application/json-patch+json", null, null, cancellationToken);
            logger.LogInformation("Set the CA bundle of ValidatingWebhookConfiguration {Name}", settings.ConfigurationName);
        }
    }

    private V1Secret SecretOf(CertificateSet set) => new()
    {
        ApiVersion = "v1",
        Kind = "Secret",
        Metadata = new V1ObjectMeta
        {
            Name = settings.SecretName,
            NamespaceProperty = ns,
            Labels = new Dictionary<string, string> { ["app.kubernetes.io/name"] = "aibaseline", ["app.kubernetes.io/component"] = "webhook" },
        },
        Type = "kubernetes.io/tls",
        Data = new Dictionary<string, byte[]>
        {
            ["ca.crt"] = Encoding.UTF8.GetBytes(set.CaCertificate),
            ["ca.key"] = Encoding.UTF8.GetBytes(set.CaKey),
            ["tls.crt"] = Encoding.UTF8.GetBytes(set.ServingCertificate),
            ["tls.key"] = Encoding.UTF8.GetBytes(set.ServingKey),
        },
    };

    private CertificateSet Read(V1Secret secret)
    {
        string Field(string name) => secret.Data?.TryGetValue(name, out var value) == true
            ? Encoding.UTF8.GetString(value)
            : throw new CryptographicException($"Secret {ns}/{settings.SecretName} has no {name}: delete it and the operator creates a new one");

        return new CertificateSet(Field("ca.crt"), Field("ca.key"), Field("tls.crt"), Field("tls.key"));
    }
}
