using System.Collections.Concurrent;

namespace AiBaseline.Operator.Tests.Scenarios;

/// <summary>One call an operator made to the API server, as its own client saw it.</summary>
internal sealed record ApiCall(string Verb, string Resource, string? Namespace, string? Name, string? Subresource)
{
    /// <summary>Reads the verb and resource from an API path, the way the server's request info does.</summary>
    public static ApiCall Of(HttpMethod method, Uri uri)
    {
        // /api/v1/namespaces/ns/secrets/name, /apis/group/version/namespaces/ns/plural/name/status, /apis/group/version/plural
        var segments = uri.AbsolutePath.Trim('/').Split('/');
        var rest = segments.Length > 0 && segments[0] == "api" ? segments[2..] : segments.Length > 2 ? segments[3..] : [];
        var group = segments.Length > 1 && segments[0] == "apis" ? segments[1] : "";
        string? ns = null;
        if (rest.Length >= 2 && rest[0] == "namespaces" && rest.Length > 2)
        {
            ns = rest[1];
            rest = rest[2..];
        }

        var plural = rest.Length > 0 ? rest[0] : "";
        var resource = group.Length == 0 ? plural : $"{plural}.{group}";
        var name = rest.Length > 1 ? rest[1] : null;
        var subresource = rest.Length > 2 ? rest[2] : null;
        var watch = uri.Query.Contains("watch=true", StringComparison.Ordinal);
        var verb = method.Method switch
        {
            "GET" when watch => "watch",
            "GET" => name is null ? "list" : "get",
            "POST" => "create",
            "PUT" => "update",
            "PATCH" => "patch",
            "DELETE" => "delete",
            _ => method.Method.ToLowerInvariant(),
        };
        return new ApiCall(verb, resource, ns, name, subresource);
    }

    /// <summary>Whether the call changes something on the server.</summary>
    public bool Writes => Verb is "create" or "update" or "patch" or "delete";
}

/// <summary>
/// Records every request an operator's client sends. Counting on the client side works the same against the
/// emulator and a real cluster, where the server's own audit log is out of reach.
/// </summary>
internal sealed class ApiCallLog : DelegatingHandler
{
    private readonly ConcurrentQueue<ApiCall> calls = new();

    public IReadOnlyList<ApiCall> Calls => [.. calls];

    public int Count(Func<ApiCall, bool> predicate) => calls.Count(predicate);

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        calls.Enqueue(ApiCall.Of(request.Method, request.RequestUri!));
        return base.SendAsync(request, cancellationToken);
    }
}
