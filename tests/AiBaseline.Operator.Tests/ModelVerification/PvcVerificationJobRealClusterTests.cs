using System.Text;
using AiBaseline.Api.V1Alpha1;
using AiBaseline.KubeEmulator.Tests;
using AiBaseline.Operator.ModelVerification;
using AiBaseline.Operator.Tests.Scenarios;
using AiBaseline.Provenance.ModelSigning;
using AiBaseline.Provenance.Oci;
using AiBaseline.Provenance.Tests.Support;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;

namespace AiBaseline.Operator.Tests.ModelVerification;

/// <summary>
/// The verification Job of a signed pvc:// model on the real control plane (<c>AIBASELINE_E2E_KUBECONFIG</c>), in a
/// namespace that enforces and warns on the restricted Pod Security Standard. There is no kubelet: the Job controller
/// runs and creates the Pod, and the test plays the kubelet by writing the Pod's status (a terminated container and
/// its termination message, as <c>verify-model --result-file /dev/termination-log</c> leaves it).
/// </summary>
public sealed class PvcVerificationJobRealClusterTests(RealCluster cluster) : IClassFixture<RealCluster>
{
    private const string Chat = "llama-chat";
    private const string Claim = "model-weights";
    private const string Image = "ghcr.io/acme/aibaseline:test";
    private const string ManifestDigest = "sha256:61d4849d9d90076d6215f4d525f13d6574af8e3f67aef3e6f36fc40a14fdd226";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_pvc_model_is_verified_by_a_restricted_Job_whose_result_reaches_status_and_is_run_again_when_the_signature_or_claim_changes()
    {
        await using var ns = await RestrictedNamespaceAsync();
        await using var run = await StartAsync(ns, TimeSpan.FromSeconds(600));

        // The Job is admitted with no Pod Security warning, and the Job controller's Pod passes enforce=restricted.
        var job = await JobAsync(ns, null);
        Assert.Equal(["dotnet", "/app/aibaseline.dll", "verify-model", "/models/llama", "--signature", "/models/llama/model.sig", "--trust-policy-env", VerificationJob.TrustVariable,
            "--source", $"pvc://{Claim}/llama", "--result-file", "/dev/termination-log"], job.Spec.Template.Spec.Containers[0].Command);
        Assert.Equal(Chat, job.Metadata.OwnerReferences.Single().Name);
        using var kubectl = new Kubectl(cluster.KubeconfigPath);
        var copy = KubernetesJson.Deserialize<V1Job>(KubernetesJson.Serialize(job));
        (copy.ApiVersion, copy.Kind) = ("batch/v1", "Job");
        copy.Metadata = new V1ObjectMeta { Name = job.Metadata.Name + "-copy", NamespaceProperty = ns.Name };
        copy.Spec.Selector = null;
        copy.Spec.Template.Metadata.Labels = null;
        var file = Path.Combine(kubectl.Directory, "job.json");
        await File.WriteAllTextAsync(file, KubernetesJson.Serialize(copy), Encoding.UTF8, Ct);
        var dryRun = kubectl.Run("create", "--dry-run=server", "-f", file);
        dryRun.Succeeded();
        Assert.DoesNotContain("Warning", dryRun.Stderr, StringComparison.Ordinal);
        var pod = await PodAsync(ns, job.Metadata.Name);
        await ModelIsAsync(ns, m => m.Reason == VerificationJobOutcome.RunningReason, "Unknown while the Job runs");

        // The kubelet's part: the container exits 0 with the verifier's line; the Job completes and the model is verified.
        await TerminateAsync(ns, pod, 0, $$"""{"outcome":"Verified","reason":"Verified","signer":"acme-model-ca, CN=Acme","manifestDigest":"{{ManifestDigest}}","message":"pvc://{{Claim}}/llama: verified"}""");
        var verified = await ModelIsAsync(ns, m => m.VerifiedAt is not null, "verified");
        Assert.Equal(("acme-model-ca, CN=Acme", ManifestDigest, null), (verified.Signer, verified.ManifestDigest, verified.Reason));
        Assert.Equal("True", (await ns.ConditionAsync(Chat, ConditionTypes.ModelIntegrityVerified))!.Status);

        // Another signature: the finished Job is removed and a new one verifies; a file that differs is NotMet naming it.
        await PatchSignatureAsync(ns, "model-v2.sig");
        var second = await JobAsync(ns, job.Metadata.Name);
        Assert.Contains("/models/llama/model-v2.sig", second.Spec.Template.Spec.Containers[0].Command);
        await ns.EventuallyAsync(async () => (await ns.Client.BatchV1.ListNamespacedJobAsync(ns.Name, cancellationToken: Ct)).Items.All(j => j.Metadata.Name != job.Metadata.Name || j.Metadata.DeletionTimestamp is not null), "the first Job is removed");
        await TerminateAsync(ns, await PodAsync(ns, second.Metadata.Name), 1, $$"""{"outcome":"Failed","reason":"{{ModelVerifier.FileMismatch}}","signer":"acme-model-ca, CN=Acme","message":"pvc://{{Claim}}/llama: file signme-1 has digest sha256:00 but the signature says sha256:11"}""");
        var failed = await ModelIsAsync(ns, m => m.Reason == ModelVerifier.FileMismatch, "NotMet naming the file");
        Assert.Null(failed.VerifiedAt);
        var condition = (await ns.ConditionAsync(Chat, ConditionTypes.ModelIntegrityVerified))!;
        Assert.Equal(("False", ModelVerifier.FileMismatch), (condition.Status, condition.Reason));
        Assert.Contains("file signme-1 has digest", condition.Message, StringComparison.Ordinal);

        // The claim changes (a new resourceVersion): its files may have, so they are verified again.
        var claimPatch = """{"metadata":{"labels":{"weights":"v2"}}}""";
        await ns.Client.CoreV1.PatchNamespacedPersistentVolumeClaimAsync(new V1Patch(claimPatch, V1Patch.PatchType.MergePatch), Claim, ns.Name, cancellationToken: Ct);
        var third = await JobAsync(ns, second.Metadata.Name);
        Assert.NotEqual(third.Metadata.Annotations[VerificationJob.HashAnnotation], second.Metadata.Annotations[VerificationJob.HashAnnotation]);
        await ModelIsAsync(ns, m => m.Reason == VerificationJobOutcome.RunningReason, "Unknown while the new Job runs");
    }

    [Fact]
    public async Task A_Job_past_its_deadline_leaves_the_model_Unknown_saying_so()
    {
        await using var ns = await RestrictedNamespaceAsync();
        await using var run = await StartAsync(ns, TimeSpan.FromSeconds(3));

        var job = await JobAsync(ns, null);
        Assert.Equal(3, job.Spec.ActiveDeadlineSeconds);
        var model = await ModelIsAsync(ns, m => m.Reason == VerificationJobOutcome.DeadlineExceededReason, "Unknown past the deadline");
        Assert.Null(model.VerifiedAt);
        var condition = (await ns.ConditionAsync(Chat, ConditionTypes.ModelIntegrityVerified))!;
        Assert.Equal(("Unknown", VerificationJobOutcome.DeadlineExceededReason), (condition.Status, condition.Reason));
        Assert.Contains("did not finish within activeDeadlineSeconds 3", condition.Message, StringComparison.Ordinal);
    }

    /// <summary>A scenario namespace that enforces and warns on restricted, with the claim, the profile trusting a CA for models, and the compliant example's model on the claim.</summary>
    private async Task<ScenarioNamespace> RestrictedNamespaceAsync()
    {
        var ns = await ScenarioNamespace.CreateAsync(cluster);
        var labels = """{"metadata":{"labels":{"pod-security.kubernetes.io/enforce":"restricted","pod-security.kubernetes.io/warn":"restricted"}}}""";
        await ns.Client.CoreV1.PatchNamespaceAsync(new V1Patch(labels, V1Patch.PatchType.MergePatch), ns.Name, cancellationToken: Ct);
        await ns.Client.CoreV1.CreateNamespacedPersistentVolumeClaimAsync(
            new V1PersistentVolumeClaim
            {
                Metadata = new V1ObjectMeta { Name = Claim },
                Spec = new V1PersistentVolumeClaimSpec
                {
                    AccessModes = ["ReadWriteOnce"],
                    Resources = new V1VolumeResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["storage"] = new("1Gi") } },
                },
            },
            ns.Name,
            cancellationToken: Ct);
        var objects = Manifests.Example("profiles", ns.Name, ns.Profile).Concat(Manifests.Example("llm-inference-compliant", ns.Name, ns.Profile)).ToList();
        foreach (var profile in objects.OfType<BaselineProfile>())
        {
            profile.Spec.Models.AllowedSchemes = ["oci", "pvc"];
            profile.Spec.Models.Trust = new ModelTrustPolicy { CertificateChains = [new CertificateChain { Name = "acme-model-ca", Certificates = File.ReadAllText(SigstoreVectors.KeyFile("ca-cert.pem")) }] };
        }

        var model = objects.OfType<AIModelDeployment>().Single().Spec.Models![0];
        (model.Source, model.Digest, model.Signature) = ($"pvc://{Claim}/llama", ManifestDigest, "model.sig");
        await ns.CreateAsync(objects);
        return ns;
    }

    private static async Task<OperatorRunScope> StartAsync(ScenarioNamespace ns, TimeSpan deadline)
    {
        var host = new OperatorHost(
            new OperatorSettings
            {
                Namespaces = [ns.Name], Identity = "operator-0", MetricsBindAddress = "0", HealthProbeBindAddress = "0", MaxConcurrentReconciles = 2,
                ModelVerificationImage = Image, ModelVerificationDeadline = deadline,
            },
            ns.Target.Configuration(),
            NullLoggerFactory.Instance,
            TimeProvider.System,
            new FakeVerifier(_ => throw new InvalidOperationException("this profile asks for no image verification")),
            models: new OciModelVerifier(new RegistryClient(new RegistryClientOptions(), TimeProvider.System), TimeProvider.System));
        var scope = new OperatorRunScope(host);
        await Waiting.UntilAsync(() => Task.FromResult(host.Manager.IsReady), ns.Target.Patience, "operator synced its caches");
        return scope;
    }

    /// <summary>The verification Job other than <paramref name="besides"/> (the one it replaces).</summary>
    private static async Task<V1Job> JobAsync(ScenarioNamespace ns, string? besides)
    {
        V1Job? found = null;
        await ns.EventuallyAsync(
            async () =>
            {
                var jobs = await ns.Client.BatchV1.ListNamespacedJobAsync(ns.Name, labelSelector: VerificationJob.Selector, cancellationToken: Ct);
                found = jobs.Items.FirstOrDefault(j => j.Metadata.Name != besides && j.Metadata.DeletionTimestamp is null);
                return found is not null;
            },
            "a verification Job");
        return found!;
    }

    /// <summary>The Pod the Job controller created for the Job, admitted under enforce=restricted.</summary>
    private static async Task<V1Pod> PodAsync(ScenarioNamespace ns, string job)
    {
        V1Pod? pod = null;
        await ns.EventuallyAsync(
            async () =>
            {
                pod = (await ns.Client.CoreV1.ListNamespacedPodAsync(ns.Name, labelSelector: $"batch.kubernetes.io/job-name={job}", cancellationToken: Ct)).Items.FirstOrDefault();
                return pod is not null;
            },
            $"the Pod of Job {job}");
        return pod!;
    }

    /// <summary>Writes the Pod's status as a kubelet would when its container has exited.</summary>
    private static async Task TerminateAsync(ScenarioNamespace ns, V1Pod pod, int exitCode, string message)
    {
        var now = DateTime.UtcNow;
        pod = await ns.Client.CoreV1.ReadNamespacedPodAsync(pod.Metadata.Name, ns.Name, cancellationToken: Ct);
        pod.Status = new V1PodStatus
        {
            Phase = exitCode == 0 ? "Succeeded" : "Failed",
            StartTime = now,
            ContainerStatuses =
            [
                new V1ContainerStatus
                {
                    Name = VerificationJob.Container, Image = Image, ImageID = Image, Ready = false, RestartCount = 0,
                    State = new V1ContainerState { Terminated = new V1ContainerStateTerminated { ExitCode = exitCode, Message = message, Reason = exitCode == 0 ? "Completed" : "Error", StartedAt = now, FinishedAt = now } },
                },
            ],
        };
        await ns.Client.CoreV1.ReplaceNamespacedPodStatusAsync(pod, pod.Metadata.Name, ns.Name, cancellationToken: Ct);
    }

    private static async Task PatchSignatureAsync(ScenarioNamespace ns, string signature)
    {
        var patch = $$"""[{"op":"replace","path":"/spec/models/0/signature","value":"{{signature}}"}]""";
        await ns.Client.CustomObjects.PatchNamespacedCustomObjectAsync(
            new V1Patch(patch, V1Patch.PatchType.JsonPatch), ApiGroup.Group, ApiGroup.Version, ns.Name, ApiGroup.AIModelDeploymentPlural, Chat, cancellationToken: Ct);
    }

    private static async Task<ModelStatus> ModelIsAsync(ScenarioNamespace ns, Func<ModelStatus, bool> test, string what)
    {
        ModelStatus? model = null;
        await ns.EventuallyAsync(
            async () =>
            {
                model = (await ns.GetAsync(Chat))?.Status?.Models?.SingleOrDefault();
                return model is not null && test(model);
            },
            $"status.models[0] {what}");
        return model!;
    }

    /// <summary>Runs the operator until disposed.</summary>
    private sealed class OperatorRunScope : IAsyncDisposable
    {
        private readonly OperatorHost host;
        private readonly CancellationTokenSource stop = new();
        private readonly Task<int> run;

        public OperatorRunScope(OperatorHost host)
        {
            this.host = host;
            run = Task.Run(() => host.RunAsync(stop.Token), Ct);
        }

        public async ValueTask DisposeAsync()
        {
            await stop.CancelAsync();
            await run;
            stop.Dispose();
            host.Dispose();
        }
    }
}
