using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using AiBaseline.Admission;
using AiBaseline.Api.V1Alpha1;
using AiBaseline.KubeEmulator.Tests;
using AiBaseline.Operator.Tests.Scenarios;
using k8s;
using k8s.Models;

namespace AiBaseline.Operator.Tests.Admission;

/// <summary>
/// The webhook on the real control plane (the real-cluster tier, <c>AIBASELINE_E2E_KUBECONFIG</c>): the API server calls
/// the operator on loopback, registered by url, and kubectl shows what a user sees.
/// </summary>
public sealed class WebhookRealClusterTests(RealCluster cluster) : IClassFixture<RealCluster>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Switching_the_example_profile_to_Enforce_denies_the_noncompliant_Deployment_and_admits_the_compliant_one()
    {
        await using var ns = await ScenarioNamespace.CreateAsync(cluster);
        await using var webhook = await WebhookRun.StartAsync(ns);
        using var kubectl = new Kubectl(cluster.KubeconfigPath);

        // The example profile as shipped (Audit), both examples' objects but their Deployments.
        var noncompliant = Manifests.Example("llm-inference-noncompliant", ns.Name, ns.Profile);
        var compliant = Manifests.Example("llm-inference-compliant", ns.Name, ns.Profile);
        await ns.CreateAsync(Manifests.Example("profiles", ns.Name, ns.Profile));
        await ns.CreateAsync([.. noncompliant.Concat(compliant).Where(o => o is not V1Deployment)]);
        var badFile = Write(kubectl, "noncompliant.json", noncompliant.OfType<V1Deployment>().Single());
        var goodFile = Write(kubectl, "compliant.json", compliant.OfType<V1Deployment>().Single());
        var badModel = Write(kubectl, "noncompliant-aimd.json", noncompliant.OfType<AIModelDeployment>().Single());
        var bad = noncompliant.OfType<V1Deployment>().Single().Metadata.Name;

        // Audit: admitted, and kubectl prints what Enforce would deny.
        var audited = kubectl.Run("apply", "-f", badFile);
        audited.Succeeded();
        Assert.True(audited.Stderr.Contains($"Warning: aibaseline: BaselineProfile {ns.Profile} is in Audit mode; Enforce would deny Deployment {ns.Name}/{bad}: ImageProvenance", StringComparison.Ordinal), audited.Stderr);
        kubectl.Run("delete", "-f", badFile, "--wait=false").Succeeded();

        // Enforce: the same apply is refused, saying what to fix, without echoing the credential.
        await SetModeAsync(ns, "Enforce");
        await ns.EventuallyAsync(() => Task.FromResult(kubectl.Run("apply", "--dry-run=server", "-f", badFile).ExitCode != 0), "the webhook sees the profile in Enforce");
        var denied = kubectl.Run("apply", "-f", badFile);
        Assert.NotEqual(0, denied.ExitCode);
        Assert.True(denied.Stderr.Contains($"admission webhook \"{WebhookRun.WebhookName}\" denied the request: aibaseline: BaselineProfile {ns.Profile} (mode Enforce) denies Deployment {ns.Name}/{bad}", StringComparison.Ordinal), denied.Stderr);
        Assert.True(denied.Stderr.Contains("is not pinned by digest: reference it as docker.io/vllm/vllm-openai@sha256:<64 hex digits>", StringComparison.Ordinal), denied.Stderr);
        Assert.True(denied.Stderr.Contains("SecretsHandling LiteralCredential: container vllm: env OPENAI_API_KEY holds an OpenAI API key; move it to a Secret", StringComparison.Ordinal), denied.Stderr);
        Assert.True(denied.Stderr.Contains("RuntimeHardening", StringComparison.Ordinal), denied.Stderr);
        Assert.DoesNotContain("sk-proj-", denied.Stderr);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, await StatusOfGetAsync(ns, bad));

        // A dry run is judged the same; the compliant Deployment is admitted without a warning.
        Assert.Contains("denied the request", kubectl.Run("apply", "--dry-run=server", "-f", badFile).Stderr);
        var admitted = kubectl.Run("apply", "-f", goodFile);
        admitted.Succeeded();
        Assert.DoesNotContain("aibaseline", admitted.Stderr);

        // GitOps re-syncs of unchanged objects pass, even the noncompliant AIModelDeployment Enforce would refuse as new.
        kubectl.Run("apply", "--server-side", "--field-manager=argocd-controller", "--force-conflicts", "-f", goodFile).Succeeded();
        kubectl.Run("apply", "--server-side", "--field-manager=argocd-controller", "--force-conflicts", "-f", badModel).Succeeded();
        var model = noncompliant.OfType<AIModelDeployment>().Single().Metadata.Name;
        var copy = noncompliant.OfType<AIModelDeployment>().Single();
        copy.Metadata.Name = model + "-copy";
        var refusedModel = kubectl.Run("create", "--dry-run=server", "-f", Write(kubectl, "copy-aimd.json", copy));
        Assert.NotEqual(0, refusedModel.ExitCode);
        Assert.Contains($"denies AIModelDeployment {ns.Name}/{model}-copy: ModelIntegrity", refusedModel.Stderr);

        // Deletes always pass; the denial left an event on the AIModelDeployment.
        kubectl.Run("delete", "-f", goodFile, "--wait=false").Succeeded();
        await ns.EventuallyAsync(
            async () => (await ns.EventsAsync()).Any(e => e.Reason == DenialEvents.Reason && e.Regarding.Name == model && e.Note.Contains("ImageProvenance", StringComparison.Ordinal)),
            "an AdmissionDenied event on the noncompliant AIModelDeployment");
    }

    [Fact]
    public async Task Renewing_the_serving_certificate_and_replacing_the_CA_drop_no_request()
    {
        await using var ns = await ScenarioNamespace.CreateAsync(cluster);

        // A 9-second certificate renewed when 3 seconds are left, under a 27-second CA replaced when 9 seconds are left,
        // checked every second: several renewals and one new CA within the run.
        await using var webhook = await WebhookRun.StartAsync(ns, servingLifetime: TimeSpan.FromSeconds(9), caLifetime: TimeSpan.FromSeconds(27), checkInterval: TimeSpan.FromSeconds(1));
        var compliant = Manifests.Example("llm-inference-compliant", ns.Name, ns.Profile);
        await ns.CreateAsync(Manifests.Example("profiles", ns.Name, ns.Profile));
        await SetModeAsync(ns, "Enforce");
        await ns.CreateAsync([.. compliant.Where(o => o is not V1Deployment)]);
        var deployment = compliant.OfType<V1Deployment>().Single();
        var certificates = webhook.Host.Webhook!.Certificates;

        var served = new HashSet<string>(StringComparer.Ordinal);
        var bundles = new HashSet<string>(StringComparer.Ordinal);
        var (renewalsBefore, rotationsBefore) = (certificates.Renewals, certificates.CaRotations);
        var (throughApiServer, direct) = (0, 0);
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < until)
        {
            // Through the API server (which keeps its connection), and over a new connection each time that trusts only the
            // bundle the API server is given now: every handshake must present a certificate valid under it.
            await ns.Client.AppsV1.CreateNamespacedDeploymentAsync(deployment, ns.Name, dryRun: "All", cancellationToken: Ct);
            throughApiServer++;
            var bundle = await webhook.CaBundleAsync();
            bundles.Add(bundle);
            served.Add(await HandshakeAsync(webhook.Port, bundle));
            direct++;
            await Task.Delay(100, Ct);
        }

        Assert.True(certificates.Renewals - renewalsBefore >= 2, $"renewed {certificates.Renewals - renewalsBefore} times");
        Assert.True(certificates.CaRotations - rotationsBefore >= 1, "the CA was replaced");
        Assert.True(bundles.Count >= 2, $"the API server was given {bundles.Count} bundles");
        Assert.True(served.Count >= 3, $"served {served.Count} certificates");
        Assert.True(throughApiServer > 50 && direct > 50, $"{throughApiServer} requests through the API server, {direct} direct");
    }

    private static async Task SetModeAsync(ScenarioNamespace ns, string mode) =>
        await ns.Client.CustomObjects.PatchClusterCustomObjectAsync(
            new V1Patch($"{{\"spec\":{{\"mode\":\"{mode}\"}}}}", V1Patch.PatchType.MergePatch), ApiGroup.Group, ApiGroup.Version, ApiGroup.BaselineProfilePlural, ns.Profile, cancellationToken: Ct);

    private static async Task<System.Net.HttpStatusCode> StatusOfGetAsync(ScenarioNamespace ns, string name)
    {
        try
        {
            await ns.Client.AppsV1.ReadNamespacedDeploymentAsync(name, ns.Name, cancellationToken: Ct);
            return System.Net.HttpStatusCode.OK;
        }
        catch (k8s.Autorest.HttpOperationException e)
        {
            return e.Response.StatusCode;
        }
    }

    /// <summary>A new TLS connection to the webhook that trusts only <paramref name="bundle"/>; returns the served certificate's thumbprint.</summary>
    private static async Task<string> HandshakeAsync(int port, string bundle)
    {
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync("127.0.0.1", port, Ct);
        var trusted = new X509Certificate2Collection();
        trusted.ImportFromPem(bundle);
        string? thumbprint = null;
        await using var tls = new SslStream(tcp.GetStream(), false, (_, certificate, _, _) =>
        {
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.AddRange(trusted);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            using var served = X509CertificateLoader.LoadCertificate(certificate!.GetRawCertData());
            thumbprint = served.Thumbprint;
            return chain.Build(served);
        });
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "127.0.0.1" }, Ct);
        return thumbprint!;
    }

    private static string Write(Kubectl kubectl, string file, object obj)
    {
        var path = Path.Combine(kubectl.Directory, file);
        // JSON, as the API client writes these types (their dates have no YAML form of their own); kubectl reads it as YAML.
        File.WriteAllText(path, KubernetesJson.Serialize(obj), Encoding.UTF8);
        return path;
    }
}
