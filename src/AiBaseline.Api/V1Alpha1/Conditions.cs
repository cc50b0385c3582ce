namespace AiBaseline.Api.V1Alpha1;

/// <summary>
/// Condition types on an AIModelDeployment. Ready summarises the rest and is always present. Each control
/// has one positive-polarity condition, present while the control applies to the stage. Reconciling and
/// Stalled follow kstatus and are present only when True.
/// </summary>
public static class ConditionTypes
{
    /// <summary>True when every checked provision is met; False when one is not met or the deployment is stalled; Unknown when evidence is missing.</summary>
    public const string Ready = "Ready";

    /// <summary>
    /// True while the verdict waits on evidence the operator will fetch again by itself, such as a registry that did not
    /// answer (kstatus: InProgress). Present only when True, and only while Ready is Unknown: a settled verdict is not
    /// reconciling, even when a retry is scheduled that cannot change it.
    /// </summary>
    public const string Reconciling = "Reconciling";

    /// <summary>True when no progress is possible until a person acts, such as a missing profile (kstatus: Failed).</summary>
    public const string Stalled = "Stalled";

    /// <summary>
    /// The standard's verdict as a conformity assessment (ETSI TS 104 216) states it: True when it is pass (every
    /// applicable shall provision met or waived, none failed), False when fail (an applicable provision not met),
    /// Unknown when inconclusive (none failed, but applicable shall provisions await evidence or could not be checked).
    /// Ready says less: that every provision the operator checked is met.
    /// </summary>
    public const string Conformant = "Conformant";

    /// <summary>
    /// Present, False, only when spec.stage declares a stage before Deployment while the workload serves: the deployment
    /// is then judged in stage Deployment (reason StageMismatch).
    /// </summary>
    public const string StageConsistent = "StageConsistent";

    public const string ImageProvenanceVerified = "ImageProvenanceVerified";
    public const string ModelIntegrityVerified = "ModelIntegrityVerified";
    public const string NetworkIsolated = "NetworkIsolated";
    public const string SecretsProtected = "SecretsProtected";
    public const string RuntimeHardened = "RuntimeHardened";
    public const string LeastPrivilege = "LeastPrivilege";
    public const string KnownGoodStateRestorable = "KnownGoodStateRestorable";
    public const string ApiRateLimited = "ApiRateLimited";
    public const string MetricsScraped = "MetricsScraped";
    public const string PerformanceTracked = "PerformanceTracked";
    public const string VulnerabilitiesFixed = "VulnerabilitiesFixed";

    /// <summary>
    /// Present, False, only while a model server of the deployment's namespace has no AIModelDeployment (EN 304 223
    /// 5.2.1-1, reason UndeclaredModelServer); when every one is declared, status.controls shows AssetInventory Met.
    /// </summary>
    public const string InventoryComplete = "InventoryComplete";
    public const string RetirementComplete = "RetirementComplete";
    public const string EvidenceCurrent = "EvidenceCurrent";

    /// <summary>
    /// Present while a BaselineException selects the deployment: True when every such waiver applies (the message names
    /// each, its approver, ticket and expiry); False, with a <see cref="WaiverReasons"/> reason, when one does not.
    /// </summary>
    public const string WaiversCurrent = "WaiversCurrent";
}

/// <summary>
/// Why a BaselineException applies or not: the reasons of an AIModelDeployment's <see cref="ConditionTypes.WaiversCurrent"/>
/// condition and of the waiver's own <see cref="WaiverConditionTypes.Active"/> condition.
/// </summary>
public static class WaiverReasons
{
    /// <summary>Every waiver that selects the deployment applies.</summary>
    public const string Current = "Current";

    /// <summary>The waiver applies.</summary>
    public const string Active = "Active";

    /// <summary>Past its expiresAt the waiver no longer counts.</summary>
    public const string WaiverExpired = "WaiverExpired";

    /// <summary>The waiver's expiresAt is further from its creation than the profile's waivers.maxDurationDays.</summary>
    public const string WaiverTooLong = "WaiverTooLong";

    /// <summary>The waiver names a control or provision the profile's waivers.neverWaive lists.</summary>
    public const string WaiverNotAllowed = "WaiverNotAllowed";

    /// <summary>The waiver names a control or provision id that does not exist.</summary>
    public const string WaiverUnknownNames = "WaiverUnknownNames";

    /// <summary>The waiver names no control and no provision.</summary>
    public const string WaiverEmpty = "WaiverEmpty";

    /// <summary>The waiver selects no AIModelDeployment of its namespace.</summary>
    public const string NoDeploymentSelected = "NoDeploymentSelected";
}

/// <summary>Condition types on a BaselineException.</summary>
public static class WaiverConditionTypes
{
    /// <summary>True while the waiver selects a deployment and applies; False with a <see cref="WaiverReasons"/> reason otherwise.</summary>
    public const string Active = "Active";
}

/// <summary>Reasons of the Ready and Stalled conditions. Control conditions carry their control's own reasons.</summary>
public static class ReadyReasons
{
    /// <summary>Every checked provision is met.</summary>
    public const string Compliant = "Compliant";

    /// <summary>At least one checked provision is not met.</summary>
    public const string NotCompliant = "NotCompliant";

    /// <summary>Nothing is not met, but some evidence could not be gathered (a registry down, an object unreadable).</summary>
    public const string EvidenceUnavailable = "EvidenceUnavailable";

    /// <summary>The BaselineProfile named in spec.profile does not exist.</summary>
    public const string ProfileNotFound = "ProfileNotFound";

    /// <summary>The workload named in spec.workloadRef does not exist.</summary>
    public const string WorkloadNotFound = "WorkloadNotFound";

    /// <summary>
    /// A control's condition reason when a BaselineException waives what would be NotMet or Unknown: the message names
    /// the waiver, its approver, ticket and expiry, then what was found.
    /// </summary>
    public const string Waived = "Waived";
}

/// <summary>Reasons of the Reconciling condition.</summary>
public static class ReconcilingReasons
{
    /// <summary>Some evidence could not be gathered (a registry did not answer) and the operator will try again by itself.</summary>
    public const string RetryScheduled = "RetryScheduled";
}
