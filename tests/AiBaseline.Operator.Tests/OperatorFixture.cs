using System.Security.Cryptography;
using System.Text.Json.Nodes;
using AiBaseline.Api.V1Alpha1;
using AiBaseline.KubeEmulator;
using AiBaseline.Provenance;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Emulator = AiBaseline.KubeEmulator.KubeEmulator;

namespace AiBaseline.Operator.Tests;

/// <summary>An emulated cluster with the shipped CRDs, and operators started against it.</summary>
internal sealed class OperatorFixture : IAsyncDisposable
{
    private readonly List<(OperatorHost Host, CancellationTokenSource Stop, Task<int> Run)> running = [];

    private OperatorFixture(Emulator server) => Server = server;

    public Emulator Server { get; }

    /// <summary>The folder of the CRDs the tests serve.</summary>
    public static string CrdFolder => Path.Combine(AppContext.BaseDirectory, "crds");

    /// <summary>
    /// An emulator serving the CRDs of <paramref name="crds"/> (by default every shipped CRD) and the Prometheus Operator's
    /// and Trivy Operator's, whose kinds the examples hold.
    /// </summary>
    public static async Task<OperatorFixture> StartAsync(string? crds = null)
    {
        var server = await Emulator.StartAsync(new KubeEmulatorOptions { AutoCreateNamespaces = true }, TestContext.Current.CancellationToken);
        server.ApplyCrdsFrom(crds ?? CrdFolder);
        server.ApplyCrdsFrom(Path.Combine(AppContext.BaseDirectory, "monitoring-crds"));

        return new OperatorFixture(server);
    }

    /// <summary>
    /// The compliant example with its "default" profile asking for images signed by a key named "release", so the
    /// operator verifies provenance at (fake) registries.
    /// </summary>
    public static async Task<OperatorFixture> StartSignedAsync()
    {
        var cluster = await StartAsync();
        cluster.Apply("profiles", "llm-inference-compliant");
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var profile = cluster.Profile("default");
        profile.Spec.Images.SignatureKeys = [new SignatureKey { Name = "release", PublicKey = key.ExportSubjectPublicKeyInfoPem() }];
        using var client = new Kubernetes(cluster.Server.CreateClientConfiguration());
        await client.CustomObjects.ReplaceClusterCustomObjectAsync(profile, ApiGroup.Group, ApiGroup.Version, ApiGroup.BaselineProfilePlural, "default", cancellationToken: TestContext.Current.CancellationToken);
        return cluster;
    }

    /// <summary>Creates every object of the example manifests in <paramref name="folders"/> (under examples/).</summary>
    public void Apply(params string[] folders)
    {
        foreach (var file in folders.SelectMany(f => Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "examples", f), "*.yaml")).Order(StringComparer.Ordinal))
        {
            Server.CreateFromYaml(File.ReadAllText(file), ApiGroup.KindTypes());
        }
    }

    /// <summary>
    /// Starts an operator (metrics off; probes on <paramref name="probes"/>, off by default; watching <paramref name="namespaces"/>, all by default) and, unless told not to,
    /// waits until its caches have synced. Without <paramref name="verifier"/> any registry verification fails the test.
    /// </summary>
    public async Task<OperatorHost> StartOperatorAsync(
        IArtifactVerifier? verifier = null, VerificationCacheOptions? cache = null, string probes = "0", bool waitForSync = true, bool readPullSecrets = false, ILoggerFactory? logs = null, IReadOnlyList<string>? namespaces = null, TimeProvider? time = null,
        AiBaseline.Provenance.ModelSigning.OciModelVerifier? models = null)
    {
        var host = new OperatorHost(
            new OperatorSettings
            {
                MetricsBindAddress = "0", HealthProbeBindAddress = probes, MaxConcurrentReconciles = 2, Identity = "test-operator",
                VerificationCache = cache ?? new VerificationCacheOptions(),
                ReadPullSecrets = readPullSecrets,
                Namespaces = namespaces ?? [],
            },
            Server.CreateClientConfiguration(),
            logs ?? NullLoggerFactory.Instance,
            time ?? TimeProvider.System,
            verifier ?? new FakeVerifier(_ => throw new InvalidOperationException("this test's profiles ask for no registry verification")),
            models: models);
        var stop = new CancellationTokenSource();
        var run = Task.Run(() => host.RunAsync(stop.Token), TestContext.Current.CancellationToken);
        running.Add((host, stop, run));
        if (waitForSync)
        {
            await EventuallyAsync(() => host.Manager.IsReady, "operator caches synced");
        }

        return host;
    }

    /// <summary>Stops the operator started last and returns its exit code.</summary>
    public async Task<int> StopOperatorAsync()
    {
        var (host, stop, run) = running[^1];
        running.RemoveAt(running.Count - 1);
        await stop.CancelAsync();
        var code = await run;
        stop.Dispose();
        host.Dispose();
        return code;
    }

    /// <summary>The deployment as stored, its status checked against <see cref="StatusInvariants"/>.</summary>
    public AIModelDeployment? Get(string ns, string name) =>
        StatusInvariants.Checked(Server.Get(ApiGroup.GroupVersion, ApiGroup.AIModelDeploymentKind, ns, name) is { } json ? KubernetesJson.Deserialize<AIModelDeployment>(json.ToJsonString()) : null);

    public BaselineProfile Profile(string name) =>
        KubernetesJson.Deserialize<BaselineProfile>(Server.Get(ApiGroup.GroupVersion, ApiGroup.BaselineProfileKind, null, name)!.ToJsonString());

    public BaselineException? Waiver(string ns, string name) =>
        Server.Get(ApiGroup.GroupVersion, ApiGroup.BaselineExceptionKind, ns, name) is { } json ? KubernetesJson.Deserialize<BaselineException>(json.ToJsonString()) : null;

    public V1Condition? Condition(string ns, string name, string type) =>
        Get(ns, name)?.Status?.Conditions?.FirstOrDefault(c => c.Type == type);

    public IReadOnlyList<JsonObject> Events(string ns) => Server.List("events.k8s.io/v1", "Event", ns);

    public static async Task EventuallyAsync(Func<bool> condition, string what, int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"not reached within {seconds} s: {what}");
            await Task.Delay(25, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>Stops the operators, then checks every deployment's last status against <see cref="StatusInvariants"/>.</summary>
    public async ValueTask DisposeAsync()
    {
        while (running.Count > 0)
        {
            await StopOperatorAsync();
        }

        try
        {
            foreach (var json in Server.List(ApiGroup.GroupVersion, ApiGroup.AIModelDeploymentKind))
            {
                StatusInvariants.Checked(KubernetesJson.Deserialize<AIModelDeployment>(json.ToJsonString()));
            }
        }
        finally
        {
            await Server.DisposeAsync();
        }
    }
}
