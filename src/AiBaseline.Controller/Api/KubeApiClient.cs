using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using k8s;
using k8s.Authentication;
using k8s.Models;

namespace AiBaseline.Controller.Api;

/// <summary>
/// Raw requests to the Kubernetes API over the client's own <see cref="HttpClient"/> and credentials. The generated
/// clients cover one type per method; informers and writers need the same calls for any resource, including
/// metadata-only lists and watches, so they go through here.
/// </summary>
public sealed class KubeApiClient
{
    private const string MetadataListAccept = "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json";
    private const string MetadataAccept = "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1,application/json";
    private const int PageSize = 500;

    /// <summary>
    /// How many list pages the process reads and decodes at once. At start every informer lists at the same time; each page is
    /// held whole while its items are decoded (hundreds of KB to a few MB of JSON), and at 10,000 deployments twenty of
    /// them at once set the operator's peak memory. Two keep both cores busy.
    /// </summary>
    private static readonly SemaphoreSlim Pages = new(2);

    private readonly HttpClient http;
    private readonly Uri baseUri;
    private readonly ServiceClientCredentials? credentials;

    /// <summary>Uses the connection, TLS and credentials of <paramref name="kubernetes"/>.</summary>
    public KubeApiClient(Kubernetes kubernetes)
    {
        ArgumentNullException.ThrowIfNull(kubernetes);
        http = kubernetes.HttpClient;
        baseUri = kubernetes.BaseUri;
        credentials = kubernetes.Credentials;
    }

    /// <summary>How long a single non-watch request may take.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Reads one object.</summary>
    public async Task<T> GetAsync<T>(ResourceType type, ObjectKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(type);
        using var response = await SendAsync(HttpMethod.Get, type.ObjectPath(key), null, null, cancellationToken);
        return await ReadBodyAsync<T>(response, cancellationToken);
    }

    /// <summary>
    /// Whether the API server serves <paramref name="type"/> (discovery of its group version): false while the group
    /// version is unknown (404), such as a custom resource whose CRD is not installed.
    /// </summary>
    public async Task<bool> ServesAsync(ResourceType type, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(type);
        try
        {
            using var response = await SendAsync(HttpMethod.Get, type.Group.Length == 0 ? $"/api/{type.Version}" : $"/apis/{type.Group}/{type.Version}", null, null, cancellationToken);
            var list = await ReadBodyAsync<V1APIResourceList>(response, cancellationToken);
            return list.Resources?.Any(r => r.Name == type.Plural) ?? false;
        }
        catch (KubeApiException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    /// <summary>Lists a collection page by page and returns the items with the list's resourceVersion.</summary>
    /// <param name="type">The resource.</param>
    /// <param name="ns">The namespace, or null for all namespaces and cluster-scoped resources.</param>
    /// <param name="metadataOnly">Ask for <c>PartialObjectMetadata</c>.</param>
    /// <param name="cancellationToken">Stops the list.</param>
    /// <param name="filter">What to leave out of each item before it is decoded.</param>
    /// <param name="labelSelector">Only objects with these labels; null lists all.</param>
    public async Task<ListResult<T>> ListAsync<T>(ResourceType type, string? ns, bool metadataOnly, CancellationToken cancellationToken, DecodeFilter? filter = null, string? labelSelector = null)
    {
        ArgumentNullException.ThrowIfNull(type);
        var items = new List<T>();
        string? continueToken = null;
        string resourceVersion;
        do
        {
            var query = $"?limit={PageSize}" + (continueToken is null ? string.Empty : "&continue=" + Uri.EscapeDataString(continueToken))
                + (labelSelector is null ? string.Empty : "&labelSelector=" + Uri.EscapeDataString(labelSelector));
            await Pages.WaitAsync(cancellationToken);
            using var release = new PageRelease(Pages);
            using var response = await SendAsync(
                HttpMethod.Get, type.CollectionPath(ns) + query, null, metadataOnly ? MetadataListAccept : null, cancellationToken);
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            using var document = await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken);
            if (document.RootElement.TryGetProperty("items", out var array) && array.ValueKind == JsonValueKind.Array)
            {
                items.AddRange(array.EnumerateArray().Select(item => filter is null ? KubernetesJson.Deserialize<T>(item) : filter.Decode<T>(item)));
            }

            var metadata = document.RootElement.TryGetProperty("metadata", out var m) ? m : default;
            resourceVersion = ReadString(metadata, "resourceVersion") ?? string.Empty;
            continueToken = ReadString(metadata, "continue");
        }
        while (!string.IsNullOrEmpty(continueToken));

        return new ListResult<T>(items, resourceVersion);
    }

    /// <summary>
    /// Watches a collection from <paramref name="resourceVersion"/> with bookmarks. The sequence ends when the server
    /// closes the stream; <paramref name="onConnected"/> runs once the server has accepted the watch. A 410 at the start is thrown as a <see cref="KubeApiException"/> with <see cref="KubeApiException.IsGone"/>.
    /// </summary>
    public async IAsyncEnumerable<WatchEvent<T>> WatchAsync<T>(
        ResourceType type,
        string? ns,
        string resourceVersion,
        bool metadataOnly,
        TimeSpan serverTimeout,
        Action? onConnected,
        [EnumeratorCancellation] CancellationToken cancellationToken,
        DecodeFilter? filter = null,
        string? labelSelector = null)
    {
        ArgumentNullException.ThrowIfNull(type);
        var query = "?watch=true&allowWatchBookmarks=true&resourceVersion=" + Uri.EscapeDataString(resourceVersion)
            + "&timeoutSeconds=" + (int)Math.Max(1, serverTimeout.TotalSeconds)
            + (labelSelector is null ? string.Empty : "&labelSelector=" + Uri.EscapeDataString(labelSelector));
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(baseUri, type.CollectionPath(ns) + query));
        request.Headers.Accept.ParseAdd(metadataOnly ? MetadataAccept : "application/json");
        if (credentials is not null)
        {
            await credentials.ProcessHttpRequestAsync(request, cancellationToken);
        }

        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
        onConnected?.Invoke();
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length > 0)
            {
                yield return WatchEventParser.Parse<T>(line, filter);
            }
        }
    }

    /// <summary>Patches an object (or its subresource) with the given patch body and content type.</summary>
    public async Task<T> PatchAsync<T>(
        ResourceType type, ObjectKey key, string body, string contentType, string? subresource, string? query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(type);
        using var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        using var response = await SendAsync(HttpMethod.Patch, type.ObjectPath(key, subresource) + (query ?? string.Empty), content, null, cancellationToken);
        return await ReadBodyAsync<T>(response, cancellationToken);
    }

    /// <summary>
    /// Patches as <see cref="PatchAsync{T}"/> does without decoding the answer, for writers that do not read it: a
    /// status write's answer is the whole object with its managed fields.
    /// </summary>
    public async Task PatchDiscardingAsync(
        ResourceType type, ObjectKey key, string body, string contentType, string? subresource, string? query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(type);
        using var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        using var response = await SendAsync(HttpMethod.Patch, type.ObjectPath(key, subresource) + (query ?? string.Empty), content, null, cancellationToken);
    }

    /// <summary>Creates an object in a collection.</summary>
    public async Task<T> CreateAsync<T>(ResourceType type, string? ns, object body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(type);
        using var content = new StringContent(KubernetesJson.Serialize(body), Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await SendAsync(HttpMethod.Post, type.CollectionPath(ns), content, null, cancellationToken);
        return await ReadBodyAsync<T>(response, cancellationToken);
    }

    private async Task<HttpResponseMessage> SendAsync(
        HttpMethod method, string pathAndQuery, HttpContent? content, string? accept, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(RequestTimeout);
        using var request = new HttpRequestMessage(method, new Uri(baseUri, pathAndQuery)) { Content = content };
        request.Headers.Accept.ParseAdd(accept ?? "application/json");
        if (credentials is not null)
        {
            await credentials.ProcessHttpRequestAsync(request, timeout.Token);
        }

        var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token);
        try
        {
            await EnsureSuccessAsync(response, cancellationToken);
            return response;
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    private static async Task<T> ReadBodyAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        return KubernetesJson.Deserialize<T>(body);
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        V1Status? status = null;
        try
        {
            status = text.Length > 0 ? KubernetesJson.Deserialize<V1Status>(text) : null;
        }
        catch (JsonException)
        {
            // Not every error body is a Status (proxies answer with text); the status code still says what happened.
        }

        var method = response.RequestMessage?.Method.Method ?? "?";
        var path = response.RequestMessage?.RequestUri?.AbsolutePath ?? "?";
        var reason = status?.Message ?? (text.Length > 200 ? text[..200] : text);
        throw new KubeApiException(
            response.StatusCode,
            $"{method} {path}: {(int)response.StatusCode} {(HttpStatusCode)response.StatusCode}: {reason}",
            status);
    }

    private static string? ReadString(JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    private readonly struct PageRelease(SemaphoreSlim pages) : IDisposable
    {
        public void Dispose() => pages.Release();
    }
}
