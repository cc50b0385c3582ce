using System.Security.Cryptography;
using System.Text;
using AiBaseline.Api.V1Alpha1;
using k8s.Models;

namespace AiBaseline.Operator.ModelVerification;

/// <summary>How the operator runs verification Jobs: <c>--model-verification-image</c> and its bounds.</summary>
/// <param name="Image">The operator's own image, whose <c>verify-model</c> the Job runs.</param>
/// <param name="Deadline">activeDeadlineSeconds: past it the Job fails and the model is Unknown.</param>
internal sealed record VerificationJobSettings(string Image, TimeSpan Deadline)
{
    /// <summary>How long a finished Job stays for <c>kubectl logs</c>; the operator keeps its result in memory.</summary>
    public TimeSpan KeepFinished { get; init; } = TimeSpan.FromHours(1);

    public string CpuRequest { get; init; } = "100m";

    public string CpuLimit { get; init; } = "1";

    public string MemoryRequest { get; init; } = "128Mi";

    public string MemoryLimit { get; init; } = "512Mi";
}

/// <summary>A pvc:// model to verify: where its files are on the claim and what it must be verified against.</summary>
/// <param name="Claim">The PersistentVolumeClaim's name.</param>
/// <param name="ClaimVersion">The claim's uid and resourceVersion: a claim recreated or changed is verified again.</param>
/// <param name="ModelPath">The model's path inside the volume ("" for the whole volume).</param>
/// <param name="SignaturePath">The signature's path inside the volume.</param>
/// <param name="IgnorePaths">spec.models[].ignorePaths, relative to the model.</param>
/// <param name="TrustJson">The profile's spec.models.trust as JSON.</param>
internal sealed record VerificationTarget(string Claim, string ClaimVersion, string ModelPath, string SignaturePath, IReadOnlyList<string> IgnorePaths, string TrustJson)
{
    /// <summary>What a Job verifies, as a hash: the Job is run again only when this changes.</summary>
    public string Hash()
    {
        var text = string.Join('\0', [Claim, ClaimVersion, ModelPath, SignaturePath, string.Join('\n', IgnorePaths), TrustJson]);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    /// <summary>
    /// The target of a pvc://CLAIM/PATH model whose signature is a path relative to the model's directory, or a
    /// pvc:// URI on the same claim; null with why not otherwise.
    /// </summary>
    public static (VerificationTarget? Target, string? Why) Of(ModelArtifact model, string claimVersion, string trustJson)
    {
        var (claim, path) = SplitPvc(model.Source);
        if (claim is null)
        {
            return (null, $"{model.Source}: a pvc:// source names a claim: pvc://CLAIM/PATH");
        }

        var signature = model.Signature!.Trim();
        string signaturePath;
        if (signature.StartsWith(PvcScheme, StringComparison.OrdinalIgnoreCase))
        {
            var (sigClaim, sigPath) = SplitPvc(signature);
            if (!string.Equals(sigClaim, claim, StringComparison.Ordinal))
            {
                return (null, $"signature {signature} is on another claim than {model.Source}: keep model.sig on the model's volume");
            }

            signaturePath = sigPath;
        }
        else if (signature.Contains("://", StringComparison.Ordinal))
        {
            return (null, $"signature {signature}: a pvc:// model's signature is a path on its volume, such as model.sig");
        }
        else
        {
            signaturePath = string.Join('/', new[] { path, signature.TrimStart('/') }.Where(p => p.Length > 0));
        }

        var segments = (path + "/" + signaturePath).Split('/');
        if (segments.Contains("..") || (model.IgnorePaths ?? []).Any(p => p.Split('/').Contains("..")))
        {
            return (null, $"{model.Source}: paths must stay inside the volume (no ..)");
        }

        return (new VerificationTarget(claim, claimVersion, path, signaturePath, [.. (model.IgnorePaths ?? []).Where(p => !string.IsNullOrWhiteSpace(p))], trustJson), null);
    }

    /// <summary>The claim and the path inside it of a pvc:// URI; a null claim when there is none.</summary>
    public static (string? Claim, string Path) SplitPvc(string uri)
    {
        if (!uri.StartsWith(PvcScheme, StringComparison.OrdinalIgnoreCase))
        {
            return (null, "");
        }

        var rest = uri[PvcScheme.Length..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var claim = slash < 0 ? rest : rest[..slash];
        return (claim.Length == 0 ? null : claim, slash < 0 ? "" : rest[(slash + 1)..].Trim('/'));
    }

    private const string PvcScheme = "pvc://";
}

/// <summary>
/// The Job that verifies one pvc:// model: the claim mounted read-only at /models, the operator's image running
/// <c>verify-model</c> with the profile's trust policy, its result in the termination message. Bounded (deadline,
/// no retries, resource limits, removed an hour after it finishes), compliant with the restricted Pod Security
/// Standard, without a service account token, and owned by the AIModelDeployment that asked for it.
/// </summary>
internal static class VerificationJob
{
    /// <summary>Label on every verification Job; the operator watches Jobs with it.</summary>
    public const string Label = "aibaseline.io/model-verification";

    /// <summary>Label naming the claim (up to 63 characters; the annotation of the same name has it whole).</summary>
    public const string ClaimLabel = "aibaseline.io/claim";

    /// <summary>Label naming the deployment that asked for the Job.</summary>
    public const string DeploymentLabel = "aibaseline.io/deployment";

    /// <summary>Annotation holding <see cref="VerificationTarget.Hash"/>.</summary>
    public const string HashAnnotation = "aibaseline.io/verification-hash";

    /// <summary>Annotation holding the model's source as the deployment names it.</summary>
    public const string SourceAnnotation = "aibaseline.io/model-source";

    /// <summary>The environment variable the trust policy is passed in.</summary>
    public const string TrustVariable = "AIBASELINE_MODEL_TRUST";

    /// <summary>Where the claim is mounted.</summary>
    public const string MountPath = "/models";

    public const string Container = "verify-model";

    /// <summary>The label selector of the operator's verification Jobs.</summary>
    public static string Selector => $"{Label}=true";

    /// <summary>The Job's name: the claim (shortened) and the hash, so a Job for the same inputs is found again by name.</summary>
    public static string NameOf(VerificationTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        var claim = target.Claim.Length > 30 ? target.Claim[..30].TrimEnd('-', '.') : target.Claim;
        return $"verify-{claim.Replace('.', '-')}-{target.Hash()[..12]}";
    }

    public static V1Job Build(AIModelDeployment deployment, ModelArtifact model, VerificationTarget target, VerificationJobSettings settings)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(settings);
        var labels = new Dictionary<string, string>
        {
            [Label] = "true",
            ["app.kubernetes.io/managed-by"] = "aibaseline",
            [ClaimLabel] = LabelValue(target.Claim),
            [DeploymentLabel] = LabelValue(deployment.Metadata.Name),
        };
        string[] args =
        [
            "dotnet", "/app/aibaseline.dll", "verify-model", Path.Join(MountPath, target.ModelPath).TrimEnd('/'),
            "--signature", $"{MountPath}/{target.SignaturePath}",
            "--trust-policy-env", TrustVariable,
            "--source", model.Source,
            "--result-file", "/dev/termination-log",
            .. target.IgnorePaths.SelectMany(p => new[] { "--ignore-paths", p }),
        ];
        return new V1Job
        {
            ApiVersion = "batch/v1",
            Kind = "Job",
            Metadata = new V1ObjectMeta
            {
                Name = NameOf(target),
                NamespaceProperty = deployment.Metadata.NamespaceProperty,
                Labels = labels,
                Annotations = new Dictionary<string, string> { [HashAnnotation] = target.Hash(), [ClaimLabel] = target.Claim, [SourceAnnotation] = model.Source },
                OwnerReferences =
                [
                    new V1OwnerReference { ApiVersion = ApiGroup.GroupVersion, Kind = ApiGroup.AIModelDeploymentKind, Name = deployment.Metadata.Name, Uid = deployment.Metadata.Uid, BlockOwnerDeletion = false, Controller = true },
                ],
            },
            Spec = new V1JobSpec
            {
                BackoffLimit = 0,
                ActiveDeadlineSeconds = (long)settings.Deadline.TotalSeconds,
                TtlSecondsAfterFinished = (int)settings.KeepFinished.TotalSeconds,
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = labels },
                    Spec = new V1PodSpec
                    {
                        RestartPolicy = "Never",
                        AutomountServiceAccountToken = false,
                        EnableServiceLinks = false,
                        SecurityContext = new V1PodSecurityContext
                        {
                            RunAsNonRoot = true,
                            RunAsUser = 65532,
                            RunAsGroup = 65532,
                            SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
                        },
                        Containers =
                        [
                            new V1Container
                            {
                                Name = Container,
                                Image = settings.Image,
                                Command = args,
                                Env =
                                [
                                    new V1EnvVar { Name = TrustVariable, Value = target.TrustJson },
                                    // The root filesystem is read-only: no diagnostics socket in /tmp.
                                    new V1EnvVar { Name = "DOTNET_EnableDiagnostics", Value = "0" },
                                ],
                                TerminationMessagePath = "/dev/termination-log",
                                TerminationMessagePolicy = "File",
                                Resources = new V1ResourceRequirements
                                {
                                    Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new(settings.CpuRequest), ["memory"] = new(settings.MemoryRequest) },
                                    Limits = new Dictionary<string, ResourceQuantity> { ["cpu"] = new(settings.CpuLimit), ["memory"] = new(settings.MemoryLimit) },
                                },
                                SecurityContext = new V1SecurityContext
                                {
                                    AllowPrivilegeEscalation = false,
                                    Privileged = false,
                                    ReadOnlyRootFilesystem = true,
                                    RunAsNonRoot = true,
                                    Capabilities = new V1Capabilities { Drop = ["ALL"] },
                                    SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
                                },
                                VolumeMounts = [new V1VolumeMount { Name = "model", MountPath = MountPath, ReadOnlyProperty = true }],
                            },
                        ],
                        Volumes =
                        [
                            new V1Volume
                            {
                                Name = "model",
                                PersistentVolumeClaim = new V1PersistentVolumeClaimVolumeSource { ClaimName = target.Claim, ReadOnlyProperty = true },
                            },
                        ],
                    },
                },
            },
        };
    }

    private static string LabelValue(string value) => value.Length <= 63 ? value : value[..63].TrimEnd('-', '.', '_');
}
