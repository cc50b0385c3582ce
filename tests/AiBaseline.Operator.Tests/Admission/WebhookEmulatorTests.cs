using System.Text;
using AiBaseline.Admission;
using AiBaseline.Api.V1Alpha1;
using AiBaseline.KubeEmulator.Tests;
using AiBaseline.Operator.Tests.Scenarios;
using k8s;
using k8s.Models;

namespace AiBaseline.Operator.Tests.Admission;

/// <summary>
/// The webhook through the API emulator, as on the real control plane (<see cref="WebhookRealClusterTests"/>): the
/// operator serves it on loopback and sets the CA bundle of a ValidatingWebhookConfiguration registered by url, and the
/// emulator calls it over HTTPS on every create and update in the scenario's namespace.
/// </summary>
public sealed class WebhookEmulatorTests(Scenarios.EmulatedCluster cluster) : IClassFixture<Scenarios.EmulatedCluster>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Through_the_emulator_Enforce_denies_a_tagged_image_with_our_message_and_Audit_warns()
    {
        await using var ns = await ScenarioNamespace.CreateAsync(cluster);
        await using var webhook = await WebhookRun.StartAsync(ns);
        using var kubectl = new Kubectl(cluster.KubeconfigPath);

        var noncompliant = Manifests.Example("llm-inference-noncompliant", ns.Name, ns.Profile);
        var compliant = Manifests.Example("llm-inference-compliant", ns.Name, ns.Profile);
        await ns.CreateAsync(Manifests.Example("profiles", ns.Name, ns.Profile));
        await ns.CreateAsync([.. noncompliant.Concat(compliant).Where(o => o is not V1Deployment)]);
        var badFile = Write(kubectl, "noncompliant.json", noncompliant.OfType<V1Deployment>().Single());
        var goodFile = Write(kubectl, "compliant.json", compliant.OfType<V1Deployment>().Single());
        var bad = noncompliant.OfType<V1Deployment>().Single().Metadata.Name;

        // Audit: admitted, with the webhook's warnings as kubectl prints them.
        var audited = kubectl.Run("apply", "-f", badFile);
        audited.Succeeded();
        Assert.True(audited.Stderr.Contains($"Warning: aibaseline: BaselineProfile {ns.Profile} is in Audit mode; Enforce would deny Deployment {ns.Name}/{bad}: ImageProvenance", StringComparison.Ordinal), audited.Stderr);
        kubectl.Run("delete", "-f", badFile, "--wait=false").Succeeded();

        // Enforce: once the operator's cache has the profile's new mode, the same create is refused with a 403 and our message.
        await PatchModeAsync(ns, "Enforce");
        KubectlResult? denied = null;
        await ns.EventuallyAsync(
            () =>
            {
                denied = kubectl.Run("apply", "-f", badFile);
                if (denied.ExitCode == 0)
                {
                    kubectl.Run("delete", "-f", badFile, "--wait=false").Succeeded();
                }

                return Task.FromResult(denied.ExitCode != 0);
            },
            "the webhook denies the tagged image under Enforce");
        Assert.True(denied!.Stderr.Contains($"Error from server (Forbidden): error when creating \"{badFile}\": admission webhook \"{WebhookRun.WebhookName}\" denied the request: aibaseline: BaselineProfile {ns.Profile} (mode Enforce) denies Deployment {ns.Name}/{bad}", StringComparison.Ordinal), denied.Stderr);
        Assert.True(denied.Stderr.Contains("is not pinned by digest: reference it as docker.io/vllm/vllm-openai@sha256:<64 hex digits>", StringComparison.Ordinal), denied.Stderr);
        Assert.DoesNotContain("sk-proj-", denied.Stderr);
        var refused = await Assert.ThrowsAsync<k8s.Autorest.HttpOperationException>(() =>
            ns.Client.AppsV1.CreateNamespacedDeploymentAsync(noncompliant.OfType<V1Deployment>().Single(), ns.Name, cancellationToken: Ct));
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, refused.Response.StatusCode);
        Assert.Null(cluster.Emulator.Get<V1Deployment>(ns.Name, bad));

        // The compliant Deployment is admitted without a warning; deletes are never sent.
        var admitted = kubectl.Run("apply", "-f", goodFile);
        admitted.Succeeded();
        Assert.DoesNotContain("aibaseline", admitted.Stderr);
        kubectl.Run("delete", "-f", goodFile, "--wait=false").Succeeded();
        await ns.EventuallyAsync(
            async () => (await ns.EventsAsync()).Any(e => e.Reason == DenialEvents.Reason && e.Note.Contains("ImageProvenance", StringComparison.Ordinal)),
            "an AdmissionDenied event on the noncompliant AIModelDeployment");
    }

    private static async Task PatchModeAsync(ScenarioNamespace ns, string mode) =>
        await ns.Client.CustomObjects.PatchClusterCustomObjectAsync(
            new V1Patch($"{{\"spec\":{{\"mode\":\"{mode}\"}}}}", V1Patch.PatchType.MergePatch), ApiGroup.Group, ApiGroup.Version, ApiGroup.BaselineProfilePlural, ns.Profile, cancellationToken: Ct);

    private static string Write(Kubectl kubectl, string file, object obj)
    {
        var path = Path.Combine(kubectl.Directory, file);
        File.WriteAllText(path, KubernetesJson.Serialize(obj), Encoding.UTF8);
        return path;
    }
}
