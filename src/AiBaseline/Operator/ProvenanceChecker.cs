using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using AiBaseline.Api.V1Alpha1;
using AiBaseline.Engine;
using AiBaseline.Provenance;
using AiBaseline.Provenance.Oci;
using AiBaseline.Verification;

namespace AiBaseline.Operator;

/// <summary>The registry evidence for one deployment, and when to look again.</summary>
/// <param name="Provenance">Evidence per image and oci:// model as written; null when the profile asks for none.</param>
/// <param name="Retry">Set when some evidence was Unavailable: the cached failure expires then, so a registry outage heals without a watch event.</param>
internal sealed record ProvenanceResult(ImmutableDictionary<string, ArtifactVerification>? Provenance, ScheduledRetry? Retry)
{
    public static ProvenanceResult None { get; } = new(null, null);
}

/// <summary>
/// Verifies the images and oci:// models of deployments whose profile lists signature keys or required
/// attestations, through one process-wide cache so each digest costs one verification per TTL however many
/// deployments and reconciles ask. Registries are reached anonymously unless a pull-secret reader is given
/// (<c>--read-pull-secrets</c>): then the workload's image pull secrets are read for each pass that verifies.
/// </summary>
internal sealed class ProvenanceChecker(
    IArtifactVerifier verifier, PullSecretReader? pullSecrets, VerificationCacheOptions cacheOptions, TimeProvider time, ILogger<ProvenanceChecker> logger)
{
    private const string OciScheme = "oci://";
    private readonly CachingArtifactVerifier cache = new(verifier, time, cacheOptions);
    private readonly ConditionalWeakTable<BaselineProfile, TrustPolicy> policies = [];

    public async Task<ProvenanceResult> CheckAsync(AIModelDeployment deployment, WorkloadState? workload, BaselineProfile? profile, CancellationToken cancellationToken)
    {
        var images = profile?.Spec?.Images;
        if (profile is null || images is null || !images.RequiresProvenance())
        {
            return ProvenanceResult.None;
        }

        TrustPolicy policy;
        try
        {
            policy = TrustPolicy.FromProfile(profile.Metadata?.Name ?? "(no name)", images);
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            // The engine then reports the signatures as not checked; the profile's author sees why in the log.
            logger.LogWarning("Cannot verify provenance with BaselineProfile {Profile}: {Reason}", profile.Metadata?.Name, e.Message);
            return ProvenanceResult.None;
        }

        var references = ProvenanceRun.ReferencesOf(deployment, workload);
        var credentials = pullSecrets is not null && references.Length > 0
            ? await pullSecrets.CredentialsAsync(deployment.Metadata.NamespaceProperty, workload?.Template.Spec, cancellationToken).ConfigureAwait(false)
            : null;
        var work = new VerificationWork(references, policy, credentials, deployment.Spec?.Models ?? []);
        var results = await ProvenanceRun.RunAsync([work], cache, time, cancellationToken).ConfigureAwait(false);
        var provenance = results[0];
        return new ProvenanceResult(provenance, RetryOf(provenance));
    }

    /// <summary>
    /// For the admission webhook: the evidence for <paramref name="references"/> from the same cache, asked anonymously and
    /// never reading a pull secret. A digest verified before answers at once; one never seen starts its verification,
    /// which goes on when the caller stops waiting, so the next request (and the reconciler) find it done.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, ArtifactVerification>> LookupAsync(AIModelDeployment deployment, BaselineProfile profile, ImmutableArray<string> references, CancellationToken cancellationToken)
    {
        if (PolicyOf(profile) is not { } policy)
        {
            return ImmutableDictionary<string, ArtifactVerification>.Empty;
        }

        var work = new VerificationWork(references, policy, null, deployment.Spec?.Models ?? []);
        var models = new ModelArtifactVerifier(cache, time);
        var lookups = new Task<ArtifactVerification>[references.Length];
        for (var i = 0; i < references.Length; i++)
        {
            lookups[i] = references[i].StartsWith(OciScheme, StringComparison.OrdinalIgnoreCase)
                ? models.VerifyAsync(references[i], work.DeclaredDigest(references[i]), policy, null, cancellationToken)
                : cache.VerifyAsync(references[i], policy, null, cancellationToken);
        }

        var results = new Dictionary<string, ArtifactVerification>(references.Length, StringComparer.Ordinal);
        for (var i = 0; i < references.Length; i++)
        {
            results[references[i]] = await lookups[i].ConfigureAwait(false);
        }

        return results;
    }

    /// <summary>The profile's trust policy, parsed once per version of the profile (the informer replaces the object on a change).</summary>
    private TrustPolicy? PolicyOf(BaselineProfile profile)
    {
        if (policies.TryGetValue(profile, out var known))
        {
            return known;
        }

        try
        {
            var policy = TrustPolicy.FromProfile(profile.Metadata?.Name ?? "(no name)", profile.Spec.Images);
            policies.AddOrUpdate(profile, policy);
            return policy;
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            return null;
        }
    }

    /// <summary>
    /// When the first cached Unavailable result expires: it was gathered at its VerifiedAt and lives FailureTtl.
    /// Never sooner than a second (or the TTL, if shorter), so a clock skew cannot spin the queue. The message names
    /// the registries and the TTL, not a time, so passes during a long outage leave the status as it is.
    /// </summary>
    private ScheduledRetry? RetryOf(ImmutableDictionary<string, ArtifactVerification> results)
    {
        var unavailable = results.Where(r => r.Value.Outcome == VerificationOutcome.Unavailable).ToList();
        if (unavailable.Count == 0)
        {
            return null;
        }

        var ttl = cacheOptions.FailureTtl;
        var remaining = unavailable.Min(r => r.Value.VerifiedAt + ttl) - time.GetUtcNow();
        var floor = ttl < TimeSpan.FromSeconds(1) ? ttl : TimeSpan.FromSeconds(1);
        var after = remaining < floor ? floor : remaining > ttl ? ttl : remaining;
        var registries = unavailable.Select(r => RegistryOf(r.Key)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var who = registries.Count == 1 ? $"Registry {registries[0]}" : $"Registries {string.Join(", ", registries)}";
        var artifacts = unavailable.Count == 1 ? "1 artifact" : $"{unavailable.Count} artifacts";
        return new ScheduledRetry(
            after,
            ReconcilingReasons.RetryScheduled,
            $"{who} did not answer for {artifacts}; next attempt within {ScheduledRetry.Describe(ttl)}");
    }

    /// <summary>The registry host of an image or oci:// model reference, or the reference itself when it does not parse.</summary>
    private static string RegistryOf(string reference)
    {
        var bare = reference.StartsWith(OciScheme, StringComparison.OrdinalIgnoreCase) ? reference[OciScheme.Length..] : reference;
        return ImageReference.TryParse(bare)?.Registry ?? reference;
    }
}
