using System.Collections.Immutable;
using AiBaseline.Api.V1Alpha1;
using k8s.Models;

namespace AiBaseline.Crds;

/// <summary>How one custom resource presents itself to kubectl: names, scope and the columns of <c>kubectl get</c>.</summary>
/// <param name="ResourceType">The C# type the schema is generated from.</param>
/// <param name="Kind">The resource kind.</param>
/// <param name="Plural">The plural name, part of the REST path and the CRD name.</param>
/// <param name="ShortNames">Short names for kubectl; one distinctive name that cannot shadow a built-in resource.</param>
/// <param name="Scope">Namespaced or Cluster.</param>
/// <param name="PrinterColumns">The columns of <c>kubectl get</c>; priority 1 columns show with <c>-o wide</c>.</param>
public sealed record CrdDefinition(
    Type ResourceType,
    string Kind,
    string Plural,
    ImmutableArray<string> ShortNames,
    string Scope,
    ImmutableArray<V1CustomResourceColumnDefinition> PrinterColumns)
{
    /// <summary>Every resource lists under <c>kubectl get aibaseline</c>, and none joins the built-in <c>all</c> category.</summary>
    public static readonly ImmutableArray<string> Categories = ["aibaseline"];

    private const string ReadyCondition = ".status.conditions[?(@.type==\"Ready\")]";

    /// <summary>The AIModelDeployment resource: namespaced, beside the workload it describes.</summary>
    public static readonly CrdDefinition AIModelDeployment = new(
        typeof(AIModelDeployment),
        ApiGroup.AIModelDeploymentKind,
        ApiGroup.AIModelDeploymentPlural,
        ["aimd"],
        "Namespaced",
        [
            Column("Stage", "string", ".spec.stage", "Life-cycle stage of the model."),
            Column("Ready", "string", ReadyCondition + ".status", "Whether every checked provision is met."),
            Column("Verdict", "string", ".status.summary.verdict", "The standard's verdict (ETSI TS 104 216): Pass, Fail or Inconclusive."),
            Column("Compliance", "string", ".status.compliance", "Met of checked provisions of EN 304 223."),
            Column("Age", "date", ".metadata.creationTimestamp", null),
            Column("Message", "string", ReadyCondition + ".message", "Why the deployment is or is not ready.", priority: 1),
        ]);

    /// <summary>The BaselineProfile resource: cluster-scoped, owned by the platform team.</summary>
    public static readonly CrdDefinition BaselineProfile = new(
        typeof(BaselineProfile),
        ApiGroup.BaselineProfileKind,
        ApiGroup.BaselineProfilePlural,
        ["blp"],
        "Cluster",
        [
            Column("Mode", "string", ".spec.mode", "Audit reports only; Enforce also denies at admission."),
            Column("Undeclared", "integer", ".status.inventory.undeclared", "Model servers of the cluster that no AIModelDeployment declares (EN 304 223 5.2.1-1)."),
            Column("Age", "date", ".metadata.creationTimestamp", null),
        ]);

    private const string ActiveCondition = ".status.conditions[?(@.type==\"Active\")]";

    /// <summary>The BaselineException resource: namespaced, beside the deployments it waives for.</summary>
    public static readonly CrdDefinition BaselineException = new(
        typeof(BaselineException),
        ApiGroup.BaselineExceptionKind,
        ApiGroup.BaselineExceptionPlural,
        ["blx"],
        "Namespaced",
        [
            Column("Active", "string", ActiveCondition + ".status", "Whether the waiver applies."),
            Column("Expires", "date", ".spec.expiresAt", "When the waiver stops counting."),
            Column("Approved By", "string", ".spec.approvedBy", "Who approved the waiver."),
            Column("Ticket", "string", ".spec.ticket", "The ticket that records the approval."),
            Column("Message", "string", ActiveCondition + ".message", "What the waiver waives, or why it does not apply.", priority: 1),
        ]);

    /// <summary>The RetirementRecord resource: cluster-scoped, so it outlives the namespace of the deployment it records.</summary>
    public static readonly CrdDefinition RetirementRecord = new(
        typeof(RetirementRecord),
        ApiGroup.RetirementRecordKind,
        ApiGroup.RetirementRecordPlural,
        ["rtr"],
        "Cluster",
        [
            Column("Namespace", "string", ".spec.deployment.namespace", "The namespace of the retired AIModelDeployment."),
            Column("Deployment", "string", ".spec.deployment.name", "The retired AIModelDeployment."),
            Column("Released By", "string", ".spec.releasedBy", "DisposalProven, or Waived by a BaselineException."),
            Column("Disposed At", "date", ".spec.disposedAt", "When the deployment was let go."),
        ]);

    /// <summary>The resources of the aibaseline.io group, in file-name order.</summary>
    public static readonly ImmutableArray<CrdDefinition> All = [AIModelDeployment, BaselineException, BaselineProfile, RetirementRecord];

    /// <summary>The singular name: the kind in lower case.</summary>
    public string Singular => Kind.ToLowerInvariant();

    /// <summary>The CRD's metadata.name: plural.group.</summary>
    public string Name => $"{Plural}.{ApiGroup.Group}";

    /// <summary>The file the CRD is written to, named as controller-gen names them.</summary>
    public string FileName => $"{ApiGroup.Group}_{Plural}.yaml";

    private static V1CustomResourceColumnDefinition Column(string name, string type, string jsonPath, string? description, int? priority = null) =>
        new() { Name = name, Type = type, JsonPath = jsonPath, Description = description, Priority = priority };
}
