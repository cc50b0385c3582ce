using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using k8s;
using k8s.Models;

namespace AiBaseline.ControlPlane;

/// <summary>
/// A real Kubernetes control plane on loopback, as controller-runtime's envtest starts one: etcd, kube-apiserver
/// (RBAC and the default admission chain, PodSecurity included) and kube-controller-manager (namespace deletion,
/// garbage collection, ServiceAccounts and their tokens), from the binaries in an assets folder
/// (<see cref="ControlPlaneAssets"/>). There is no scheduler and no kubelet: Pods stay Pending. Certificates are
/// made for each start. <see cref="DisposeAsync"/> stops every process and deletes the folder; the processes also
/// die with this one however it ends (see <see cref="ParentBoundProcess"/>).
/// </summary>
public sealed class ControlPlane : IAsyncDisposable
{
    private readonly List<ChildProcess> children = [];
    private readonly string directory;
    private ClusterPki? pki;
    private bool disposed;

    private ControlPlane(string directory) => this.directory = directory;

    /// <summary>The API server's URL, <c>https://127.0.0.1:PORT</c>.</summary>
    public Uri Server { get; private set; } = new("https://127.0.0.1");

    /// <summary>A kubeconfig for the cluster administrator (<c>system:masters</c>), context <c>aibaseline-test</c>.</summary>
    public string AdminKubeconfig => Path.Combine(directory, "admin.kubeconfig");

    /// <summary>The CA that signed the API server's certificate, PEM.</summary>
    public string CaCertificatePem => File.ReadAllText(pki!.CaCertificate);

    /// <summary>How long each part took to come up, for reports.</summary>
    public TimeSpan StartupTime { get; private set; }

    /// <summary>Whether kube-controller-manager runs: Deployments make pods and namespaces finish terminating.</summary>
    public bool HasControllerManager { get; private set; }

    /// <summary>The process ids of etcd, kube-apiserver and kube-controller-manager.</summary>
    public IReadOnlyList<int> ProcessIds => [.. children.Select(c => c.Id)];

    /// <summary>
    /// Starts a control plane from <paramref name="assets"/> in a new folder under the temporary directory, and returns
    /// once the API server is ready and the controller manager has made the <c>default</c> ServiceAccount.
    /// </summary>
    public static async Task<ControlPlane> StartAsync(ControlPlaneAssets assets, CancellationToken cancellationToken = default)
    {
        RemoveLeftoversOfDeadRuns();

        // A free port is found by binding to port 0 and letting go; another process may take it before the component
        // binds it. That race is retried on fresh ports; any other failure is not.
        for (var attempt = 1; ; attempt++)
        {
            var folder = Path.Combine(Path.GetTempPath(), $"aibaseline-controlplane-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}");
            Directory.CreateDirectory(folder);
            var plane = new ControlPlane(folder);
            try
            {
                await plane.BootAsync(assets, cancellationToken);
                return plane;
            }
            catch (InvalidOperationException e) when (attempt < 3 && e.Message.Contains("address already in use", StringComparison.Ordinal))
            {
                await plane.DisposeAsync();
            }
            catch
            {
                await plane.DisposeAsync();
                throw;
            }
        }
    }

    /// <summary>A client as the administrator.</summary>
    public Kubernetes AdminClient() => new(KubernetesClientConfiguration.BuildConfigFromConfigFile(AdminKubeconfig));

    /// <summary>A bound token of <paramref name="serviceAccount"/>, as <c>kubectl create token</c> mints it.</summary>
    public async Task<string> TokenAsync(string ns, string serviceAccount, TimeSpan lifetime, CancellationToken cancellationToken = default)
    {
        using var client = AdminClient();
        var request = new Authenticationv1TokenRequest { Spec = new V1TokenRequestSpec { ExpirationSeconds = (long)lifetime.TotalSeconds } };
        var response = await client.CoreV1.CreateNamespacedServiceAccountTokenAsync(request, serviceAccount, ns, cancellationToken: cancellationToken);
        return response.Status.Token;
    }

    /// <summary>Writes a kubeconfig that authenticates with <paramref name="token"/> to <paramref name="path"/>.</summary>
    public string WriteTokenKubeconfig(string path, string token)
    {
        File.WriteAllText(path, Kubeconfig(user: $"    token: {token}\n"));
        return path;
    }

    public async ValueTask DisposeAsync()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        // The controller manager first, etcd last: each stops while what it talks to is still there.
        foreach (var child in Enumerable.Reverse(children))
        {
            await child.StopAsync(TimeSpan.FromSeconds(10));
            child.Dispose();
        }

        children.Clear();
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still being written by a process that just died; the next start removes the folder.
        }
    }

    private async Task BootAsync(ControlPlaneAssets assets, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        pki = ClusterPki.Create(Path.Combine(directory, "pki"));
        var (etcdPort, peerPort, etcdMetricsPort, apiPort, managerPort) = (FreePort(), FreePort(), FreePort(), FreePort(), FreePort());
        Server = new Uri($"https://127.0.0.1:{apiPort}");
        await File.WriteAllTextAsync(AdminKubeconfig, Kubeconfig(user: ClientCertificate(pki.AdminCertificate, pki.AdminKey)), ct);
        var managerKubeconfig = Path.Combine(directory, "controller-manager.kubeconfig");
        await File.WriteAllTextAsync(managerKubeconfig, Kubeconfig(user: ClientCertificate(pki.ControllerManagerCertificate, pki.ControllerManagerKey)), ct);

        var etcd = StartChild("etcd", assets.Etcd, [
            "--name=default",
            $"--data-dir={Path.Combine(directory, "etcd")}",
            $"--listen-client-urls=http://127.0.0.1:{etcdPort}",
            $"--advertise-client-urls=http://127.0.0.1:{etcdPort}",
            $"--listen-peer-urls=http://127.0.0.1:{peerPort}",
            $"--initial-advertise-peer-urls=http://127.0.0.1:{peerPort}",
            $"--initial-cluster=default=http://127.0.0.1:{peerPort}",
            $"--listen-metrics-urls=http://127.0.0.1:{etcdMetricsPort}",

            // A test cluster's data is thrown away: no fsync, as envtest runs it.
            "--unsafe-no-fsync=true",
        ]);
        using (var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) })
        {
            await UntilAsync(etcd, async () => (await http.GetAsync(new Uri($"http://127.0.0.1:{etcdPort}/health"), ct)).IsSuccessStatusCode, ct);
        }

        var apiServer = StartChild("kube-apiserver", assets.ApiServer, [
            $"--etcd-servers=http://127.0.0.1:{etcdPort}",
            "--bind-address=127.0.0.1",
            "--advertise-address=127.0.0.1",
            $"--secure-port={apiPort}",
            $"--cert-dir={Path.Combine(directory, "apiserver-certs")}",
            $"--tls-cert-file={pki.ServingCertificate}",
            $"--tls-private-key-file={pki.ServingKey}",
            $"--client-ca-file={pki.CaCertificate}",
            "--authorization-mode=Node,RBAC",
            "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
            $"--service-account-key-file={pki.ServiceAccountPublicKey}",
            $"--service-account-signing-key-file={pki.ServiceAccountKey}",
            "--api-audiences=https://kubernetes.default.svc.cluster.local",
            "--service-cluster-ip-range=10.96.0.0/16",
            "--allow-privileged=true",
        ]);
        using (var admin = AdminHttpClient())
        {
            await UntilAsync(apiServer, async () => (await admin.GetAsync(new Uri(Server, "/readyz"), ct)).IsSuccessStatusCode, ct);
        }

        if (assets.HasControllerManager)
        {
            var manager = StartChild("kube-controller-manager", assets.ControllerManager, [
                $"--kubeconfig={managerKubeconfig}",
                $"--authentication-kubeconfig={managerKubeconfig}",
                $"--authorization-kubeconfig={managerKubeconfig}",
                "--use-service-account-credentials=true",
                $"--service-account-private-key-file={pki.ServiceAccountKey}",
                $"--root-ca-file={pki.CaCertificate}",
                "--leader-elect=false",
                "--bind-address=127.0.0.1",
                $"--secure-port={managerPort}",
                $"--cert-dir={Path.Combine(directory, "controller-manager-certs")}",
            ]);
            using (var client = AdminClient())
            {
                // The ServiceAccount controller has run once the default namespace has its default ServiceAccount.
                await UntilAsync(manager, async () => (await client.CoreV1.ListNamespacedServiceAccountAsync("default", fieldSelector: "metadata.name=default", cancellationToken: ct)).Items.Count == 1, ct);
            }
        }

        HasControllerManager = assets.HasControllerManager;
        StartupTime = clock.Elapsed;
    }

    private ChildProcess StartChild(string name, string binary, IEnumerable<string> arguments)
    {
        var child = ChildProcess.Start(name, binary, arguments, Path.Combine(directory, $"{name}.log"));
        children.Add(child);
        return child;
    }

    /// <summary>Polls <paramref name="ready"/> for up to a minute; a child that exits meanwhile fails at once with its last lines.</summary>
    private static async Task UntilAsync(ChildProcess child, Func<Task<bool>> ready, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            if (child.HasExited)
            {
                throw new InvalidOperationException($"{child.Name} exited while starting; its last lines ({child.LogPath}):\n{child.Tail()}");
            }

            try
            {
                if (await ready())
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or k8s.Autorest.HttpOperationException)
            {
                // Not listening yet, or not ready.
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{child.Name} was not ready within 60 s; its last lines ({child.LogPath}):\n{child.Tail()}");
            }

            await Task.Delay(100, ct);
        }
    }

    private HttpClient AdminHttpClient()
    {
        var ca = X509Certificate2.CreateFromPem(File.ReadAllText(pki!.CaCertificate));
        var handler = new HttpClientHandler();
        handler.ClientCertificates.Add(X509Certificate2.CreateFromPemFile(pki.AdminCertificate, pki.AdminKey));
        handler.ServerCertificateCustomValidationCallback = (_, certificate, chain, _) =>
        {
            chain!.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.Add(ca);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            return certificate is not null && chain.Build(certificate);
        };
        return new HttpClient(handler, disposeHandler: true) { Timeout = TimeSpan.FromSeconds(2) };
    }

    private string Kubeconfig(string user) => $$"""
        apiVersion: v1
        kind: Config
        clusters:
        - name: aibaseline-test
          cluster:
            server: {{Server.ToString().TrimEnd('/')}}
            certificate-authority-data: {{Base64File(pki!.CaCertificate)}}
        users:
        - name: aibaseline-test
          user:
        {{user}}contexts:
        - name: aibaseline-test
          context: {cluster: aibaseline-test, user: aibaseline-test}
        current-context: aibaseline-test

        """;

    private static string ClientCertificate(string certificate, string key) =>
        $"    client-certificate-data: {Base64File(certificate)}\n    client-key-data: {Base64File(key)}\n";

    private static string Base64File(string path) => Convert.ToBase64String(Encoding.UTF8.GetBytes(File.ReadAllText(path)));

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Folders of control planes whose test process died without cleaning up (its processes died with it).</summary>
    private static void RemoveLeftoversOfDeadRuns()
    {
        foreach (var folder in Directory.GetDirectories(Path.GetTempPath(), "aibaseline-controlplane-*"))
        {
            var pid = Path.GetFileName(folder).Split('-')[2];
            if (int.TryParse(pid, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && !Directory.Exists($"/proc/{id}"))
            {
                try
                {
                    Directory.Delete(folder, recursive: true);
                }
                catch (IOException)
                {
                    // In use after all; leave it.
                }
            }
        }
    }
}
