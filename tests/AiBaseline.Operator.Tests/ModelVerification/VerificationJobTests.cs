using AiBaseline.Api.V1Alpha1;
using AiBaseline.Engine;
using AiBaseline.Operator.ModelVerification;
using AiBaseline.Verification;
using k8s.Models;

namespace AiBaseline.Operator.Tests.ModelVerification;

/// <summary>The verification Job of a pvc:// model as built, what it is re-run for, and how its result is read back.</summary>
public sealed class VerificationJobTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 9, 0, 0, TimeSpan.Zero);
    private static readonly VerificationJobSettings Settings = new("ghcr.io/acme/aibaseline:1.2.3", TimeSpan.FromMinutes(10));

    [Fact]
    public void The_Job_mounts_the_claim_read_only_runs_verify_model_bounded_and_meets_restricted_PodSecurity()
    {
        var model = Model("pvc://weights/models/llama", "model.sig", ["README.md", "cache"]);
        var job = VerificationJob.Build(Deployment(), model, Target(model), Settings);

        Assert.Equal(("serving", "llama-chat"), (job.Metadata.NamespaceProperty, job.Metadata.OwnerReferences.Single().Name));
        Assert.True(job.Metadata.OwnerReferences.Single().Controller);
        Assert.Equal(("true", "weights", "llama-chat"), (job.Metadata.Labels[VerificationJob.Label], job.Metadata.Labels[VerificationJob.ClaimLabel], job.Metadata.Labels[VerificationJob.DeploymentLabel]));
        Assert.Equal((0, 600L, 3600), (job.Spec.BackoffLimit, job.Spec.ActiveDeadlineSeconds, job.Spec.TtlSecondsAfterFinished));
        var pod = job.Spec.Template.Spec;
        Assert.Equal(("Never", false), (pod.RestartPolicy, pod.AutomountServiceAccountToken));
        Assert.Equal((true, "RuntimeDefault"), (pod.SecurityContext.RunAsNonRoot, pod.SecurityContext.SeccompProfile.Type));
        var container = Assert.Single(pod.Containers);
        Assert.Equal(Settings.Image, container.Image);
        Assert.Equal(
            ["dotnet", "/app/aibaseline.dll", "verify-model", "/models/models/llama", "--signature", "/models/models/llama/model.sig", "--trust-policy-env", "AIBASELINE_MODEL_TRUST",
                "--source", "pvc://weights/models/llama", "--result-file", "/dev/termination-log", "--ignore-paths", "README.md", "--ignore-paths", "cache"],
            container.Command);
        Assert.Equal("""{"publicKeys":[]}""", container.Env.Single(e => e.Name == VerificationJob.TrustVariable).Value);
        var security = container.SecurityContext;
        Assert.Equal((false, true, true), (security.AllowPrivilegeEscalation, security.ReadOnlyRootFilesystem, security.RunAsNonRoot));
        Assert.Equal(["ALL"], security.Capabilities.Drop);
        Assert.Equal(("512Mi", "1"), (container.Resources.Limits["memory"].ToString(), container.Resources.Limits["cpu"].ToString()));
        Assert.True(container.VolumeMounts.Single().ReadOnlyProperty);
        Assert.Equal(("weights", true), (pod.Volumes.Single().PersistentVolumeClaim.ClaimName, pod.Volumes.Single().PersistentVolumeClaim.ReadOnlyProperty));
    }

    [Theory]
    [InlineData("the claim was recreated or changed")]
    [InlineData("another signature")]
    [InlineData("another trust policy")]
    [InlineData("other ignore paths")]
    [InlineData("another model on the claim")]
    public void A_change_of_what_is_verified_names_another_Job(string why)
    {
        var target = Target(Model("pvc://weights/models/llama", "model.sig", []));
        var changed = why switch
        {
            "the claim was recreated or changed" => target with { ClaimVersion = "uid-1/42" },
            "another signature" => target with { SignaturePath = "models/llama/v2.sig" },
            "another trust policy" => target with { TrustJson = """{"publicKeys":[{"name":"k"}]}""" },
            "other ignore paths" => target with { IgnorePaths = ["README.md"] },
            _ => target with { ModelPath = "models/mistral" },
        };
        Assert.NotEqual(target.Hash(), changed.Hash());
        Assert.True(VerificationJob.NameOf(target) != VerificationJob.NameOf(changed), why);
        Assert.Equal(VerificationJob.NameOf(target), VerificationJob.NameOf(Target(Model("pvc://weights/models/llama", "model.sig", []))));
    }

    [Theory]
    [InlineData("pvc://weights/llama", "pvc://weights/llama/model.sig", "llama/model.sig", "a pvc:// URI on the same claim")]
    [InlineData("pvc://weights", "model.sig", "model.sig", "the whole volume")]
    [InlineData("pvc://weights/llama/", "/model.sig", "llama/model.sig", "slashes trimmed")]
    public void The_signature_is_found_on_the_models_volume(string source, string signature, string path, string why)
    {
        var (target, reason) = VerificationTarget.Of(Model(source, signature, []), "uid/1", "{}");
        Assert.True(target?.SignaturePath == path, $"{why}: {target?.SignaturePath} {reason}");
    }

    [Theory]
    [InlineData("pvc://weights/llama", "pvc://other/model.sig", "is on another claim")]
    [InlineData("pvc://weights/llama", "oci://r.example/sig", "is a path on its volume")]
    [InlineData("pvc://weights/llama", "../../etc/model.sig", "inside the volume")]
    [InlineData("pvc:///llama", "model.sig", "names a claim")]
    public void A_signature_the_Job_cannot_reach_is_refused_saying_why(string source, string signature, string expected)
    {
        var (target, why) = VerificationTarget.Of(Model(source, signature, []), "uid/1", "{}");
        Assert.Null(target);
        Assert.Contains(expected, why, StringComparison.Ordinal);
    }

    public static TheoryData<string, V1Job, V1Pod[], VerificationOutcome?, string?> Outcomes => new()
    {
        { "still running", Job(), [], null, null },
        { "verified by the verifier's line", Job(("Complete", null)), [Pod(0, Line(VerificationOutcome.Verified, "Verified"))], VerificationOutcome.Verified, "Verified" },
        { "a file differs", Job(("Failed", "BackoffLimitExceeded")), [Pod(1, Line(VerificationOutcome.Failed, "FileMismatch"))], VerificationOutcome.Failed, "FileMismatch" },
        { "out of time", Job(("Failed", "DeadlineExceeded")), [], VerificationOutcome.Unavailable, VerificationJobOutcome.DeadlineExceededReason },
        { "crashed without a line", Job(("Failed", "BackoffLimitExceeded")), [Pod(139, "")], VerificationOutcome.Unavailable, VerificationJobOutcome.JobFailedReason },
        { "completed with garbage", Job(("Complete", null)), [Pod(0, "not json")], VerificationOutcome.Unavailable, VerificationJobOutcome.JobFailedReason },
    };

    [Theory]
    [MemberData(nameof(Outcomes))]
    public void A_finished_Job_is_read_from_its_condition_and_termination_message(string why, V1Job job, V1Pod[] pods, VerificationOutcome? outcome, string? reason)
    {
        var result = VerificationJobOutcome.Read(job, pods, "pvc://weights/llama", Now);
        Assert.True((result?.Outcome, result?.Reason) == (outcome, reason), $"{why}: {result?.Outcome} {result?.Reason} {result?.Message}");
    }

    [Fact]
    public void An_unschedulable_Pod_is_named_when_the_deadline_passes()
    {
        var pod = new V1Pod { Status = new V1PodStatus { Conditions = [new V1PodCondition { Type = "PodScheduled", Status = "False", Message = "0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims" }] } };
        var result = VerificationJobOutcome.Read(Job(("Failed", "DeadlineExceeded")), [pod], "pvc://weights/llama", Now)!;
        Assert.Contains("did not finish within activeDeadlineSeconds 600 (its Pod was never scheduled: 0/3 nodes are available", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_long_message_is_shortened_so_the_line_fits_a_termination_message()
    {
        var outcome = new ArtifactVerification("pvc://weights/llama", "sha256:ab", VerificationOutcome.Failed, "UntrustedSigner", new string('é', 5000), [], [], Now);
        var line = ModelResultLine.Format(outcome);
        Assert.InRange(System.Text.Encoding.UTF8.GetByteCount(line), 3000, ModelResultLine.MaxBytes);
        var back = ModelResultLine.Parse(line, "pvc://weights/llama", Now)!;
        Assert.Equal((VerificationOutcome.Failed, "UntrustedSigner", "sha256:ab"), (back.Outcome, back.Reason, back.Digest));
        Assert.EndsWith("…", back.Message, StringComparison.Ordinal);
    }

    private static string Line(VerificationOutcome outcome, string reason) =>
        ModelResultLine.Format(new ArtifactVerification("pvc://weights/llama", "sha256:ab", outcome, reason, "m", outcome == VerificationOutcome.Verified ? ["acme"] : [], [], Now));

    private static V1Job Job(params (string Type, string? Reason)[] conditions) => new()
    {
        Metadata = new V1ObjectMeta { Name = "verify-weights-0123456789ab", NamespaceProperty = "serving" },
        Spec = new V1JobSpec { ActiveDeadlineSeconds = 600, Template = new V1PodTemplateSpec() },
        Status = new V1JobStatus { Conditions = [.. conditions.Select(c => new V1JobCondition { Type = c.Type, Status = "True", Reason = c.Reason })] },
    };

    private static V1Pod Pod(int exitCode, string message) => new()
    {
        Status = new V1PodStatus
        {
            ContainerStatuses = [new V1ContainerStatus { Name = VerificationJob.Container, State = new V1ContainerState { Terminated = new V1ContainerStateTerminated { ExitCode = exitCode, Message = message } } }],
        },
    };

    private static ModelArtifact Model(string source, string signature, List<string> ignore) =>
        new() { Name = "llama", Source = source, Signature = signature, IgnorePaths = ignore };

    private static VerificationTarget Target(ModelArtifact model) => VerificationTarget.Of(model, "uid-0/7", """{"publicKeys":[]}""").Target!;

    private static AIModelDeployment Deployment() => new()
    {
        Metadata = new V1ObjectMeta { Name = "llama-chat", NamespaceProperty = "serving", Uid = "d-uid" },
        Spec = new AIModelDeploymentSpec(),
    };
}
