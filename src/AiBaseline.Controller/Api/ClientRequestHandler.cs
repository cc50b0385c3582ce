using AiBaseline.Controller.Hosting;

namespace AiBaseline.Controller.Api;

/// <summary>
/// The Kubernetes client's own step in its HTTP pipeline, as client-go's REST client does it: every request except a
/// watch waits for <see cref="ClientRateLimiter"/>, and every request, watches included, is counted by status code
/// and timed until the server's response headers (for a watch, until the server accepted it) in
/// <c>rest_client_requests_total</c> and <c>rest_client_request_duration_seconds</c>. Every request names the
/// program in its User-Agent, which the API server records in its audit log and, before the first <c>/</c>, as the
/// field manager of what the request writes (<c>kubectl get --show-managed-fields</c>).
/// </summary>
public sealed class ClientRequestHandler : DelegatingHandler
{
    private readonly ClientRateLimiter? limiter;
    private readonly ControllerMetrics metrics;
    private readonly TimeProvider time;
    private readonly string? userAgent;

    /// <param name="limiter">Throttles non-watch requests; null sends them at once.</param>
    /// <param name="metrics">Where requests are counted.</param>
    /// <param name="time">The clock requests are timed with.</param>
    /// <param name="userAgent">The program and its version, such as <c>aibaseline/0.1.0</c>; null keeps the client's own.</param>
    public ClientRequestHandler(ClientRateLimiter? limiter, ControllerMetrics metrics, TimeProvider? time = null, string? userAgent = null)
    {
        this.limiter = limiter;
        this.metrics = metrics;
        this.time = time ?? TimeProvider.System;
        this.userAgent = userAgent;
    }

    /// <summary>A watch stays open for minutes; client-go neither throttles it nor would a token bucket make sense for it.</summary>
    public static bool IsWatch(Uri? uri) =>
        uri is not null && uri.Query.TrimStart('?').Split('&').Any(p => p is "watch=true" or "watch=1");

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var method = request.Method.Method;
        var host = request.RequestUri?.Authority ?? "none";
        if (userAgent is not null)
        {
            request.Headers.UserAgent.Clear();
            request.Headers.UserAgent.ParseAdd(userAgent);
        }
        if (limiter is not null && !IsWatch(request.RequestUri))
        {
            var waited = await limiter.WaitAsync(cancellationToken);
            metrics.RateLimited(method, host, waited);
        }

        var started = time.GetTimestamp();
        try
        {
            var response = await base.SendAsync(request, cancellationToken);
            metrics.Requested(((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture), method, host, time.GetElapsedTime(started));
            return response;
        }
        catch
        {
            // Errors are arbitrary strings; client-go counts them all under one code so the label stays bounded.
            metrics.Requested("<error>", method, host, time.GetElapsedTime(started));
            throw;
        }
    }
}
