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
/// <param name="ModelSignatures">Model signature evidence by spec.models[].name; null when the profile trusts no model signers.</param>
internal sealed record ProvenanceResult(ImmutableDictionary<string, ArtifactVerification>? Provenance, ScheduledRetry? Retry, ImmutableDictionary<string, ArtifactVerification>? ModelSignatures = null)
{
    public static ProvenanceResult None { get; } = new(null, null);
}

/// <summary>
/// Verifies the images and oci:// models of deployments whose profile lists signature keys or required
/// attestations, through one process-wide cache so each digest costs one verification per TTL however many
/// deployments and reconciles ask; and, when the profile trusts model signers, the model signatures of the models
/// that name one (<see cref="ModelSignatureChecker"/>). Registries are reached anonymously unless a pull-secret reader is given
/// (<c>--read-pull-secrets</c>): then the workload's image pull secrets are read for each pass that verifies.
/// </summary>
internal sealed class ProvenanceChecker(
    IArtifactVerifier verifier, PullSecretReader? pullSecrets, VerificationCacheOptions cacheOptions, TimeProvider time, ILogger<ProvenanceChecker> logger, ModelSignatureChecker? modelSignatures = null)
{
    private const string OciScheme = "oci://";
    private readonly CachingArtifactVerifier cache = new(verifier, time, cacheOptions);
    private readonly ConditionalWeakTable<BaselineProfile, TrustPolicy> policies = [];

    public async Task<ProvenanceResult> CheckAsync(AIModelDeployment deployment, WorkloadState? workload, BaselineProfile? profile, CancellationToken cancellationToken)
    {
        var images = profile?.Spec?.Images;
        var checkImages = profile is not null && images is not null && images.RequiresProvenance();
        var checkModels = modelSignatures is not null && ModelSignatureChecker.Applies(deployment, profile);
        if (!checkImages && !checkModels)
        {
            return ProvenanceResult.None;
        }

        TrustPolicy? policy = null;
        try
        {
            policy = checkImages ? TrustPolicy.FromProfile(profile!.Metadata?.Name ?? "(no name)", images!) : null;
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            // The engine then reports the signatures as not checked; the profile's author sees why in the log.
            logger.LogWarning("Cannot verify provenance with BaselineProfile {Profile}: {Reason}", profile!.Metadata?.Name, e.Message);
        }

        var references = policy is null ? [] : ProvenanceRun.ReferencesOf(deployment, workload);
        var credentials = pullSecrets is not null && (references.Length > 0 || checkModels)
            ? await pullSecrets.CredentialsAsync(deployment.Metadata.NamespaceProperty, workload?.Template.Spec, cancellationToken).ConfigureAwait(false)
            : null;
        var models = checkModels ? modelSignatures!.CheckAsync(deployment, profile, credentials, cancellationToken) : Task.FromResult<ImmutableDictionary<string, ArtifactVerification>?>(null);
        ImmutableDictionary<string, ArtifactVerification>? provenance = null;
        if (policy is not null)
        {
            var work = new VerificationWork(references, policy, credentials, deployment.Spec?.Models ?? []);
            provenance = (await ProvenanceRun.RunAsync([work], cache, time, cancellationToken).ConfigureAwait(false))[0];
        }

        var signatures = await models.ConfigureAwait(false);
        return new ProvenanceResult(provenance, RetryOf([.. provenance?.Values ?? [], .. signatures?.Values.Where(RegistryDidNotAnswer) ?? []]), signatures);
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
    private ScheduledRetry? RetryOf(IReadOnlyList<ArtifactVerification> results)
    {
        var unavailable = results.Where(r => r.Outcome == VerificationOutcome.Unavailable).ToList();
        if (unavailable.Count == 0)
        {
            return null;
        }

        var ttl = cacheOptions.FailureTtl;
        var remaining = unavailable.Min(r => r.VerifiedAt + ttl) - time.GetUtcNow();
        var floor = ttl < TimeSpan.FromSeconds(1) ? ttl : TimeSpan.FromSeconds(1);
        var after = remaining < floor ? floor : remaining > ttl ? ttl : remaining;
        var registries = unavailable.Select(r => RegistryOf(r.Reference)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var who = registries.Count == 1 ? $"Registry {registries[0]}" : $"Registries {string.Join(", ", registries)}";
        var artifacts = unavailable.Count == 1 ? "1 artifact" : $"{unavailable.Count} artifacts";
        return new ScheduledRetry(
            after,
            ReconcilingReasons.RetryScheduled,
            $"{who} did not answer for {artifacts}; next attempt within {ScheduledRetry.Describe(ttl)}");
    }

    /// <summary>Model signature evidence that a later pass may find: the registry did not answer (a layer that cannot be compared stays so until it is pushed again).</summary>
    private static bool RegistryDidNotAnswer(ArtifactVerification result) =>
        result.Outcome == VerificationOutcome.Unavailable && result.Reason is VerificationReasons.RegistryUnavailable or VerificationReasons.RegistryUnauthorized;

    /// <summary>The registry host of an image or oci:// model reference, or the reference itself when it does not parse.</summary>
    private static string RegistryOf(string reference)
    {
        var bare = reference.StartsWith(OciScheme, StringComparison.OrdinalIgnoreCase) ? reference[OciScheme.Length..] : reference;
        return ImageReference.TryParse(bare)?.Registry ?? reference;
    }
}
