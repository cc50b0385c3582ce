using System.Globalization;
using AiBaseline.Api.V1Alpha1;
using AiBaseline.Engine.Catalog;
using k8s;

namespace AiBaseline.Engine.Status;

/// <summary>
/// Keeps <see cref="AIModelDeploymentStatus.History"/>, the audit trail of a deployment's verdicts (EN 304 223 5.1.2-3,
/// 5.2.4-3). It compares the status last written with the one a pass computed: when Ready's status or the standard's
/// verdict changed, it appends one <see cref="VerdictChange"/> naming the provisions whose result changed and why, and
/// keeps the last <see cref="VerdictChange.MaxEntries"/> that fit in <see cref="VerdictChange.MaxBytes"/>; otherwise
/// it carries the stored history over unchanged, so a pass that changes no verdict writes nothing new. Pure: the caller
/// writes the result in the same status write as the verdict, so the history costs no request of its own.
/// </summary>
public static class VerdictHistory
{
    private static readonly Dictionary<string, int> Order =
        ProvisionCatalog.Provisions.Select((p, i) => (p.Id, i)).ToDictionary(x => x.Id, x => x.i, StringComparer.Ordinal);

    /// <summary>What needs attention first: the order in which a change names provisions.</summary>
    private static readonly ProvisionResult[] Severity =
        [ProvisionResult.NotMet, ProvisionResult.Unknown, ProvisionResult.Attestation, ProvisionResult.Waived, ProvisionResult.Met, ProvisionResult.NotApplicable];

    /// <summary>
    /// Sets the history of <paramref name="next"/>, the status a pass computed, from <paramref name="previous"/>, the
    /// status stored (null on a first verdict), and returns <paramref name="next"/>.
    /// </summary>
    /// <param name="previous">The status as last written; null or without a verdict when none was written yet.</param>
    /// <param name="next">The status this pass computed; its history is replaced.</param>
    /// <param name="now">When the pass writes it.</param>
    public static AIModelDeploymentStatus Record(AIModelDeploymentStatus? previous, AIModelDeploymentStatus next, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(next);
        var verdict = next.Summary?.Verdict ?? ConformityVerdict.Inconclusive;
        var ready = ReadyOf(next);
        var first = previous?.Summary?.Verdict is null;
        if (!first && previous!.Summary!.Verdict == verdict && ReadyOf(previous) == ready)
        {
            next.History = previous.History;
            return next;
        }

        var changed = (first ? FirstFindings(next) : Changed(previous!, next))
            .OrderBy(c => Array.IndexOf(Severity, c.Now.Result))
            .ThenBy(c => Order.GetValueOrDefault(c.Now.Id, int.MaxValue))
            .ToList();
        var named = changed.Take(VerdictChange.MaxIds).ToList();
        var controls = named.Count == 0 ? [] : ControlMessages.All(next).ToList();
        var before = (previous?.Controls ?? []).GroupBy(c => c.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Result, StringComparer.Ordinal);
        var groups = named
            .GroupBy(c => (c.Was, c.Now.Result, Reason: ReasonOf(c.Now, controls, before)))
            .Select(g => new ProvisionChange { Was = g.Key.Was, Result = g.Key.Result, Reason = g.Key.Reason, Ids = [.. g.Select(c => c.Now.Id)] })
            .ToList();
        var entry = new VerdictChange
        {
            At = WholeSeconds(now),
            Verdict = verdict,
            Ready = ready,
            Provisions = groups.Count > 0 ? groups : null,
            More = changed.Count > named.Count ? changed.Count - named.Count : null,
        };
        var history = new List<VerdictChange>(previous?.History ?? []) { entry };
        while (history.Count > VerdictChange.MaxEntries || (history.Count > 1 && KubernetesJson.Serialize(history).Length > VerdictChange.MaxBytes))
        {
            history.RemoveAt(0);
        }

        next.History = history;
        return next;
    }

    /// <summary>Ready's status in <paramref name="status"/>: True, False or Unknown (also when absent).</summary>
    public static string ReadyOf(AIModelDeploymentStatus status) =>
        status.Conditions?.FirstOrDefault(c => c.Type == ConditionTypes.Ready)?.Status ?? "Unknown";

    private sealed record Change(ProvisionResult? Was, ProvisionStatus Now);

    // A first verdict has nothing to change from: it names what keeps Ready from being True.
    private static IEnumerable<Change> FirstFindings(AIModelDeploymentStatus next) =>
        next.EachProvision().Where(p => p.Result is ProvisionResult.NotMet or ProvisionResult.Unknown).Select(p => new Change(null, p));

    private static IEnumerable<Change> Changed(AIModelDeploymentStatus previous, AIModelDeploymentStatus next)
    {
        var before = previous.EachProvision().GroupBy(p => p.Id, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Result, StringComparer.Ordinal);
        foreach (var now in next.EachProvision())
        {
            if (!before.TryGetValue(now.Id, out var was))
            {
                yield return new Change(null, now);
            }
            else if (was != now.Result)
            {
                yield return new Change(was, now);
            }
        }
    }

    /// <summary>
    /// Why a provision has its new result: the controls that decide it and whose own result changed, with their reasons
    /// (all that decide it when none changed), the evidence, the waiver, or why it does not apply.
    /// </summary>
    private static string? ReasonOf(ProvisionStatus provision, List<ControlReport> controls, Dictionary<string, ControlResult> before)
    {
        switch (provision.Result)
        {
            case ProvisionResult.NotApplicable:
                return provision.Reason;
            case ProvisionResult.Waived when provision.Waiver is { } waiver:
                return $"waived by {waiver}";
            case ProvisionResult.Attestation:
                return provision is { Evidence: { } stale, ExpiredAt: { } expired } ? $"{stale} expired {Day(expired)}" : "no fresh evidence";
        }

        if (provision.Evidence is { } evidence)
        {
            return provision.ExpiresAt is { } until ? $"{evidence} until {Day(until)}" : evidence;
        }

        var result = provision.Result switch
        {
            ProvisionResult.NotMet => ControlResult.NotMet,
            ProvisionResult.Unknown => ControlResult.Unknown,
            ProvisionResult.Waived => ControlResult.Waived,
            _ => ControlResult.Met,
        };
        var deciding = controls.Where(c => c.Result == result && c.Provisions.Contains(provision.Id, StringComparer.Ordinal)).ToList();
        var moved = deciding.Where(c => !before.TryGetValue(c.Name, out var was) || was != c.Result).ToList();
        var named = (moved.Count > 0 ? moved : deciding).Select(c => c.Reason.Length == 0 ? c.Name : $"{c.Name}: {c.Reason}").ToList();
        return named.Count > 0 ? string.Join("; ", named) : null;
    }

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static DateTime WholeSeconds(DateTimeOffset now) =>
        new(now.UtcTicks - (now.UtcTicks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);
}
