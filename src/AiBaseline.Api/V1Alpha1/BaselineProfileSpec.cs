using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace AiBaseline.Api.V1Alpha1;

/// <summary>The settings of each baseline control. Every field has a default, so an empty spec is the strict baseline.</summary>
public sealed class BaselineProfileSpec
{
    /// <summary>Audit reports in status only; Enforce also denies non-compliant workloads at admission.</summary>
    [JsonPropertyName("mode")]
    [DefaultValue(ProfileMode.Audit)]
    public ProfileMode Mode { get; set; } = ProfileMode.Audit;

    [JsonPropertyName("images")]
    public ImagePolicy Images { get; set; } = new();

    [JsonPropertyName("models")]
    public ModelPolicy Models { get; set; } = new();

    [JsonPropertyName("network")]
    public NetworkPolicyRules Network { get; set; } = new();

    [JsonPropertyName("secrets")]
    public SecretsPolicy Secrets { get; set; } = new();

    [JsonPropertyName("runtime")]
    public RuntimePolicy Runtime { get; set; } = new();

    [JsonPropertyName("leastPrivilege")]
    public LeastPrivilegePolicy LeastPrivilege { get; set; } = new();

    [JsonPropertyName("retirement")]
    public RetirementPolicy Retirement { get; set; } = new();

    [JsonPropertyName("evidence")]
    public EvidencePolicy Evidence { get; set; } = new();

    /// <summary>Whether the model's metrics must be scraped and alerted on (EN 304 223 5.4.2-3, 5.4.2-4).</summary>
    [JsonPropertyName("monitoring")]
    public MonitoringPolicy Monitoring { get; set; } = new();

    /// <summary>How the vulnerability reports of the model's images are judged (EN 304 223 5.4.1-1).</summary>
    [JsonPropertyName("vulnerabilities")]
    public VulnerabilityPolicy Vulnerabilities { get; set; } = new();

    [JsonPropertyName("waivers")]
    public WaiverPolicy Waivers { get; set; } = new();

    /// <summary>How the admission webhook treats artifacts whose signatures are not verified yet.</summary>
    [JsonPropertyName("admission")]
    public AdmissionPolicy Admission { get; set; } = new();

    /// <summary>Provisions the platform declares outside the scope of its deployments, each with the reason.</summary>
    [JsonPropertyName("scope")]
    public ScopePolicy Scope { get; set; } = new();
}

/// <summary>Which provisions of EN 304 223 the standard verdict covers.</summary>
public sealed class ScopePolicy
{
    /// <summary>Provisions declared out of scope: reported as not applicable, with the reason, and left out of the verdict.</summary>
    [JsonPropertyName("outOfScope")]
    public List<ScopeExclusion>? OutOfScope { get; set; }
}

/// <summary>One provision declared out of scope.</summary>
public sealed class ScopeExclusion
{
    /// <summary>The provision id, such as "5.1.1-1".</summary>
    [JsonPropertyName("provision")]
    [Required]
    [AllowedNames<ProvisionIdNames>]
    public string Provision { get; set; } = "";

    /// <summary>Why it does not apply to the deployments this profile governs; shown wherever the provision is reported.</summary>
    [JsonPropertyName("reason")]
    [Required]
    [MinLength(1)]
    public string Reason { get; set; } = "";
}

/// <summary>Whether the profile only reports or also enforces.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ProfileMode>))]
public enum ProfileMode
{
    Audit,
    Enforce,
}

/// <summary>Image provenance rules (EN 304 223 5.2.1-2, 5.2.3-1, 5.2.3-2).</summary>
public sealed class ImagePolicy
{
    /// <summary>Every container and init container image must be pinned by digest.</summary>
    [JsonPropertyName("requireDigest")]
    [DefaultValue(true)]
    public bool RequireDigest { get; set; } = true;

    /// <summary>Registry host or repository prefixes images may come from, such as "ghcr.io/acme/". Empty allows any registry.</summary>
    [JsonPropertyName("trustedRegistries")]
    public List<string>? TrustedRegistries { get; set; }

    /// <summary>Public keys whose cosign signatures are trusted. When present, every image needs a signature by one of them.</summary>
    [JsonPropertyName("signatureKeys")]
    public List<SignatureKey>? SignatureKeys { get; set; }

    /// <summary>
    /// Keyless signers whose cosign signatures are trusted: the identity in the signing certificate and the OIDC issuer
    /// that vouched for it. The certificate must chain to certificateChains or trustedRoot when either is set, and to the
    /// Sigstore public-good root (with its transparency log and CT checks) otherwise.
    /// </summary>
    [JsonPropertyName("identities")]
    public List<KeylessIdentity>? Identities { get; set; }

    /// <summary>A trusted_root.json (a private Sigstore deployment) for keyless identities; its logs are required when it lists any.</summary>
    [JsonPropertyName("trustedRoot")]
    public string? TrustedRoot { get; set; }

    /// <summary>Certificates of a private PKI (PEM roots or intermediates) a signing certificate may chain to; no transparency log is required.</summary>
    [JsonPropertyName("certificateChains")]
    public List<CertificateChain>? CertificateChains { get; set; }

    /// <summary>Attestations every image must carry, signed by a trusted key.</summary>
    [JsonPropertyName("requiredAttestations")]
    public List<RequiredAttestation>? RequiredAttestations { get; set; }

    /// <summary>Whether any signer is named: a key, a keyless identity or a certificate chain.</summary>
    public bool HasSigners() => SignatureKeys is { Count: > 0 } || Identities is { Count: > 0 } || CertificateChains is { Count: > 0 };

    /// <summary>Whether images need registry evidence: a signer or a required attestation.</summary>
    public bool RequiresProvenance() => HasSigners() || RequiredAttestations is { Count: > 0 };
}

/// <summary>A trusted signing key.</summary>
public sealed class SignatureKey
{
    /// <summary>A name for the key; status lists it in signedBy.</summary>
    [JsonPropertyName("name")]
    [Required]
    [MinLength(1)]
    public string Name { get; set; } = "";

    /// <summary>The PEM public key (ECDSA P-256, RSA or Ed25519), as cosign.pub holds it.</summary>
    [JsonPropertyName("publicKey")]
    [Required]
    [MinLength(1)]
    public string PublicKey { get; set; } = "";
}

/// <summary>An attestation an image must carry.</summary>
public sealed class RequiredAttestation
{
    /// <summary>The in-toto predicate type, such as https://slsa.dev/provenance/v1.</summary>
    [JsonPropertyName("predicateType")]
    [Required]
    [MinLength(1)]
    public string PredicateType { get; set; } = "";

    /// <summary>For SLSA provenance: the builder id the predicate must name.</summary>
    [JsonPropertyName("builderId")]
    public string? BuilderId { get; set; }
}

/// <summary>Model artifact rules (EN 304 223 5.2.4-1.2, 5.2.1-2).</summary>
public sealed class ModelPolicy
{
    /// <summary>Every model artifact must declare its digest.</summary>
    [JsonPropertyName("requireDigest")]
    [DefaultValue(true)]
    public bool RequireDigest { get; set; } = true;

    /// <summary>Source schemes allowed for model artifacts, such as oci and pvc. Empty allows any.</summary>
    [JsonPropertyName("allowedSchemes")]
    public List<string>? AllowedSchemes { get; set; }

    /// <summary>Who may sign models (OpenSSF Model Signing): models that name a signature are verified against any of these signers.</summary>
    [JsonPropertyName("trust")]
    public ModelTrustPolicy? Trust { get; set; }
}

/// <summary>
/// The signers trusted for model signatures, the same kinds <c>aibaseline verify-model</c> takes: public keys,
/// private certificate chains, and keyless Sigstore identities. A signature by any one of them is trusted.
/// </summary>
public sealed class ModelTrustPolicy
{
    /// <summary>Public keys (PEM) whose model signatures are trusted; status names the key.</summary>
    [JsonPropertyName("publicKeys")]
    public List<SignatureKey>? PublicKeys { get; set; }

    /// <summary>Certificates of a private PKI (PEM roots or intermediates) a signing certificate may chain to.</summary>
    [JsonPropertyName("certificateChains")]
    public List<CertificateChain>? CertificateChains { get; set; }

    /// <summary>Keyless signers: the identity in the Fulcio certificate and the OIDC issuer that vouched for it.</summary>
    [JsonPropertyName("identities")]
    public List<KeylessIdentity>? Identities { get; set; }

    /// <summary>A trusted_root.json for keyless identities (a private Sigstore deployment); the public-good root when unset.</summary>
    [JsonPropertyName("trustedRoot")]
    public string? TrustedRoot { get; set; }

    /// <summary>Whether any signer is named.</summary>
    public bool HasSigners() => PublicKeys is { Count: > 0 } || CertificateChains is { Count: > 0 } || Identities is { Count: > 0 };
}

/// <summary>A private PKI trusted for image or model signatures.</summary>
public sealed class CertificateChain
{
    /// <summary>A name for the chain; status names it as the signer.</summary>
    [JsonPropertyName("name")]
    [Required]
    [MinLength(1)]
    public string Name { get; set; } = "";

    /// <summary>One or more PEM CERTIFICATE blocks: the root, and intermediates if the signing certificate does not carry them.</summary>
    [JsonPropertyName("certificates")]
    [Required]
    [MinLength(1)]
    public string Certificates { get; set; } = "";
}

/// <summary>A keyless Sigstore signer: exactly one of subject and subjectRegExp, and exactly one of issuer and issuerRegExp.</summary>
public sealed class KeylessIdentity
{
    /// <summary>The certificate's identity (e-mail, URI or username), exactly.</summary>
    [JsonPropertyName("subject")]
    public string? Subject { get; set; }

    /// <summary>A regular expression the whole identity must match.</summary>
    [JsonPropertyName("subjectRegExp")]
    public string? SubjectRegExp { get; set; }

    /// <summary>The OIDC issuer, exactly, such as https://token.actions.githubusercontent.com.</summary>
    [JsonPropertyName("issuer")]
    public string? Issuer { get; set; }

    /// <summary>A regular expression the whole issuer must match.</summary>
    [JsonPropertyName("issuerRegExp")]
    public string? IssuerRegExp { get; set; }

    /// <summary>For GitHub Actions signers: the workflow's repository, as "owner/name" or its https://github.com/ URL.</summary>
    [JsonPropertyName("githubWorkflowRepository")]
    public string? GitHubWorkflowRepository { get; set; }

    /// <summary>For GitHub Actions signers: the git ref the workflow ran on, such as refs/heads/main or refs/tags/v1.2.0.</summary>
    [JsonPropertyName("githubWorkflowRef")]
    public string? GitHubWorkflowRef { get; set; }

    /// <summary>For GitHub Actions signers: the event that triggered the workflow, such as push or release.</summary>
    [JsonPropertyName("githubWorkflowTrigger")]
    public string? GitHubWorkflowTrigger { get; set; }
}

/// <summary>Network isolation rules (EN 304 223 5.2.2-1, 5.2.2-3).</summary>
public sealed class NetworkPolicyRules
{
    /// <summary>A NetworkPolicy must isolate the model pods for ingress.</summary>
    [JsonPropertyName("requireIngressPolicy")]
    [DefaultValue(true)]
    public bool RequireIngressPolicy { get; set; } = true;

    /// <summary>A NetworkPolicy must isolate the model pods for egress.</summary>
    [JsonPropertyName("requireEgressPolicy")]
    [DefaultValue(true)]
    public bool RequireEgressPolicy { get; set; } = true;

    /// <summary>CIDRs egress may reach outside the cluster. Egress to any other ipBlock, or to everywhere, is not met.</summary>
    [JsonPropertyName("egressAllowList")]
    public List<string>? EgressAllowList { get; set; }

    /// <summary>Namespaces ingress may come from. Empty allows any namespace the policies name, but never all sources.</summary>
    [JsonPropertyName("allowedIngressNamespaces")]
    public List<string>? AllowedIngressNamespaces { get; set; }
}

/// <summary>Secrets handling rules (EN 304 223 5.2.1-4, 5.2.2-1).</summary>
public sealed class SecretsPolicy
{
    /// <summary>Credentials must not appear as literals in env values or args.</summary>
    [JsonPropertyName("forbidLiteralCredentials")]
    [DefaultValue(true)]
    public bool ForbidLiteralCredentials { get; set; } = true;

    /// <summary>Whether model pods may mount a service-account token without declaring it.</summary>
    [JsonPropertyName("allowServiceAccountToken")]
    [DefaultValue(false)]
    public bool AllowServiceAccountToken { get; set; }

    /// <summary>ConfigMaps the pods use must not hold credentials.</summary>
    [JsonPropertyName("forbidSecretsInConfigMaps")]
    [DefaultValue(true)]
    public bool ForbidSecretsInConfigMaps { get; set; } = true;
}

/// <summary>Runtime hardening rules (EN 304 223 5.2.2-1, 5.1.2-2).</summary>
public sealed class RuntimePolicy
{
    /// <summary>The Pod Security Standard level the model pods must meet.</summary>
    [JsonPropertyName("level")]
    [DefaultValue(PodSecurityLevel.Restricted)]
    public PodSecurityLevel Level { get; set; } = PodSecurityLevel.Restricted;
}

/// <summary>Pod Security Standard levels.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<PodSecurityLevel>))]
public enum PodSecurityLevel
{
    Restricted,
    Baseline,
    Privileged,
}

/// <summary>Least-privilege rules for the pods' ServiceAccount (EN 304 223 5.1.2-6).</summary>
public sealed class LeastPrivilegePolicy
{
    /// <summary>ClusterRoles the ServiceAccount must not be bound to. Defaults to cluster-admin, admin and edit.</summary>
    [JsonPropertyName("forbiddenClusterRoles")]
    public List<string>? ForbiddenClusterRoles { get; set; }

    /// <summary>Roles granting "*" verbs, resources or API groups are not met.</summary>
    [JsonPropertyName("forbidWildcards")]
    [DefaultValue(true)]
    public bool ForbidWildcards { get; set; } = true;
}

/// <summary>Retirement rules (EN 304 223 5.5.1-2).</summary>
public sealed class RetirementPolicy
{
    /// <summary>Whether a workload scaled to zero counts as retired; when false it must be deleted.</summary>
    [JsonPropertyName("allowScaledToZero")]
    [DefaultValue(true)]
    public bool AllowScaledToZero { get; set; } = true;
}

/// <summary>Evidence rules for provisions only a person can judge.</summary>
public sealed class EvidencePolicy
{
    /// <summary>Evidence older than this many days is stale and meets nothing.</summary>
    [JsonPropertyName("maxAgeDays")]
    [DefaultValue(365)]
    [Range(1, 3650)]
    public int MaxAgeDays { get; set; } = 365;

    /// <summary>Evidence types every deployment past Design must reference. Defaults to ModelCard, ThreatModel, SecurityTestReport and IncidentPlan.</summary>
    [JsonPropertyName("required")]
    public List<EvidenceType>? Required { get; set; }

    /// <summary>At least one owner must be declared.</summary>
    [JsonPropertyName("requireOwners")]
    [DefaultValue(true)]
    public bool RequireOwners { get; set; } = true;

    /// <summary>Evidence types whose references count only with a digest of the document (spec.evidence[].digest).</summary>
    [JsonPropertyName("requireDigest")]
    public List<EvidenceType>? RequireDigest { get; set; }

    /// <summary>Evidence types whose references count only with an approver (spec.evidence[].approvedBy).</summary>
    [JsonPropertyName("requireApproval")]
    public List<EvidenceType>? RequireApproval { get; set; }

    /// <summary>How many days before evidence expires the EvidenceCurrent condition warns; 0 turns the warning off.</summary>
    [JsonPropertyName("warnBeforeExpiryDays")]
    [DefaultValue(30)]
    [Range(0, 3650)]
    public int WarnBeforeExpiryDays { get; set; } = 30;
}

/// <summary>Monitoring of the model's behaviour through the Prometheus Operator (EN 304 223 5.4.2-3, 5.4.2-4).</summary>
public sealed class MonitoringPolicy
{
    /// <summary>
    /// A ServiceMonitor or PodMonitor must scrape the model's pods (MetricsScraping, 5.4.2-3). When false the control
    /// does not apply and the provision awaits attestation.
    /// </summary>
    [JsonPropertyName("requireScrape")]
    [DefaultValue(true)]
    public bool RequireScrape { get; set; } = true;

    /// <summary>
    /// A PrometheusRule must alert on the model's scraped metrics (PerformanceTracking, 5.4.2-4). When false the control
    /// does not apply and the provision awaits attestation.
    /// </summary>
    [JsonPropertyName("requireAlertRules")]
    [DefaultValue(true)]
    public bool RequireAlertRules { get; set; } = true;
}

/// <summary>Security fixes reaching the model's images, read from Trivy Operator VulnerabilityReports (EN 304 223 5.4.1-1).</summary>
public sealed class VulnerabilityPolicy
{
    /// <summary>
    /// Every image of the model must have a VulnerabilityReport in the cluster (VulnerabilityFixes). When false the
    /// control does not apply and the provision awaits attestation.
    /// </summary>
    [JsonPropertyName("requireReports")]
    [DefaultValue(true)]
    public bool RequireReports { get; set; } = true;

    /// <summary>
    /// How many days a fixable critical vulnerability (one with a fixedVersion) may stay in a running image after it was
    /// published before the control is not met; 0 allows none at all.
    /// </summary>
    [JsonPropertyName("maxFixableCriticalAgeDays")]
    [DefaultValue(30)]
    [Range(0, 3650)]
    public int MaxFixableCriticalAgeDays { get; set; } = 30;
}

/// <summary>How far a BaselineException may reach.</summary>
public sealed class WaiverPolicy
{
    /// <summary>The longest a waiver may last: its expiresAt no later than this many days after its creation, or it does not apply.</summary>
    [JsonPropertyName("maxDurationDays")]
    [DefaultValue(90)]
    [Range(1, 3650)]
    public int MaxDurationDays { get; set; } = 90;

    /// <summary>Control names or provision ids no waiver may name; a waiver naming one does not apply.</summary>
    [JsonPropertyName("neverWaive")]
    [AllowedNames<ControlOrProvisionNames>]
    public List<string>? NeverWaive { get; set; }
}
