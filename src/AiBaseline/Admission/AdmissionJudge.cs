using System.Collections.Immutable;
using AiBaseline.Api.V1Alpha1;
using AiBaseline.Engine;
using AiBaseline.Engine.Controls;
using AiBaseline.Engine.Gathering;
using AiBaseline.Verification;
using k8s.Models;

namespace AiBaseline.Admission;

/// <summary>Whether a request was admitted, admitted with warnings, or refused.</summary>
internal enum AdmissionDecision
{
    Allowed,
    Warned,
    Denied,
}

/// <summary>The answer to one request.</summary>
/// <param name="Decision">Allowed, Warned (allowed, with warnings) or Denied.</param>
/// <param name="Message">Why it was denied and what to fix; null when allowed.</param>
/// <param name="Warnings">Shown by kubectl and Argo CD: what Enforce would deny, or what was admitted unverified.</param>
/// <param name="Findings">The controls that failed, as "Control (Reason)", for the event on the AIModelDeployment.</param>
internal sealed record AdmissionVerdict(AdmissionDecision Decision, string? Message, ImmutableArray<string> Warnings, ImmutableArray<string> Findings)
{
    public static AdmissionVerdict Allow { get; } = new(AdmissionDecision.Allowed, null, [], []);
}

/// <summary>
/// Judges the incoming object with the engine's own controls, the ones that read only the object: for a workload
/// (Deployment, StatefulSet, their Pods) ImageProvenance (digest pinning, trusted registries, signatures from the
/// verification cache), SecretsHandling (literal credentials, the service-account token) and RuntimeHardening (the Pod
/// Security level); for an AIModelDeployment ModelIntegrity (model digests, schemes, model signatures). What needs other
/// objects (NetworkPolicies, RBAC, evidence, whether a referenced Secret exists yet) is left to the operator's status, so
/// the order a GitOps tool applies objects in never matters. Pure: no IO, time from the caller.
/// </summary>
internal static class AdmissionJudge
{
    /// <summary>The most a warning holds: the API server may cut longer ones.</summary>
    public const int MaxWarningLength = 256;

    private static readonly ImmutableArray<IControl> WorkloadControls = [new ImageProvenanceControl(), new SecretsHandlingControl(), new RuntimeHardeningControl()];
    private static readonly ImmutableArray<IControl> ModelControls = [new ModelIntegrityControl()];

    /// <summary>Whether the profile asks for signatures or attestations, which only the verification cache can answer.</summary>
    public static bool NeedsProvenance(BaselineProfileSpec profile) =>
        profile.Images.RequiresProvenance();

    /// <summary>The references whose verification the judgement reads: the pod's images, or the deployment's oci:// models.</summary>
    public static ImmutableArray<string> ReferencesOf(AdmissionSubject subject) =>
        subject.IsModelDeployment
            ? [.. (subject.Deployment.Spec?.Models ?? []).Select(m => m.Source).Where(s => s is not null && s.StartsWith("oci://", StringComparison.OrdinalIgnoreCase)).Distinct(StringComparer.Ordinal)]
            : ProvenanceRun.ImagesOf(subject.Workload?.Template.Spec);

    /// <param name="subject">What is judged.</param>
    /// <param name="state">The caches, for the pods' ServiceAccount.</param>
    /// <param name="provenance">The verification cache's answers by reference; null when they did not come in time or the profile asks for none.</param>
    /// <param name="now">The time of the request.</param>
    public static AdmissionVerdict Judge(AdmissionSubject subject, IAdmissionState state, IReadOnlyDictionary<string, ArtifactVerification>? provenance, DateTimeOffset now)
    {
        var profile = subject.Profile.Spec;
        var pod = subject.Workload?.Template.Spec;
        var snapshot = new Snapshot
        {
            Deployment = subject.Deployment,
            Workload = subject.Workload,
            Secrets = subject.IsModelDeployment ? [] : ReferencedSecrets(pod),
            ServiceAccount = pod is null ? null : state.ServiceAccount(subject.Namespace, SnapshotAssembler.ServiceAccountName(pod)),
            Provenance = provenance?.ToImmutableDictionary(StringComparer.Ordinal),
        };
        var context = new EvaluationContext(snapshot, profile, now);
        var violations = new List<(IControl Control, ControlOutcome Outcome)>();
        var unverified = new List<(IControl Control, ControlOutcome Outcome)>();
        foreach (var control in subject.IsModelDeployment ? ModelControls : WorkloadControls)
        {
            var outcome = control.Evaluate(context);
            if (outcome.Result == ControlResult.NotMet)
            {
                violations.Add((control, outcome));
            }
            else if (outcome.Result == ControlResult.Unknown && IsAwaitingVerification(control, outcome))
            {
                unverified.Add((control, outcome));
            }
        }

        if (violations.Count == 0 && unverified.Count == 0)
        {
            return AdmissionVerdict.Allow;
        }

        var findings = violations.Concat(unverified).Select(v => $"{v.Control.Name} ({v.Outcome.Reason})").ToImmutableArray();
        var governed = subject.IsModelDeployment ? "" : $" (AIModelDeployment {subject.Namespace}/{subject.Deployment.Metadata?.Name})";
        var profileName = subject.Profile.Metadata?.Name;
        if (profile.Mode == ProfileMode.Audit)
        {
            return new AdmissionVerdict(
                AdmissionDecision.Warned,
                null,
                [.. violations.Concat(unverified).Select(v => Warning($"aibaseline: BaselineProfile {profileName} is in Audit mode; Enforce would deny {subject.Describe()}: {Finding(v)}"))],
                findings);
        }

        if (violations.Count > 0)
        {
            var message = $"aibaseline: BaselineProfile {profileName} (mode Enforce) denies {subject.Describe()}{governed}: {string.Join("; ", violations.Select(Finding))}";
            return new AdmissionVerdict(AdmissionDecision.Denied, message, [], findings);
        }

        var pending = string.Join("; ", unverified.Select(Finding));
        return profile.Admission.Unverified == UnverifiedAction.Deny
            ? new AdmissionVerdict(
                AdmissionDecision.Denied,
                $"aibaseline: BaselineProfile {profileName} (mode Enforce) denies {subject.Describe()}{governed} until its signatures are verified: {pending}. The operator is verifying them now; the request passes on retry once they verify (controllers retry Pods by themselves)",
                [],
                findings)
            : new AdmissionVerdict(
                AdmissionDecision.Warned,
                null,
                [Warning($"aibaseline: {subject.Describe()} admitted before its signatures were verified (BaselineProfile {profileName} sets admission.unverified: Allow); the operator's status reports the result: {pending}")],
                findings);
    }

    /// <summary>Signatures not checked yet, or a registry that did not answer: a retry can pass. A scheme nobody can verify cannot.</summary>
    private static bool IsAwaitingVerification(IControl control, ControlOutcome outcome) =>
        control is ImageProvenanceControl or ModelIntegrityControl && outcome.Reason != ModelIntegrityControl.NotVerifiableReason;

    private static string Finding((IControl Control, ControlOutcome Outcome) v) => $"{v.Control.Name} {v.Outcome.Reason}: {v.Outcome.Message}";

    private static string Warning(string text) => text.Length <= MaxWarningLength ? text : text[..(MaxWarningLength - 1)] + "…";

    /// <summary>
    /// Every Secret the pod names, taken to exist: whether it exists yet is for the operator's status, since a GitOps tool
    /// may create it a moment after the workload.
    /// </summary>
    private static ImmutableArray<SecretMetadata> ReferencedSecrets(V1PodSpec? pod)
    {
        if (pod is null)
        {
            return [];
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var container in (pod.InitContainers ?? []).Concat(pod.Containers ?? []))
        {
            foreach (var variable in container.Env ?? [])
            {
                Add(variable.ValueFrom?.SecretKeyRef?.Name);
            }

            foreach (var source in container.EnvFrom ?? [])
            {
                Add(source.SecretRef?.Name);
            }
        }

        foreach (var volume in pod.Volumes ?? [])
        {
            Add(volume.Secret?.SecretName);
            foreach (var projection in volume.Projected?.Sources ?? [])
            {
                Add(projection.Secret?.Name);
            }
        }

        return [.. names.Select(n => new SecretMetadata(n, null))];

        void Add(string? name)
        {
            if (!string.IsNullOrEmpty(name))
            {
                names.Add(name);
            }
        }
    }
}
