using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace AiBaseline.Api.V1Alpha1;

/// <summary>The desired state of an AI model deployment.</summary>
public sealed class AIModelDeploymentSpec
{
    /// <summary>Name of the cluster-scoped BaselineProfile whose settings apply. Defaults to "default".</summary>
    [JsonPropertyName("profile")]
    [DefaultValue(ApiGroup.DefaultProfileName)]
    public string? Profile { get; set; }

    /// <summary>Life-cycle stage of the model, one of the five phases of EN 304 223; it decides which provisions apply.</summary>
    [JsonPropertyName("stage")]
    [Required]
    public LifecycleStage Stage { get; set; }

    /// <summary>The workload, in the same namespace, that serves the model: any kind of <see cref="WorkloadKind"/>.</summary>
    [JsonPropertyName("workloadRef")]
    public WorkloadReference? WorkloadRef { get; set; }

    /// <summary>The model artifacts the workload loads, with the digests they must have.</summary>
    [JsonPropertyName("models")]
    public List<ModelArtifact>? Models { get; set; }

    /// <summary>The people or teams responsible for the model (EN 304 223 principle 4, human responsibility).</summary>
    [JsonPropertyName("owners")]
    public List<Owner>? Owners { get; set; }

    /// <summary>Dated references to documents only a person can judge: model card, threat model, security test report, incident plan.</summary>
    [JsonPropertyName("evidence")]
    public List<EvidenceReference>? Evidence { get; set; }

    /// <summary>What must be disposed of when the model is retired (stage Retirement).</summary>
    [JsonPropertyName("retirement")]
    public RetirementSpec? Retirement { get; set; }
}

/// <summary>The five life-cycle phases of EN 304 223.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<LifecycleStage>))]
public enum LifecycleStage
{
    Design,
    Development,
    Deployment,
    Maintenance,
    Retirement,
}

/// <summary>A reference to the workload that serves the model.</summary>
public sealed class WorkloadReference
{
    /// <summary>Kind of the workload: Deployment, StatefulSet, DaemonSet, Job, CronJob, Pod, LeaderWorkerSet, InferenceService (KServe), RayService, RayCluster (KubeRay) or Service (Knative Serving).</summary>
    [JsonPropertyName("kind")]
    [Required]
    public WorkloadKind Kind { get; set; }

    /// <summary>Name of the workload in the deployment's namespace.</summary>
    [JsonPropertyName("name")]
    [Required]
    [MinLength(1)]
    public string Name { get; set; } = "";
}

/// <summary>
/// Workload kinds that can serve a model: the built-in controllers and bare Pods, and the serving stacks' own kinds.
/// Service means a Knative Serving Service (serving.knative.dev): a core Service carries no pods.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<WorkloadKind>))]
public enum WorkloadKind
{
    Deployment,
    StatefulSet,
    DaemonSet,
    Job,
    CronJob,
    Pod,
    LeaderWorkerSet,
    InferenceService,
    RayService,
    RayCluster,
    Service,
}

/// <summary>A model artifact: weights, adapters or a packaged model.</summary>
public sealed class ModelArtifact
{
    /// <summary>A short name for the artifact, unique within the deployment.</summary>
    [JsonPropertyName("name")]
    [Required]
    [MinLength(1)]
    public string Name { get; set; } = "";

    /// <summary>Where the artifact comes from: oci://registry/repo[:tag|@digest], s3://bucket/key, pvc://claim/path, or https://….</summary>
    [JsonPropertyName("source")]
    [Required]
    [MinLength(1)]
    public string Source { get; set; } = "";

    /// <summary>The expected digest of the artifact, such as sha256:&lt;64 hex digits&gt;.</summary>
    [JsonPropertyName("digest")]
    public string? Digest { get; set; }

    /// <summary>
    /// The OpenSSF Model Signing signature (model.sig, a Sigstore bundle) of the artifact's files: a path relative to the
    /// model's location (such as model.sig, inside the model's directory) or a URI of the same schemes as source.
    /// For an oci:// source, a relative path names the layer of the artifact that holds the file (its
    /// org.cncf.model.filepath or org.opencontainers.image.title annotation), or else a Sigstore bundle attached to
    /// the artifact as an OCI referrer under that title; an oci:// URI names an artifact whose layer is the bundle.
    /// Verified against the profile's spec.models.trust.
    /// </summary>
    [JsonPropertyName("signature")]
    public string? Signature { get; set; }

    /// <summary>
    /// Paths relative to the model's root that are not part of the signed model (as model_signing's --ignore-paths):
    /// a file, or a directory and everything under it. .git, .github, .gitattributes, .gitignore and the signature
    /// itself are always left out.
    /// </summary>
    [JsonPropertyName("ignorePaths")]
    public List<string>? IgnorePaths { get; set; }
}

/// <summary>A person or team accountable for the model.</summary>
public sealed class Owner
{
    /// <summary>Name of the person or team.</summary>
    [JsonPropertyName("name")]
    [Required]
    [MinLength(1)]
    public string Name { get; set; } = "";

    /// <summary>How to reach them.</summary>
    [JsonPropertyName("contact")]
    public string? Contact { get; set; }

    /// <summary>Their role, such as "model owner" or "security contact".</summary>
    [JsonPropertyName("role")]
    public string? Role { get; set; }
}

/// <summary>What must be gone before a retired model counts as disposed of (EN 304 223 5.5.1-2).</summary>
public sealed class RetirementSpec
{
    /// <summary>Secrets in the namespace that held model credentials or keys.</summary>
    [JsonPropertyName("secrets")]
    public List<string>? Secrets { get; set; }

    /// <summary>PersistentVolumeClaims that held weights, training or test data.</summary>
    [JsonPropertyName("persistentVolumeClaims")]
    public List<string>? PersistentVolumeClaims { get; set; }

    /// <summary>Services that exposed the model.</summary>
    [JsonPropertyName("services")]
    public List<string>? Services { get; set; }
}
