using System.Net;
using k8s.Models;

namespace AiBaseline.Controller.Api;

/// <summary>The API server answered with an error status.</summary>
public sealed class KubeApiException : Exception
{
    public KubeApiException()
    {
    }

    public KubeApiException(string message)
        : base(message)
    {
    }

    public KubeApiException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public KubeApiException(HttpStatusCode statusCode, string message, V1Status? status = null)
        : base(message)
    {
        StatusCode = statusCode;
        Status = status;
    }

    /// <summary>The HTTP status code the server returned.</summary>
    public HttpStatusCode StatusCode { get; }

    /// <summary>The <c>Status</c> object the server returned, when it sent one.</summary>
    public V1Status? Status { get; }

    /// <summary>409: the object changed since it was read (or already exists on create).</summary>
    public bool IsConflict => StatusCode == HttpStatusCode.Conflict;

    /// <summary>404: the object or collection does not exist.</summary>
    public bool IsNotFound => StatusCode == HttpStatusCode.NotFound;

    /// <summary>403: RBAC does not let this client do it.</summary>
    public bool IsForbidden => StatusCode == HttpStatusCode.Forbidden;

    /// <summary>410: the requested resourceVersion is too old; a watch must start again from a fresh list.</summary>
    public bool IsGone => StatusCode == HttpStatusCode.Gone;

    /// <summary>Whether the same call may well succeed if tried again: throttling or a server-side failure.</summary>
    public bool IsTransient => StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.InternalServerError
        or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;
}
