using System.Net;
using System.Net.Sockets;
using Org.BouncyCastle.Tsp;

namespace AiBaseline.Provenance.Tests.Support;

/// <summary>
/// A <see cref="TestTsa"/> served over HTTP on loopback, as cosign's <c>--timestamp-server-url</c> expects: a POST of a
/// DER TimeStampReq (application/timestamp-query) answered with a TimeStampResp made at the current time, or as long
/// before it as the test says (an authority whose clock is behind, to date a signature inside a past certificate's validity).
/// </summary>
internal sealed class TsaServer : IDisposable
{
    private readonly HttpListener listener = new();
    private readonly TestTsa tsa;
    private readonly TimeSpan behind;
    private readonly Task serving;

    public TsaServer(TestTsa tsa, TimeSpan behind = default)
    {
        this.tsa = tsa;
        this.behind = behind;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            Url = $"http://127.0.0.1:{((IPEndPoint)probe.LocalEndpoint).Port}/api/v1/timestamp";
        }

        listener.Prefixes.Add(Url[..(Url.LastIndexOf("api/", StringComparison.Ordinal))]);
        listener.Start();
        serving = Task.Run(ServeAsync);
    }

    public string Url { get; }

    public void Dispose()
    {
        listener.Close();
        try
        {
            serving.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // The listener was closed under a pending GetContextAsync.
        }
    }

    private async Task ServeAsync()
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            var reply = tsa.Respond(new TimeStampRequest(body.ToArray()), DateTimeOffset.UtcNow - behind);
            context.Response.ContentType = "application/timestamp-reply";
            await context.Response.OutputStream.WriteAsync(reply);
            context.Response.Close();
        }
    }
}
