using AiBaseline.Api.V1Alpha1;
using AiBaseline.Controller;
using AiBaseline.Controller.Api;
using k8s.Models;

namespace AiBaseline.Operator;

/// <summary>
/// Writes the <see cref="RetirementRecord"/> of a retiring deployment before its finalizer is released. The record's
/// name comes from the deployment's uid, so writing it again (after a crash, or by a second replica) finds it there:
/// AlreadyExists counts as written. Nothing here runs on an ordinary reconcile, only when a deletion is let go.
/// </summary>
internal sealed class RetirementRecords(KubeApiClient api, ClusterCaches caches, TimeProvider time)
{
    /// <summary>The label that carries the retired deployment's namespace, for <c>kubectl get rtr -l</c>.</summary>
    public const string NamespaceLabel = "aibaseline.io/deployment-namespace";

    /// <summary>The label that carries the retired deployment's name.</summary>
    public const string NameLabel = "aibaseline.io/deployment-name";

    /// <summary>The provisions of disposal (EN 304 223 5.5.1) whose results the record keeps.</summary>
    public static readonly string[] DisposalProvisions = ["5.5.1-1", "5.5.1-2"];

    private static readonly ResourceType Resource = new(ApiGroup.Group, ApiGroup.Version, ApiGroup.RetirementRecordPlural, Namespaced: false);

    /// <summary>The record's name: one per AIModelDeployment ever retired, whatever its name.</summary>
    public static string NameFor(string uid) => $"aimd-{uid}";

    /// <summary>Creates the record; returns its name. Throws <see cref="KubeApiException"/> when the server refuses it.</summary>
    public async Task<string> WriteAsync(AIModelDeployment deployment, AIModelDeploymentStatus status, string? waiver, CancellationToken cancellationToken)
    {
        var waiverObject = waiver is null ? null : caches.Waivers.Cache.Get(new ObjectKey(deployment.Metadata.NamespaceProperty, waiver));
        var record = Build(deployment, status, waiver, waiverObject, time.GetUtcNow());
        try
        {
            await api.CreateAsync<RetirementRecord>(Resource, null, record, cancellationToken);
        }
        catch (KubeApiException e) when (e.StatusCode == System.Net.HttpStatusCode.Conflict && e.Status?.Reason == "AlreadyExists")
        {
            // Written by an earlier pass that did not get to release the finalizer.
        }

        return record.Metadata.Name;
    }

    /// <summary>
    /// The record of <paramref name="deployment"/> as <paramref name="status"/> (just evaluated) shows it: what it
    /// declared, what the cluster showed, and the Retirement control's result; <paramref name="waiver"/> names the
    /// BaselineException that released it without proven disposal.
    /// </summary>
    public static RetirementRecord Build(AIModelDeployment deployment, AIModelDeploymentStatus status, string? waiver, BaselineException? waiverObject, DateTimeOffset now)
    {
        var metadata = deployment.Metadata;
        var spec = deployment.Spec;
        var labels = new Dictionary<string, string>(metadata.Labels ?? new Dictionary<string, string>(), StringComparer.Ordinal)
        {
            [NamespaceLabel] = metadata.NamespaceProperty ?? "",
            [NameLabel] = metadata.Name ?? "",
        };
        return new RetirementRecord
        {
            Metadata = new V1ObjectMeta { Name = NameFor(metadata.Uid ?? ""), Labels = labels },
            Spec = new RetirementRecordSpec
            {
                Deployment = new RecordedDeployment { Namespace = metadata.NamespaceProperty ?? "", Name = metadata.Name ?? "", Uid = metadata.Uid ?? "" },
                // Whole seconds, as the server stores RFC 3339 times: the record reads back as written.
                DisposedAt = DateTime.SpecifyKind(now.UtcDateTime.AddTicks(-(now.UtcDateTime.Ticks % TimeSpan.TicksPerSecond)), DateTimeKind.Utc),
                ReleasedBy = waiver is null ? RetirementRelease.DisposalProven : RetirementRelease.Waived,
                Workload = spec.WorkloadRef,
                Models = spec.Models,
                // The images of this pass, or of the status last written when the workload is already gone.
                Images = (status.Images is { Count: > 0 } ? status.Images : deployment.Status?.Images)?.Select(i => new RecordedImage { Container = i.Container, Image = i.Image, Digest = i.Digest }).ToList(),
                Disposed = spec.Retirement,
                Check = CheckOf(status),
                Provisions = [.. DisposalProvisions.Select(status.Provision).OfType<ProvisionStatus>().Select(p => new RecordedProvision { Id = p.Id, Result = p.Result.ToString() })],
                Evidence = spec.Evidence,
                Owners = spec.Owners,
                // The verdict history of this pass, or as last written when the pass did not get to compute one.
                History = status.History ?? deployment.Status?.History,
                Waiver = waiver is null ? null : new RecordedWaiver
                {
                    Name = waiver,
                    ApprovedBy = waiverObject?.Spec.ApprovedBy,
                    Ticket = waiverObject?.Spec.Ticket,
                    Justification = waiverObject?.Spec.Justification,
                    ExpiresAt = waiverObject?.Spec.ExpiresAt,
                },
            },
        };
    }

    /// <summary>The Retirement control: its result, and the reason and message of its condition (or of the control when it has none).</summary>
    private static RecordedCheck CheckOf(AIModelDeploymentStatus status)
    {
        var control = status.Controls?.FirstOrDefault(c => c.Name == "Retirement");
        var condition = status.Conditions?.FirstOrDefault(c => c.Type == ConditionTypes.RetirementComplete);
        return new RecordedCheck
        {
            Control = "Retirement",
            Result = control?.Result.ToString() ?? "Unknown",
            Reason = condition?.Reason ?? control?.Reason,
            Message = condition?.Message ?? control?.Message,
        };
    }
}
