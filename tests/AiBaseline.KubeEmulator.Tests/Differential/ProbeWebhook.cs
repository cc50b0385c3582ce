using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace AiBaseline.KubeEmulator.Tests.Differential;

/// <summary>
/// A tiny validating webhook on loopback over HTTPS, under a CA of its own, for the differential test: it judges
/// ConfigMaps by their <c>data.verdict</c> (<c>allow</c>, <c>warn</c>, <c>deny</c>, <c>deny-without-code</c>, <c>slow</c>).
/// </summary>
public sealed class ProbeWebhook : IAsyncDisposable
{
    private readonly WebApplication app;

    private ProbeWebhook(WebApplication app, string caPem, int port)
    {
        this.app = app;
        CaBundle = System.Text.Encoding.UTF8.GetBytes(caPem);
        Url = $"https://127.0.0.1:{port}/validate";
    }

    /// <summary>The PEM of the CA that signed the serving certificate, as a webhook configuration's caBundle holds it.</summary>
    public byte[] CaBundle { get; }

    public string Url { get; }

    /// <summary>The PEM of a CA that signed nothing this webhook serves: a caBundle the handshake must fail under.</summary>
    public static byte[] UnrelatedCaBundle()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=unrelated-ca", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var ca = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        return System.Text.Encoding.UTF8.GetBytes(ca.ExportCertificatePem());
    }

    /// <summary>How long <c>slow</c> makes the caller wait, well past a one-second webhook timeout.</summary>
    public static TimeSpan SlowDelay => TimeSpan.FromSeconds(3);

    public static async Task<ProbeWebhook> StartAsync()
    {
        var now = DateTimeOffset.UtcNow.AddMinutes(-5);
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=probe-webhook-ca", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        using var ca = caRequest.CreateSelfSigned(now, now.AddDays(1));
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=probe-webhook", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([Oid.FromOidValue("1.3.6.1.5.5.7.3.1", OidGroup.EnhancedKeyUsage)], false));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7f;
        using var issued = request.Create(ca, now, now.AddDays(1), serial);
        var serving = X509CertificateLoader.LoadPkcs12(issued.CopyWithPrivateKey(key).Export(X509ContentType.Pkcs12), null);

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.UseHttps(serving)));
        var app = builder.Build();
        ProbeWebhook? started = null;
        app.MapPost("/validate", (HttpContext context) => started!.Judge(context));
        await app.StartAsync();
        var port = new Uri(app.Urls.First()).Port;
        started = new ProbeWebhook(app, ca.ExportCertificatePem(), port);
        return started;
    }

    /// <summary>Every AdmissionReview request received, in order.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<JsonNode> Reviews { get; } = new();

    private async Task Judge(HttpContext context)
    {
        var review = (await JsonNode.ParseAsync(context.Request.Body))!;
        Reviews.Enqueue(review["request"]!.DeepClone());
        var request = review["request"]!;
        var verdict = request["object"]?["data"]?["verdict"]?.GetValue<string>() ?? "allow";
        if (verdict == "slow")
        {
            await Task.Delay(SlowDelay, context.RequestAborted);
        }

        var name = request["name"]?.GetValue<string>();
        var response = new JsonObject { ["uid"] = request["uid"]!.GetValue<string>(), ["allowed"] = verdict is "allow" or "warn" or "slow" };
        switch (verdict)
        {
            case "warn":
                response["warnings"] = new JsonArray("probe: configmap " + name + " would be denied", "probe: a second warning");
                break;
            case "deny":
                response["status"] = new JsonObject { ["code"] = 403, ["reason"] = "Forbidden", ["message"] = $"probe: configmap {name} says deny" };
                response["warnings"] = new JsonArray("probe: sent along with a denial");
                break;
            case "deny-without-code":
                response["status"] = new JsonObject { ["message"] = $"probe: configmap {name} is refused without a code" };
                break;
        }

        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(new JsonObject { ["apiVersion"] = "admission.k8s.io/v1", ["kind"] = "AdmissionReview", ["response"] = response }.ToJsonString());
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
