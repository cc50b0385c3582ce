using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace AiBaseline.Provenance.Oci;

/// <summary>A manifest or blob whose bytes were checked against their digest.</summary>
/// <param name="Bytes">The exact bytes the registry served.</param>
/// <param name="MediaType">The media type the registry declared (Content-Type without parameters).</param>
/// <param name="Digest">The digest the bytes hash to.</param>
public sealed record OciContent(byte[] Bytes, string MediaType, string Digest);

/// <summary>
/// Reads manifests and blobs over the OCI distribution API: anonymous, Basic or Bearer-token auth through the
/// WWW-Authenticate challenge, retries with jitter on 429, 5xx and connection failures only, and every byte
/// checked against its digest. Thread-safe; share one instance.
/// </summary>
public sealed class RegistryClient : IDisposable
{
    private readonly HttpClient http;
    private readonly RegistryClientOptions options;
    private readonly TimeProvider time;
    private readonly ConcurrentDictionary<string, AuthenticationHeaderValue> authByScope = new(StringComparer.Ordinal);
    private long requestCount;

    /// <summary>Creates a client; <paramref name="handler"/> replaces the default socket handler (tests count requests with it).</summary>
    public RegistryClient(RegistryClientOptions options, TimeProvider time, HttpMessageHandler? handler = null)
    {
        this.options = options;
        this.time = time;
        http = new HttpClient(handler ?? RegistryHttpHandler.Create(options), disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>HTTP requests sent so far, token requests included.</summary>
    public long RequestCount => Interlocked.Read(ref requestCount);

    /// <summary>Fetches a manifest by tag or digest; null when the registry says it does not exist (404).</summary>
    public async Task<OciContent?> GetManifestAsync(ImageReference image, string reference, RegistryCredentials? credentials, CancellationToken ct)
    {
        var response = await SendAsync(image, $"manifests/{reference}", OciMediaTypes.ManifestAccept, credentials, ct).ConfigureAwait(false);
        if (response.Status == HttpStatusCode.NotFound)
        {
            return null;
        }

        var digest = Digests.IsValid(reference) ? reference : Digests.Sha256(response.Body);
        if (!Digests.Matches(digest, response.Body))
        {
            throw new RegistryException(RegistryFailure.DigestMismatch,
                $"registry {image.Registry} served manifest {image.Repository}@{reference} whose bytes hash to {Digests.Sha256(response.Body)}");
        }

        return new OciContent(response.Body, response.ContentType ?? ReadMediaType(response.Body), digest);
    }

    /// <summary>
    /// The OCI 1.1 referrers API's index of manifests whose subject is <paramref name="digest"/>; null when the registry
    /// has no referrers API (404, or another 4xx from older registries), so the caller falls back to the referrers tag.
    /// </summary>
    public async Task<OciContent?> GetReferrersAsync(ImageReference image, string digest, RegistryCredentials? credentials, CancellationToken ct)
    {
        if (!Digests.IsValid(digest))
        {
            throw new RegistryException(RegistryFailure.Malformed, $"registry {image.Registry}: \"{digest}\" is not a valid digest");
        }

        var response = await SendAsync(image, $"referrers/{digest}", [OciMediaTypes.OciIndex], credentials, ct, clientErrorIsMissing: true).ConfigureAwait(false);
        return response.Status == HttpStatusCode.NotFound ? null : new OciContent(response.Body, response.ContentType ?? OciMediaTypes.OciIndex, Digests.Sha256(response.Body));
    }

    /// <summary>Fetches a blob and checks its bytes against <paramref name="digest"/>; null on 404.</summary>
    public async Task<OciContent?> GetBlobAsync(ImageReference image, string digest, RegistryCredentials? credentials, CancellationToken ct)
    {
        if (!Digests.IsValid(digest))
        {
            throw new RegistryException(RegistryFailure.Malformed, $"registry {image.Registry}: {image.Repository} names blob digest \"{digest}\", which is not a valid digest");
        }

        var response = await SendAsync(image, $"blobs/{digest}", [], credentials, ct).ConfigureAwait(false);
        if (response.Status == HttpStatusCode.NotFound)
        {
            return null;
        }

        if (!Digests.Matches(digest, response.Body))
        {
            throw new RegistryException(RegistryFailure.DigestMismatch,
                $"registry {image.Registry} served blob {image.Repository}@{digest} whose bytes hash to {Digests.Sha256(response.Body)}");
        }

        return new OciContent(response.Body, response.ContentType ?? "application/octet-stream", digest);
    }

    /// <inheritdoc />
    public void Dispose() => http.Dispose();

    // clientErrorIsMissing: any other 4xx answer means "not there" (an endpoint the registry does not implement).
    private async Task<RawResponse> SendAsync(ImageReference image, string path, IReadOnlyList<string> accept, RegistryCredentials? credentials, CancellationToken ct, bool clientErrorIsMissing = false)
    {
        var uri = new Uri($"{Scheme(image.ApiHost)}://{image.ApiHost}/v2/{image.Repository}/{path}");
        var scopeKey = $"{image.ApiHost}/{image.Repository}";
        var answeredChallenge = false;
        string lastProblem = "no answer";
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                timeout.CancelAfter(options.RequestTimeout);
                using var request = new HttpRequestMessage(HttpMethod.Get, uri);
                foreach (var type in accept)
                {
                    request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(type));
                }

                if (authByScope.TryGetValue(scopeKey, out var auth))
                {
                    request.Headers.Authorization = auth;
                }

                Interlocked.Increment(ref requestCount);
                using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
                if (response.StatusCode == HttpStatusCode.Unauthorized && !answeredChallenge)
                {
                    answeredChallenge = true;
                    authByScope[scopeKey] = await AnswerChallengeAsync(image, response, credentials, timeout.Token).ConfigureAwait(false);
                    attempt--;
                    continue;
                }

                if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
                {
                    throw new RegistryException(RegistryFailure.Unauthorized,
                        $"registry {image.Registry} refused access to {image.Repository} ({(int)response.StatusCode}){(credentials?.Find(image.Registry) is null ? " and no credentials are configured for it" : " with the configured credentials")}");
                }

                if (response.StatusCode == HttpStatusCode.TooManyRequests || (int)response.StatusCode >= 500)
                {
                    lastProblem = $"HTTP {(int)response.StatusCode}";
                    if (attempt >= options.MaxRetries)
                    {
                        break;
                    }

                    await Task.Delay(RetryDelay(attempt, response.Headers.RetryAfter), time, ct).ConfigureAwait(false);
                    continue;
                }

                if (response.StatusCode == HttpStatusCode.NotFound || (clientErrorIsMissing && (int)response.StatusCode is >= 400 and < 500))
                {
                    return new RawResponse(HttpStatusCode.NotFound, [], null);
                }

                if (!response.IsSuccessStatusCode)
                {
                    throw new RegistryException(RegistryFailure.Unavailable, $"registry {image.Registry} answered {(int)response.StatusCode} for {image.Repository}/{path}");
                }

                var body = await ReadBodyAsync(image, response, timeout.Token).ConfigureAwait(false);
                return new RawResponse(response.StatusCode, body, response.Content.Headers.ContentType?.MediaType);
            }
            catch (HttpRequestException e)
            {
                lastProblem = e.HttpRequestError == HttpRequestError.Unknown ? "request failed" : e.HttpRequestError.ToString();
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                lastProblem = $"no answer within {options.RequestTimeout.TotalSeconds:0.###} s";
            }

            if (attempt >= options.MaxRetries)
            {
                break;
            }

            await Task.Delay(RetryDelay(attempt, null), time, ct).ConfigureAwait(false);
        }

        throw new RegistryException(RegistryFailure.Unavailable,
            $"registry {image.Registry} unavailable: {lastProblem} after {options.MaxRetries + 1} attempts");
    }

    private async Task<AuthenticationHeaderValue> AnswerChallengeAsync(ImageReference image, HttpResponseMessage response, RegistryCredentials? credentials, CancellationToken ct)
    {
        var challenge = AuthChallenge.From(response.Headers.WwwAuthenticate);
        var login = credentials?.Find(image.Registry);
        if (challenge is null || (challenge.Scheme == "Basic" && login is null))
        {
            throw new RegistryException(RegistryFailure.Unauthorized,
                $"registry {image.Registry} requires authentication for {image.Repository} and no credentials are configured for it");
        }

        if (challenge.Scheme == "Basic")
        {
            return Basic(login!);
        }

        if (challenge.Realm is not { } realm || !Uri.TryCreate(realm, UriKind.Absolute, out var realmUri))
        {
            throw new RegistryException(RegistryFailure.Malformed, $"registry {image.Registry} sent a Bearer challenge without a usable realm");
        }

        var query = new StringBuilder();
        if (challenge.Parameters.TryGetValue("service", out var service))
        {
            query.Append("service=").Append(Uri.EscapeDataString(service)).Append('&');
        }

        query.Append("scope=").Append(Uri.EscapeDataString($"repository:{image.Repository}:pull"));
        var tokenUri = new UriBuilder(realmUri) { Query = string.IsNullOrEmpty(realmUri.Query) ? query.ToString() : realmUri.Query.TrimStart('?') + "&" + query };
        using var request = new HttpRequestMessage(HttpMethod.Get, tokenUri.Uri);
        if (login is not null)
        {
            request.Headers.Authorization = Basic(login);
        }

        Interlocked.Increment(ref requestCount);
        using var tokenResponse = await http.SendAsync(request, ct).ConfigureAwait(false);
        if (!tokenResponse.IsSuccessStatusCode)
        {
            var failure = (int)tokenResponse.StatusCode >= 500 ? RegistryFailure.Unavailable : RegistryFailure.Unauthorized;
            throw new RegistryException(failure, $"registry {image.Registry}: token service {realmUri.Host} answered {(int)tokenResponse.StatusCode} for {image.Repository}");
        }

        using var json = JsonDocument.Parse(await tokenResponse.Content.ReadAsByteArrayAsync(ct).ConfigureAwait(false));
        var token = (json.RootElement.TryGetProperty("token", out var t) ? t.GetString() : null)
            ?? (json.RootElement.TryGetProperty("access_token", out var a) ? a.GetString() : null);
        return token is { Length: > 0 }
            ? new AuthenticationHeaderValue("Bearer", token)
            : throw new RegistryException(RegistryFailure.Malformed, $"registry {image.Registry}: token service {realmUri.Host} returned no token");
    }

    private async Task<byte[]> ReadBodyAsync(ImageReference image, HttpResponseMessage response, CancellationToken ct)
    {
        if (response.Content.Headers.ContentLength > options.MaxContentBytes)
        {
            throw new RegistryException(RegistryFailure.Malformed, $"registry {image.Registry}: {image.Repository} content is larger than {options.MaxContentBytes} bytes");
        }

        using var buffer = new MemoryStream();
        await using var stream = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk, ct).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > options.MaxContentBytes)
            {
                throw new RegistryException(RegistryFailure.Malformed, $"registry {image.Registry}: {image.Repository} content is larger than {options.MaxContentBytes} bytes");
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private TimeSpan RetryDelay(int attempt, RetryConditionHeaderValue? retryAfter)
    {
        var asked = retryAfter?.Delta;
        var backoff = options.RetryBaseDelay * Math.Pow(2, attempt) * (0.5 + Random.Shared.NextDouble());
        var delay = asked is { } a && a > backoff ? a : backoff;
        return delay > options.MaxRetryDelay ? options.MaxRetryDelay : delay;
    }

    private string Scheme(string host) => options.PlainHttpRegistries.Contains(host) ? "http" : "https";

    private static AuthenticationHeaderValue Basic(RegistryLogin login) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{login.Username}:{login.Password}")));

    private static string ReadMediaType(byte[] manifest)
    {
        try
        {
            using var json = JsonDocument.Parse(manifest);
            return json.RootElement.TryGetProperty("mediaType", out var m) && m.GetString() is { } type ? type : OciMediaTypes.OciManifest;
        }
        catch (JsonException)
        {
            return "application/octet-stream";
        }
    }

    private sealed record RawResponse(HttpStatusCode Status, byte[] Body, string? ContentType);
}
