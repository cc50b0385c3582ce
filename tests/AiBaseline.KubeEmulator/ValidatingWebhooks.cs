using System.Collections.Concurrent;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AiBaseline.KubeEmulator;

/// <summary>One write as validating admission sees it: the object about to be stored and the one it replaces.</summary>
internal sealed record AdmissionAttempt(ResourceType Type, string Subresource, string Operation, string Namespace, string Name, JsonObject? Object, JsonObject? OldObject, bool DryRun);

/// <summary>What the webhooks said about an admitted write: the warnings to send back.</summary>
internal sealed record AdmissionOutcome(IReadOnlyList<string> Warnings);

/// <summary>
/// Calls the webhooks of the stored <c>ValidatingWebhookConfiguration</c>s as the API server does: the rules,
/// namespaceSelector, objectSelector and scope pick them; an AdmissionReview v1 goes to <c>clientConfig.url</c> over
/// HTTPS trusting only <c>caBundle</c>, within <c>timeoutSeconds</c>; a denial or, under <c>failurePolicy: Fail</c>, a failed
/// call refuses the write with the server's message. <c>matchConditions</c> are not evaluated: the webhook is called as
/// if they were all true, so a webhook is called at least whenever the real server would call it.
/// </summary>
internal sealed class ValidatingWebhooks(ObjectStore store)
{
    public const string Group = "admissionregistration.k8s.io";
    public const string Plural = "validatingwebhookconfigurations";

    private readonly ConcurrentDictionary<string, HttpClient> clients = new(StringComparer.Ordinal);

    /// <summary>Runs every webhook that matches; throws the API server's error when one refuses.</summary>
    public async Task<AdmissionOutcome> AdmitAsync(AdmissionAttempt attempt, IReadOnlyList<JsonObject> configurations, CancellationToken cancellationToken)
    {
        var warnings = new List<string>();
        foreach (var configuration in configurations)
        {
            foreach (var webhook in (configuration["webhooks"] as JsonArray ?? []).OfType<JsonObject>())
            {
                if (!Matches(webhook, attempt))
                {
                    continue;
                }

                warnings.AddRange(await CallAsync(webhook, attempt, cancellationToken));
            }
        }

        return new AdmissionOutcome(warnings);
    }

    private bool Matches(JsonObject webhook, AdmissionAttempt attempt)
    {
        var rules = (webhook["rules"] as JsonArray ?? []).OfType<JsonObject>();
        if (!rules.Any(rule => RuleMatches(rule, attempt)))
        {
            return false;
        }

        if (!ObjectSelectorMatches(webhook["objectSelector"] as JsonObject, attempt))
        {
            return false;
        }

        var namespaceSelector = webhook["namespaceSelector"] as JsonObject;
        if (IsEmpty(namespaceSelector))
        {
            return true;
        }

        // Cluster-scoped objects other than namespaces are never filtered by namespaceSelector; a namespace by its own labels.
        if (attempt.Type.Kind == "Namespace")
        {
            return LabelSelectorMatches(namespaceSelector!, Labels(attempt.Object ?? attempt.OldObject));
        }

        if (!attempt.Type.Namespaced)
        {
            return true;
        }

        var namespaces = new ResourceType("", "v1", "namespaces", "Namespace", Namespaced: false);
        var ns = store.TryGet(namespaces, "", attempt.Namespace);
        return LabelSelectorMatches(namespaceSelector!, ns?.Labels ?? new Dictionary<string, string>());
    }

    private static bool RuleMatches(JsonObject rule, AdmissionAttempt attempt)
    {
        var resource = attempt.Subresource.Length == 0 ? attempt.Type.Plural : $"{attempt.Type.Plural}/{attempt.Subresource}";
        var scope = rule["scope"]?.GetValue<string>() ?? "*";
        return Listed(rule["operations"], attempt.Operation)
            && Listed(rule["apiGroups"], attempt.Type.Group)
            && Listed(rule["apiVersions"], attempt.Type.Version)
            && Strings(rule["resources"]).Any(r => ResourceMatches(r, attempt.Type.Plural, attempt.Subresource, resource))
            && (scope == "*" || (scope == "Namespaced") == attempt.Type.Namespaced);
    }

    private static bool ResourceMatches(string pattern, string plural, string subresource, string resource) => pattern switch
    {
        "*/*" => true,
        "*" => subresource.Length == 0,
        _ when pattern.StartsWith("*/", StringComparison.Ordinal) => subresource == pattern[2..],
        _ when pattern.EndsWith("/*", StringComparison.Ordinal) => subresource.Length > 0 && plural == pattern[..^2],
        _ => pattern == resource,
    };

    private static bool Listed(JsonNode? list, string value) => Strings(list).Any(s => s == "*" || s == value);

    private static IEnumerable<string> Strings(JsonNode? list) => (list as JsonArray ?? []).Select(n => n?.GetValue<string>()).OfType<string>();

    private static bool ObjectSelectorMatches(JsonObject? selector, AdmissionAttempt attempt)
    {
        if (IsEmpty(selector))
        {
            return true;
        }

        // The server matches either the new or the old object's labels.
        return (attempt.Object is not null && LabelSelectorMatches(selector!, Labels(attempt.Object)))
            || (attempt.OldObject is not null && LabelSelectorMatches(selector!, Labels(attempt.OldObject)));
    }

    private static bool IsEmpty(JsonObject? selector) =>
        selector is null || ((selector["matchLabels"] as JsonObject)?.Count ?? 0) == 0 && ((selector["matchExpressions"] as JsonArray)?.Count ?? 0) == 0;

    private static Dictionary<string, string> Labels(JsonObject? obj) =>
        (obj?["metadata"]?["labels"] as JsonObject ?? []).Where(l => l.Value is not null).ToDictionary(l => l.Key, l => l.Value!.ToString(), StringComparer.Ordinal);

    private static bool LabelSelectorMatches(JsonObject selector, IReadOnlyDictionary<string, string> labels)
    {
        foreach (var (key, value) in selector["matchLabels"] as JsonObject ?? [])
        {
            if (!labels.TryGetValue(key, out var actual) || actual != value?.ToString())
            {
                return false;
            }
        }

        foreach (var expression in (selector["matchExpressions"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var key = expression["key"]?.GetValue<string>() ?? "";
            var values = Strings(expression["values"]).ToHashSet(StringComparer.Ordinal);
            var present = labels.TryGetValue(key, out var actual);
            var holds = expression["operator"]?.GetValue<string>() switch
            {
                "In" => present && values.Contains(actual!),
                "NotIn" => !present || !values.Contains(actual!),
                "Exists" => present,
                "DoesNotExist" => !present,
                var other => throw ApiError.BadRequest($"a webhook's label selector has an unknown operator \"{other}\""),
            };
            if (!holds)
            {
                return false;
            }
        }

        return true;
    }

    private async Task<IReadOnlyList<string>> CallAsync(JsonObject webhook, AdmissionAttempt attempt, CancellationToken cancellationToken)
    {
        var name = webhook["name"]?.GetValue<string>() ?? "";
        var failurePolicy = webhook["failurePolicy"]?.GetValue<string>() ?? "Fail";
        var timeout = webhook["timeoutSeconds"]?.GetValue<int>() ?? 10;
        var clientConfig = webhook["clientConfig"] as JsonObject;
        var url = clientConfig?["url"]?.GetValue<string>();
        if (url is null)
        {
            // A Service reference needs cluster DNS and a proxy the emulator does not have; say so instead of pretending.
            throw new ApiError(500, "InternalError", $"Internal error occurred: failed calling webhook \"{name}\": the API emulator calls webhooks by clientConfig.url only; clientConfig.service is not supported");
        }

        var uid = Guid.NewGuid().ToString();
        var target = $"{url}{(url.Contains('?', StringComparison.Ordinal) ? '&' : '?')}timeout={timeout}s";
        JsonObject? response;
        using (var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            deadline.CancelAfter(TimeSpan.FromSeconds(timeout));
            try
            {
                using var content = new StringContent(Review(uid, attempt).ToJsonString(), Encoding.UTF8, "application/json");
                using var answer = await Client(clientConfig!["caBundle"]?.GetValue<string>() ?? "").PostAsync(target, content, deadline.Token);
                if (!answer.IsSuccessStatusCode)
                {
                    throw new WebhookCallException($"received invalid webhook response: expected status 200, got {(int)answer.StatusCode}");
                }

                response = (JsonNode.Parse(await answer.Content.ReadAsStringAsync(deadline.Token)) as JsonObject)?["response"] as JsonObject
                    ?? throw new WebhookCallException("received invalid webhook response: the AdmissionReview has no response");
                if (response["uid"]?.GetValue<string>() != uid)
                {
                    throw new WebhookCallException($"received invalid webhook response: expected response.uid=\"{uid}\", got \"{response["uid"]}\"");
                }
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is HttpRequestException or OperationCanceledException or JsonException or WebhookCallException or InvalidOperationException)
            {
                var why = e switch
                {
                    WebhookCallException => e.Message,
                    OperationCanceledException => $"failed to call webhook: Post \"{target}\": context deadline exceeded",
                    _ => $"failed to call webhook: Post \"{target}\": {Describe(e, new Uri(target))}",
                };
                if (failurePolicy == "Ignore")
                {
                    return [];
                }

                throw new ApiError(500, "InternalError", $"Internal error occurred: failed calling webhook \"{name}\": {why}");
            }
        }

        var warnings = Strings(response["warnings"]).ToList();
        if (response["allowed"]?.GetValue<bool>() == true)
        {
            return warnings;
        }

        throw new WebhookDenial(Denial(name, response["status"] as JsonObject), warnings);
    }

    /// <summary>The API server's error for a denial: the webhook's status, code at least 400, message prefixed with the webhook's name.</summary>
    private static ApiError Denial(string name, JsonObject? status)
    {
        var code = status?["code"]?.GetValue<int>() ?? 0;
        var reason = status?["reason"]?.GetValue<string>() ?? "";
        var message = status?["message"]?.GetValue<string>() ?? "";
        var deniedBy = $"admission webhook \"{name}\" denied the request";
        var text = message.Length > 0 ? $"{deniedBy}: {message}" : reason.Length > 0 ? $"{deniedBy}: {reason}" : $"{deniedBy} without explanation";
        return new ApiError(code < 400 ? 400 : code, reason, text, status?["details"]?.DeepClone() as JsonObject);
    }

    /// <summary>The transport's failure in the words Go's client uses for the common cases, else .NET's own.</summary>
    private static string Describe(Exception e, Uri target) => e switch
    {
        HttpRequestException { InnerException: System.Net.Sockets.SocketException { SocketErrorCode: System.Net.Sockets.SocketError.ConnectionRefused } } =>
            $"dial tcp {target.Host}:{target.Port}: connect: connection refused",
        HttpRequestException { InnerException: System.Security.Authentication.AuthenticationException } =>
            "tls: failed to verify certificate: x509: certificate signed by unknown authority",
        HttpRequestException { InnerException: { } inner } => $"{e.Message} ({inner.Message})",
        _ => e.Message,
    };

    private static JsonObject Review(string uid, AdmissionAttempt attempt)
    {
        var type = attempt.Type;
        var options = attempt.Operation switch
        {
            "CREATE" => "CreateOptions",
            "UPDATE" => "UpdateOptions",
            _ => "DeleteOptions",
        };
        var kind = new JsonObject { ["group"] = type.Group, ["version"] = type.Version, ["kind"] = type.Kind };
        var resource = new JsonObject { ["group"] = type.Group, ["version"] = type.Version, ["resource"] = type.Plural };
        var request = new JsonObject
        {
            ["uid"] = uid,
            ["kind"] = kind,
            ["resource"] = resource,
            ["requestKind"] = kind.DeepClone(),
            ["requestResource"] = resource.DeepClone(),
            ["name"] = attempt.Name,
            ["operation"] = attempt.Operation,
            ["userInfo"] = new JsonObject { ["username"] = "system:emulator", ["groups"] = new JsonArray("system:authenticated") },
            ["object"] = attempt.Object?.DeepClone(),
            ["oldObject"] = attempt.OldObject?.DeepClone(),
            ["dryRun"] = attempt.DryRun,
            ["options"] = new JsonObject { ["kind"] = options, ["apiVersion"] = "meta.k8s.io/v1" },
        };
        if (attempt.Subresource.Length > 0)
        {
            request["subResource"] = attempt.Subresource;
        }

        if (type.Namespaced)
        {
            request["namespace"] = attempt.Namespace;
        }

        return new JsonObject { ["apiVersion"] = "admission.k8s.io/v1", ["kind"] = "AdmissionReview", ["request"] = request };
    }

    /// <summary>One client per CA bundle, kept so calls reuse connections; an empty bundle trusts the system's roots.</summary>
    private HttpClient Client(string caBundle) => clients.GetOrAdd(caBundle, bundle =>
    {
        var handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(1) };
        if (bundle.Length > 0)
        {
            var roots = new X509Certificate2Collection();
            roots.ImportFromPem(Encoding.UTF8.GetString(Convert.FromBase64String(bundle)));
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
            {
                if (certificate is null || (errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
                {
                    return false;
                }

                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.AddRange(roots);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                using var served = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
                return chain.Build(served);
            };
        }

        return new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    });

    /// <summary>The webhook answered, but not as an AdmissionReview response the server accepts.</summary>
    private sealed class WebhookCallException(string message) : Exception(message);
}

/// <summary>A webhook refused the write: the error to answer and the warnings it sent along.</summary>
internal sealed class WebhookDenial(ApiError error, IReadOnlyList<string> warnings) : Exception(error.Message)
{
    public ApiError Error { get; } = error;

    public IReadOnlyList<string> Warnings { get; } = warnings;
}
