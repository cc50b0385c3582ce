using System.Collections.Immutable;
using System.Globalization;
using AiBaseline.Api.V1Alpha1;
using AiBaseline.Engine.Controls;

namespace AiBaseline.Engine.Waivers;

/// <summary>Whether a BaselineException applies, with the reason of the conditions that say so and a sentence for people.</summary>
/// <param name="Applies">True when the waiver counts.</param>
/// <param name="Reason">A <see cref="WaiverReasons"/> constant.</param>
/// <param name="Message">What the waiver waives, or why it does not apply and what to do.</param>
public sealed record WaiverVerdict(bool Applies, string Reason, string Message);

/// <summary>
/// The rules of a BaselineException, the same in the operator and in the audit. Selects: the deployment is in the
/// waiver's namespace and is named in spec.deploymentNames or matched by spec.selector. Applies: every name it waives
/// exists, none is in the profile's waivers.neverWaive, its expiresAt is at most waivers.maxDurationDays after its
/// creation (after now when it has not been created yet, as in an audit), and it has not expired.
/// </summary>
public static class WaiverRules
{
    /// <summary>Whether <paramref name="waiver"/> selects <paramref name="deployment"/>.</summary>
    public static bool Selects(BaselineException waiver, AIModelDeployment deployment)
    {
        if ((waiver.Metadata.NamespaceProperty ?? "default") != (deployment.Metadata.NamespaceProperty ?? "default"))
        {
            return false;
        }

        var spec = waiver.Spec;
        return (spec.DeploymentNames?.Contains(deployment.Metadata.Name, StringComparer.Ordinal) ?? false)
            || (spec.Selector is { } selector && LabelSelectors.Matches(selector, deployment.Metadata.Labels));
    }

    /// <summary>Whether the waiver applies under <paramref name="profile"/> at <paramref name="now"/>, and why.</summary>
    public static WaiverVerdict Judge(BaselineException waiver, BaselineProfileSpec profile, DateTimeOffset now)
    {
        var name = waiver.Metadata.Name;
        var spec = waiver.Spec;
        var named = Named(waiver);
        var unknown = named.Where(n => !BaselineNames.ControlsAndProvisionIds.Contains(n)).ToList();
        if (unknown.Count > 0)
        {
            return new(false, WaiverReasons.WaiverUnknownNames,
                $"BaselineException {name} names {string.Join(", ", unknown)}, which is no control or provision id of EN 304 223: it does not apply; fix spec.controls and spec.provisions");
        }

        if (named.IsEmpty)
        {
            return new(false, WaiverReasons.WaiverEmpty, $"BaselineException {name} names no control and no provision: it waives nothing; set spec.controls or spec.provisions");
        }

        var never = named.Where(n => profile.Waivers.NeverWaive?.Contains(n, StringComparer.Ordinal) ?? false).ToList();
        if (never.Count > 0)
        {
            return new(false, WaiverReasons.WaiverNotAllowed,
                $"BaselineException {name} names {string.Join(", ", never)}, which the profile's waivers.neverWaive lists: it does not apply; fix the finding instead");
        }

        var expires = ExpiresAt(waiver);
        var from = waiver.Metadata.CreationTimestamp is { } created ? new DateTimeOffset(DateTime.SpecifyKind(created, DateTimeKind.Utc)) : now;
        var maxDays = profile.Waivers.MaxDurationDays;
        if (expires - from > TimeSpan.FromDays(maxDays))
        {
            var since = waiver.Metadata.CreationTimestamp is null ? "from now" : $"after its creation at {Format(from)}";
            return new(false, WaiverReasons.WaiverTooLong,
                $"BaselineException {name} expires at {Format(expires)}, more than the {maxDays} days the profile's waivers.maxDurationDays allows {since}: it does not apply; set an earlier spec.expiresAt");
        }

        if (now >= expires)
        {
            return new(false, WaiverReasons.WaiverExpired,
                $"BaselineException {name} expired at {Format(expires)}: {string.Join(", ", named)} count again; fix the finding or renew the waiver with a new approval");
        }

        return new(true, WaiverReasons.Active,
            $"BaselineException {name} waives {string.Join(", ", named)} (approved by {spec.ApprovedBy}, ticket {spec.Ticket}, expires at {Format(expires)})");
    }

    /// <summary>The earliest expiry among the waivers that apply now: when the verdict must be judged again without any other change.</summary>
    public static DateTimeOffset? NextExpiry(IEnumerable<BaselineException> waivers, BaselineProfileSpec profile, DateTimeOffset now) =>
        waivers.Where(w => Judge(w, profile, now).Applies).Select(ExpiresAt).Order().Cast<DateTimeOffset?>().FirstOrDefault();

    /// <summary>The controls, then the provision ids, the waiver names, each once.</summary>
    public static ImmutableArray<string> Named(BaselineException waiver) =>
        [.. (waiver.Spec.Controls ?? []).Concat(waiver.Spec.Provisions ?? []).Distinct(StringComparer.Ordinal)];

    public static DateTimeOffset ExpiresAt(BaselineException waiver) =>
        new(DateTime.SpecifyKind(waiver.Spec.ExpiresAt, waiver.Spec.ExpiresAt.Kind == DateTimeKind.Unspecified ? DateTimeKind.Utc : waiver.Spec.ExpiresAt.Kind).ToUniversalTime());

    /// <summary>RFC 3339 in UTC, to the second, as kubectl shows times.</summary>
    public static string Format(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
