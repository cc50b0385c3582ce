using AiBaseline.Api.V1Alpha1;

namespace AiBaseline.Report;

/// <summary>The report's view of <see cref="RetirementRecord"/>s, read from a cluster or from manifests.</summary>
public static class RetirementRecordReports
{
    /// <summary>
    /// The records of deployments in <paramref name="namespaces"/> (every namespace when empty) whose labels match
    /// <paramref name="selector"/> (the operator copies the deployment's labels onto its record), oldest first.
    /// </summary>
    public static List<RetirementRecordReport> From(IEnumerable<RetirementRecord> records, IReadOnlyCollection<string> namespaces, LabelSelector? selector) =>
        [.. records
            .Where(r => namespaces.Count == 0 || namespaces.Contains(r.Spec.Deployment.Namespace))
            .Where(r => selector is null || selector.Matches(r.Metadata.Labels))
            .OrderBy(r => r.Spec.DisposedAt)
            .ThenBy(r => r.Metadata.Name, StringComparer.Ordinal)
            .Select(Of)];

    /// <summary>One record as the report shows it.</summary>
    public static RetirementRecordReport Of(RetirementRecord record)
    {
        var spec = record.Spec;
        List<string> disposed = [];
        if (spec.Workload is { } workload)
        {
            disposed.Add($"{workload.Kind}/{workload.Name}");
        }

        disposed.AddRange((spec.Disposed?.Secrets ?? []).Select(n => $"Secret/{n}"));
        disposed.AddRange((spec.Disposed?.PersistentVolumeClaims ?? []).Select(n => $"PersistentVolumeClaim/{n}"));
        disposed.AddRange((spec.Disposed?.Services ?? []).Select(n => $"Service/{n}"));

        var waivers = spec.Waiver is { } w
            ? new[] { $"{w.Name}: approved by {w.ApprovedBy ?? "(unknown)"}, ticket {w.Ticket ?? "(none)"}{(w.ExpiresAt is { } at ? $", expires {at:yyyy-MM-dd}" : "")}" }
            : [];
        return new RetirementRecordReport(
            record.Metadata.Name ?? "",
            spec.Deployment.Namespace,
            spec.Deployment.Name,
            spec.Deployment.Uid,
            new DateTimeOffset(DateTime.SpecifyKind(spec.DisposedAt, DateTimeKind.Utc)),
            spec.ReleasedBy.ToString(),
            disposed,
            [new ControlDecision(spec.Check.Control, spec.Check.Result, spec.Check.Reason ?? "", spec.Check.Message ?? "")],
            [.. (spec.Images ?? []).Select(i => new RecordedImageReport(i.Container, i.Image, i.Digest))],
            [.. (spec.Models ?? []).Select(m => new ModelSubject(m.Name, m.Source, m.Digest))],
            [.. (spec.Owners ?? []).Select(o => new OwnerReport(o.Name, o.Role, o.Contact))],
            waivers,
            VerdictChangeReport.Of(spec.History));
    }
}
