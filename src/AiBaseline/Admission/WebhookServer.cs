using System.Buffers;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace AiBaseline.Admission;

/// <summary>
/// The HTTPS endpoint the API server calls: POST /validate, TLS 1.2 or 1.3 with the certificate
/// <see cref="WebhookCertificateManager"/> keeps (read at each handshake, so a renewal applies to the next connection).
/// Every replica serves it; no leadership is needed.
/// </summary>
internal static class WebhookServer
{
    /// <summary>The path the ValidatingWebhookConfiguration names.</summary>
    public const string Path = "/validate";

    /// <summary>The largest review accepted: an object and its old copy, each at most the API server's 1.5 MiB.</summary>
    private const int MaxBody = 8 * 1024 * 1024;

    /// <summary>Starts the endpoint on <paramref name="url"/>; the caller stops it by disposing the result.</summary>
    /// <param name="url">Where to listen (http://host:port; served as HTTPS).</param>
    /// <param name="certificate">The certificate to present, asked at each handshake (<see cref="WebhookCertificateManager.Current"/>).</param>
    /// <param name="handler">Answers each review.</param>
    /// <param name="ready">Whether the caches have synced; before that the answer is 503, so the failure policy decides.</param>
    /// <param name="logging">Logging for Kestrel.</param>
    /// <param name="cancellationToken">Stops the start.</param>
    public static async Task<WebApplication> StartAsync(
        Uri url, Func<X509Certificate2?> certificate, AdmissionHandler handler, Func<bool> ready, Action<ILoggingBuilder>? logging, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        logging?.Invoke(builder.Logging);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = MaxBody;
            kestrel.AddServerHeader = false;
            var address = url.Host is "0.0.0.0" or "*" or "" ? System.Net.IPAddress.Any : System.Net.IPAddress.Parse(url.Host);
            kestrel.Listen(address, url.Port, listen =>
            {
                listen.Protocols = HttpProtocols.Http1AndHttp2;
                listen.UseHttps(https =>
                {
                    https.SslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13;
                    https.ServerCertificateSelector = (_, _) => certificate();
                });
            });
        });
        var app = builder.Build();
        app.MapPost(Path, async context =>
        {
            if (!ready())
            {
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                await context.Response.WriteAsync("the operator's caches have not synced yet\n", context.RequestAborted);
                return;
            }

            var body = await ReadAsync(context.Request, context.RequestAborted);
            var answer = await handler.HandleAsync(body, context.RequestAborted);
            context.Response.StatusCode = answer.StatusCode;
            context.Response.ContentType = answer.ContentType;
            await context.Response.Body.WriteAsync(answer.Body, context.RequestAborted);
        });
        await app.StartAsync(cancellationToken);
        return app;
    }

    private static async Task<ReadOnlyMemory<byte>> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>(request.ContentLength is > 0 and < MaxBody ? (int)request.ContentLength.Value : 16 * 1024);
        while (true)
        {
            var read = await request.Body.ReadAsync(buffer.GetMemory(16 * 1024), cancellationToken);
            if (read == 0)
            {
                return buffer.WrittenMemory;
            }

            buffer.Advance(read);
        }
    }
}
