using AiBaseline.Api.V1Alpha1;
using k8s.Models;
using static AiBaseline.Operator.Tests.Admission.AdmissionFixtures;

namespace AiBaseline.Operator.Tests.Admission;

/// <summary>Each check the webhook runs on the incoming object, denied under Enforce, and the kinds it governs.</summary>
public sealed class AdmissionChecksTests
{
    private readonly AdmissionFixtures cluster = new();

    public static TheoryData<string, string, string> Violations => new()
    {
        { "untrusted registry", "UntrustedRegistry", "is not under spec.images.trustedRegistries" },
        { "literal credential", "LiteralCredential", "container server: env OPENAI_API_KEY holds an OpenAI API key; move it to a Secret" },
        { "privileged container", "BaselineViolated", "privileged" },
        { "runs as root", "RestrictedViolated", "runAsNonRoot" },
        { "token automounted", "ServiceAccountTokenMounted", "set spec.template.spec.automountServiceAccountToken: false" },
    };

    [Theory]
    [MemberData(nameof(Violations))]
    public async Task Enforce_denies_each_check_with_its_reason_and_fix(string change, string reason, string expected)
    {
        cluster.Governed(ProfileMode.Enforce);
        var pod = CompliantPod();
        var container = pod.Containers[0];
        switch (change)
        {
            case "untrusted registry":
                container.Image = "ghcr.io/someone/server@" + Digest;
                break;
            case "literal credential":
                container.Env = [new V1EnvVar { Name = "OPENAI_API_KEY", Value = "sk-proj-" + new string('a', 48) }];
                break;
            case "privileged container":
                container.SecurityContext.Privileged = true;
                break;
            case "runs as root":
                pod.SecurityContext.RunAsNonRoot = null;
                break;
            case "token automounted":
                pod.AutomountServiceAccountToken = null;
                break;
        }

        var answer = await cluster.SendAsync(Review("CREATE", "apps", "Deployment", Deployment(pod)));

        Assert.False(answer.Allowed, change);
        Assert.Contains(reason, answer.Message);
        Assert.Contains(expected, answer.Message);
        Assert.DoesNotContain("sk-proj-", answer.Message);
    }

    [Fact]
    public async Task A_ServiceAccount_that_turns_the_token_off_is_read_from_the_cache()
    {
        cluster.Governed(ProfileMode.Enforce);
        cluster.State.ServiceAccounts.Add(new V1ServiceAccount { Metadata = new V1ObjectMeta { Name = "default", NamespaceProperty = Ns }, AutomountServiceAccountToken = false });
        var pod = CompliantPod();
        pod.AutomountServiceAccountToken = null;

        var answer = await cluster.SendAsync(Review("CREATE", "apps", "Deployment", Deployment(pod)));

        Assert.True(answer.Allowed, answer.Message);
    }

    [Fact]
    public async Task A_Secret_that_does_not_exist_yet_is_not_a_reason_to_deny()
    {
        cluster.Governed(ProfileMode.Enforce);
        var pod = CompliantPod();
        pod.Containers[0].Env = [new V1EnvVar { Name = "HF_TOKEN", ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = "hf", Key = "token" } } }];

        var answer = await cluster.SendAsync(Review("CREATE", "apps", "Deployment", Deployment(pod)));

        Assert.True(answer.Allowed, "a GitOps tool may create the Secret after the Deployment: " + answer.Message);
    }

    [Fact]
    public async Task A_StatefulSet_is_judged_like_a_Deployment()
    {
        cluster.Governed(ProfileMode.Enforce, kind: WorkloadKind.StatefulSet);
        var set = new V1StatefulSet
        {
            ApiVersion = "apps/v1",
            Kind = "StatefulSet",
            Metadata = new V1ObjectMeta { Name = "llama", NamespaceProperty = Ns },
            Spec = new V1StatefulSetSpec { Template = new V1PodTemplateSpec { Spec = CompliantPod(TaggedImage) }, Selector = new V1LabelSelector() },
        };

        var answer = await cluster.SendAsync(Review("CREATE", "apps", "StatefulSet", set));

        Assert.False(answer.Allowed);
        Assert.Contains("denies StatefulSet team-a/llama", answer.Message);
    }

    [Theory]
    [InlineData("ReplicaSet", "llama-5d8f7c9b6", "5d8f7c9b6", true, "the ReplicaSet of Deployment llama")]
    [InlineData("ReplicaSet", "other-5d8f7c9b6", "5d8f7c9b6", false, "the ReplicaSet of another Deployment")]
    [InlineData("ReplicaSet", "llama-5d8f7c9b6", null, false, "a ReplicaSet without the pod-template-hash label is not a Deployment's")]
    [InlineData("Job", "llama", null, false, "a Job's pods are not governed")]
    public async Task Pods_are_governed_through_their_controller(string ownerKind, string ownerName, string? hash, bool judged, string why)
    {
        cluster.Governed(ProfileMode.Enforce);
        var pod = new V1Pod
        {
            ApiVersion = "v1",
            Kind = "Pod",
            Metadata = new V1ObjectMeta
            {
                GenerateName = ownerName + "-",
                NamespaceProperty = Ns,
                Labels = hash is null ? null : new Dictionary<string, string> { ["pod-template-hash"] = hash },
                OwnerReferences = [new V1OwnerReference { ApiVersion = ownerKind == "Job" ? "batch/v1" : "apps/v1", Kind = ownerKind, Name = ownerName, Uid = "u", Controller = true }],
            },
            Spec = CompliantPod(TaggedImage),
        };

        var answer = await cluster.SendAsync(Review("CREATE", "", "Pod", pod, name: ""));

        Assert.True(judged != answer.Allowed, why);
        if (judged)
        {
            Assert.Contains("denies Pod team-a/llama-5d8f7c9b6-", answer.Message);
        }
    }

    [Fact]
    public async Task A_retired_deployment_scaled_to_zero_is_not_judged_for_its_pods()
    {
        cluster.Governed(ProfileMode.Enforce, stage: LifecycleStage.Retirement);
        var answer = await cluster.SendAsync(Review("CREATE", "apps", "Deployment", Deployment(CompliantPod(TaggedImage), replicas: 0)));

        Assert.True(answer.Allowed, answer.Message);
    }

    [Theory]
    [InlineData(null, "DigestMissing", "declare")]
    [InlineData("sha256:abc", "DigestMalformed", "sha256:abc")]
    public async Task Enforce_denies_an_AIModelDeployment_whose_models_are_not_pinned(string? digest, string reason, string expected)
    {
        cluster.Governed(ProfileMode.Enforce);
        var answer = await cluster.SendAsync(Review("CREATE", "aibaseline.io", "AIModelDeployment", ModelDeployment(modelDigest: digest)));

        Assert.False(answer.Allowed);
        Assert.StartsWith("aibaseline: BaselineProfile default (mode Enforce) denies AIModelDeployment team-a/llama: ModelIntegrity " + reason, answer.Message);
        Assert.Contains(expected, answer.Message);
    }

    [Fact]
    public async Task An_AIModelDeployment_with_pinned_models_is_admitted()
    {
        cluster.Governed(ProfileMode.Enforce);
        var answer = await cluster.SendAsync(Review("CREATE", "aibaseline.io", "AIModelDeployment", ModelDeployment()));

        Assert.True(answer.Allowed, answer.Message);
    }
}
