using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using AiBaseline.Admission;
using AiBaseline.Api.V1Alpha1;
using AiBaseline.Engine;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;

namespace AiBaseline.Benchmarks;

/// <summary>
/// The admission webhook under load, on loopback only: the real HTTPS endpoint and handler over an in-memory view of
/// 1,000 governed Deployments under an Enforce profile, and 100 concurrent clients (one keep-alive connection each, as
/// the API server keeps its connections) posting AdmissionReviews, nine in ten compliant (allowed) and one in ten with a
/// tagged image (denied). After a warm-up it prints p50, p90, p99 and the largest latency seen by the clients, and
/// requests per second; before that, the handler alone, one review at a time (its CPU cost). With closed-loop clients the
/// latency is the concurrency divided by the throughput (Little's law), so on a small or busy machine the p99 at 100
/// clients measures the cores more than the webhook; <c>--clients 10</c> shows it with less queueing. Run: <c>dotnet run -c Release --project tests/AiBaseline.Benchmarks -- admission-load</c>
/// (options <c>--clients N</c>, default 100, and <c>--seconds N</c>, default 10). Target: p99 under 5 ms at 100 clients.
/// </summary>
public static class AdmissionLoadBenchmark
{
    /// <summary>The first argument that selects this mode.</summary>
    public const string Mode = "admission-load";

    private const int Deployments = 1000;
    private const string Digest = "sha256:1f2e3d4c5b6a79881f2e3d4c5b6a79881f2e3d4c5b6a79881f2e3d4c5b6a7988";

    public static async Task<int> RunAsync(IReadOnlyList<string> arguments)
    {
        var clients = 100;
        var seconds = 10;
        for (var i = 0; i < arguments.Count; i++)
        {
            switch (arguments[i])
            {
                case "--clients" when i + 1 < arguments.Count:
                    clients = int.Parse(arguments[++i], CultureInfo.InvariantCulture);
                    break;
                case "--seconds" when i + 1 < arguments.Count:
                    seconds = int.Parse(arguments[++i], CultureInfo.InvariantCulture);
                    break;
                default:
                    throw new ArgumentException($"{Mode}: unknown argument {arguments[i]}: use --clients N and --seconds N");
            }
        }

        Console.WriteLine($"command: dotnet run -c Release --project tests/AiBaseline.Benchmarks -- {Mode} {string.Join(' ', arguments)}");
        var set = ServingCertificates.IssueAll(["127.0.0.1"], DateTimeOffset.UtcNow, TimeSpan.FromDays(1), TimeSpan.FromHours(1));
        using var certificate = ServingCertificates.Load(set);
        var handler = new AdmissionHandler(
            new State(),
            new NoVerification(),
            new AdmissionOptions(),
            new AdmissionMetrics(Prometheus.Metrics.NewCustomRegistry()),
            null,
            TimeProvider.System,
            NullLogger<AdmissionHandler>.Instance);
        var port = FreePort();
        await using var server = await WebhookServer.StartAsync(new Uri($"http://127.0.0.1:{port}"), () => certificate, handler, () => true, null, CancellationToken.None);
        var url = new Uri($"https://127.0.0.1:{port}{WebhookServer.Path}");
        var bodies = Enumerable.Range(0, Deployments).Select(i => Review(i, tagged: i % 10 == 9)).ToArray();
        var ca = X509Certificate2.CreateFromPem(set.CaCertificate);
        using var http = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = clients,
            SslOptions = { RemoteCertificateValidationCallback = (_, served, _, _) => Trusts(ca, served) },
        });

        // The handler alone, one request at a time: the CPU a review costs, without HTTP, TLS or queueing.
        var alone = new List<double>(20000);
        for (var i = 0; i < 22000; i++)
        {
            var sent = Stopwatch.GetTimestamp();
            await handler.HandleAsync(bodies[i % bodies.Length], CancellationToken.None);
            if (i >= 2000)
            {
                alone.Add(Stopwatch.GetElapsedTime(sent).TotalSeconds);
            }
        }

        alone.Sort();
        Console.WriteLine($"handler alone, sequential: p50 {Micro(alone, 0.50)} us  p99 {Micro(alone, 0.99)} us  ({alone.Count} reviews)");
        Console.WriteLine($"server: the webhook on {url}, {Deployments} governed Deployments, profile in Enforce; {clients} clients, {Environment.ProcessorCount} cores");
        await RunForAsync(http, url, bodies, clients, TimeSpan.FromSeconds(3));
        var (latencies, elapsed, denied) = await RunForAsync(http, url, bodies, clients, TimeSpan.FromSeconds(seconds));
        latencies.Sort();
        string Ms(double q) => (latencies[Math.Min(latencies.Count - 1, (int)(q * latencies.Count))] * 1000).ToString("F2", CultureInfo.InvariantCulture);
        Console.WriteLine($"requests: {latencies.Count} in {elapsed.TotalSeconds:F1} s = {latencies.Count / elapsed.TotalSeconds:F0} requests/s ({denied} denied)");
        Console.WriteLine($"latency ms: p50 {Ms(0.50)}  p90 {Ms(0.90)}  p99 {Ms(0.99)}  max {(latencies[^1] * 1000).ToString("F2", CultureInfo.InvariantCulture)}");
        return 0;
    }

    private static string Micro(List<double> sorted, double q) =>
        (sorted[Math.Min(sorted.Count - 1, (int)(q * sorted.Count))] * 1e6).ToString("F0", CultureInfo.InvariantCulture);

    private static async Task<(List<double> Latencies, TimeSpan Elapsed, int Denied)> RunForAsync(HttpClient http, Uri url, byte[][] bodies, int clients, TimeSpan duration)
    {
        var all = new List<double>[clients];
        var denied = 0;
        var started = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
        {
            var mine = all[c] = new List<double>(16384);
            var next = c;
            while (started.Elapsed < duration)
            {
                using var content = new ByteArrayContent(bodies[next % bodies.Length]);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                var sent = Stopwatch.GetTimestamp();
                using var response = await http.PostAsync(url, content);
                var text = await response.Content.ReadAsStringAsync();
                mine.Add(Stopwatch.GetElapsedTime(sent).TotalSeconds);
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    throw new InvalidOperationException($"the webhook answered {(int)response.StatusCode}: {text}");
                }

                if (text.Contains("\"allowed\":false", StringComparison.Ordinal))
                {
                    Interlocked.Increment(ref denied);
                }

                next += clients;
            }
        })));
        return ([.. all.SelectMany(l => l)], started.Elapsed, denied);
    }

    private static byte[] Review(int i, bool tagged)
    {
        var name = $"model-{i:0000}";
        var deployment = new V1Deployment
        {
            ApiVersion = "apps/v1",
            Kind = "Deployment",
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = Namespace(i) },
            Spec = new V1DeploymentSpec
            {
                Replicas = 1,
                Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = name } },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = name } },
                    Spec = new V1PodSpec
                    {
                        AutomountServiceAccountToken = false,
                        SecurityContext = new V1PodSecurityContext { RunAsNonRoot = true, SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" } },
                        Containers =
                        [
                            new V1Container
                            {
                                Name = "server",
                                Image = tagged ? "registry.acme.example/llm/server:1.0" : "registry.acme.example/llm/server@" + Digest,
                                Env = [new V1EnvVar { Name = "HF_TOKEN", ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = "hf", Key = "token" } } }],
                                SecurityContext = new V1SecurityContext { AllowPrivilegeEscalation = false, Capabilities = new V1Capabilities { Drop = ["ALL"] } },
                            },
                        ],
                    },
                },
            },
        };
        var review = new JsonObject
        {
            ["apiVersion"] = "admission.k8s.io/v1",
            ["kind"] = "AdmissionReview",
            ["request"] = new JsonObject
            {
                ["uid"] = Guid.NewGuid().ToString(),
                ["kind"] = new JsonObject { ["group"] = "apps", ["version"] = "v1", ["kind"] = "Deployment" },
                ["resource"] = new JsonObject { ["group"] = "apps", ["version"] = "v1", ["resource"] = "deployments" },
                ["namespace"] = Namespace(i),
                ["name"] = name,
                ["operation"] = "CREATE",
                ["userInfo"] = new JsonObject { ["username"] = "system:serviceaccount:argocd:argocd-application-controller" },
                ["object"] = JsonNode.Parse(KubernetesJson.Serialize(deployment)),
                ["dryRun"] = false,
            },
        };
        return Encoding.UTF8.GetBytes(review.ToJsonString());
    }

    private static string Namespace(int i) => $"team-{i / 100:00}";

    private static bool Trusts(X509Certificate2 ca, X509Certificate? served)
    {
        if (served is null)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var leaf = X509CertificateLoader.LoadCertificate(served.GetRawCertData());
        return chain.Build(leaf);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>1,000 AIModelDeployments, each naming its Deployment, under one Enforce profile; every ServiceAccount default.</summary>
    private sealed class State : IAdmissionState
    {
        private readonly Dictionary<string, AIModelDeployment> governing = Enumerable.Range(0, Deployments).ToDictionary(
            i => $"{Namespace(i)}/model-{i:0000}",
            i => new AIModelDeployment
            {
                Metadata = new V1ObjectMeta { Name = $"model-{i:0000}", NamespaceProperty = Namespace(i) },
                Spec = new AIModelDeploymentSpec { Stage = LifecycleStage.Deployment, WorkloadRef = new WorkloadReference { Kind = WorkloadKind.Deployment, Name = $"model-{i:0000}" } },
            });

        private readonly BaselineProfile profile = new()
        {
            Metadata = new V1ObjectMeta { Name = "default" },
            Spec = new BaselineProfileSpec { Mode = ProfileMode.Enforce, Images = new ImagePolicy { TrustedRegistries = ["registry.acme.example/"] } },
        };

        public AIModelDeployment? GoverningDeployment(string ns, WorkloadKind kind, string name) => governing.GetValueOrDefault($"{ns}/{name}");

        public BaselineProfile? Profile(string name) => name == "default" ? profile : null;

        public V1ServiceAccount? ServiceAccount(string ns, string name) => null;

        public WorkloadState? WorkloadOf(AIModelDeployment deployment) => null;
    }

    private sealed class NoVerification : IVerificationLookup
    {
        public Task<IReadOnlyDictionary<string, ArtifactVerification>> LookupAsync(AdmissionSubject subject, System.Collections.Immutable.ImmutableArray<string> references, CancellationToken ct) =>
            throw new InvalidOperationException("the benchmark profile asks for no signatures");
    }
}
