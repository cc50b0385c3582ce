using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using AiBaseline.Api.V1Alpha1;
using AiBaseline.Engine;
using AiBaseline.Operator.ModelVerification;
using AiBaseline.Provenance;
using AiBaseline.Provenance.ModelSigning;
using AiBaseline.Verification;

namespace AiBaseline.Operator;

/// <summary>
/// The operator's model signature evidence (OpenSSF Model Signing) for deployments whose profile trusts model
/// signers: <c>oci://</c> models that name a signature are verified at their registry by <see cref="OciModelVerifier"/>
/// (manifest and signature only, never the weights), cached by source, signature, ignore paths and trust policy
/// for the verification cache's lifetimes; <c>pvc://</c> models by a verification Job when
/// <c>--model-verification-image</c> is set (<see cref="PvcModelVerifier"/>); models of other schemes are Unknown
/// with a reason that says how to make them verifiable, since the operator does not read volumes or buckets itself.
/// </summary>
internal sealed class ModelSignatureChecker(OciModelVerifier verifier, VerificationCacheOptions options, TimeProvider time, ILogger<ModelSignatureChecker> logger, PvcModelVerifier? volumes = null)
{
    private const string PvcScheme = "pvc://";
    private const string OciScheme = "oci://";
    private readonly ConcurrentDictionary<CacheKey, Entry> entries = new();
    private readonly ConditionalWeakTable<BaselineProfile, Trust> trusts = [];

    /// <summary>Whether the deployment has models for this checker: its profile trusts model signers and some model names a signature.</summary>
    public static bool Applies(AIModelDeployment deployment, BaselineProfile? profile) =>
        profile?.Spec?.Models?.Trust is { } trust && trust.HasSigners()
        && (deployment.Spec?.Models ?? []).Any(m => !string.IsNullOrWhiteSpace(m.Signature));

    /// <summary>Evidence by spec.models[].name for each model that names a signature; null when the checker does not apply or the trust policy is unusable.</summary>
    public async Task<ImmutableDictionary<string, ArtifactVerification>?> CheckAsync(AIModelDeployment deployment, BaselineProfile? profile, RegistryCredentials? credentials, CancellationToken ct)
    {
        if (!Applies(deployment, profile) || TrustOf(profile!) is not { Signers: { } signers } trust)
        {
            return null;
        }

        var models = (deployment.Spec?.Models ?? []).Where(m => !string.IsNullOrWhiteSpace(m.Signature)).DistinctBy(m => m.Name, StringComparer.Ordinal).ToList();
        var results = await Task.WhenAll(models.Select(m => volumes is not null && m.Source.StartsWith(PvcScheme, StringComparison.OrdinalIgnoreCase)
            ? volumes.VerifyAsync(deployment, m, trust.Json, ct)
            : VerifyAsync(m, signers, trust.Fingerprint, credentials, ct))).ConfigureAwait(false);
        return models.Select((m, i) => (m.Name, Result: results[i])).ToImmutableDictionary(r => r.Name, r => r.Result, StringComparer.Ordinal);
    }

    private Task<ArtifactVerification> VerifyAsync(ModelArtifact model, ImmutableArray<ModelSigner> signers, string fingerprint, RegistryCredentials? credentials, CancellationToken ct)
    {
        var source = model.Source ?? "";
        if (!source.StartsWith(OciScheme, StringComparison.OrdinalIgnoreCase))
        {
            var scheme = source.Contains("://", StringComparison.Ordinal) ? source[..source.IndexOf("://", StringComparison.Ordinal)] : "(none)";
            return Task.FromResult(ModelSignatureCheck.NotReachable(model,
                $"{source}: the operator does not read the files of {scheme} sources: publish the model to an OCI registry with one uncompressed layer per file "
                + "(ModelPack raw layers, `modctl build --raw`, or `oras push` of the files) and its model.sig, or verify the files in CI with "
                + "`aibaseline audit --verify --model-root DIR` or `aibaseline verify-model`"
                + (scheme.Equals("pvc", StringComparison.OrdinalIgnoreCase) ? "; or let the operator verify it in a Job: --model-verification-image (the chart's modelVerification.jobs.enabled)" : ""),
                time.GetUtcNow()));
        }

        var ignore = model.IgnorePaths is { } paths ? string.Join('\n', paths) : "";
        var key = new CacheKey(source, model.Signature!.Trim(), ignore, fingerprint, credentials is not null);
        while (true)
        {
            var entry = entries.GetOrAdd(key, _ => new Entry());
            if (entry.Start())
            {
                var request = new OciModelRequest(source, key.Signature, [.. model.IgnorePaths ?? []], signers);
                _ = RunAsync(entry, key, request, credentials);
            }
            else if (entry.Completion.Task.IsCompleted && time.GetUtcNow() >= entry.ExpiresAt)
            {
                entries.TryRemove(new KeyValuePair<CacheKey, Entry>(key, entry));
                continue;
            }

            return entry.Completion.Task.WaitAsync(ct);
        }
    }

    private async Task RunAsync(Entry entry, CacheKey key, OciModelRequest request, RegistryCredentials? credentials)
    {
        try
        {
            var result = await verifier.VerifyAsync(request, credentials, CancellationToken.None).ConfigureAwait(false);
            entry.ExpiresAt = time.GetUtcNow() + (result.Outcome == VerificationOutcome.Verified ? options.VerifiedTtl : options.FailureTtl);
            entry.Completion.SetResult(result);
        }
        catch (Exception e)
        {
            // An unexpected error is not cached: the waiting reconciles fail and retry, and the next one tries again.
            entries.TryRemove(new KeyValuePair<CacheKey, Entry>(key, entry));
            entry.Completion.SetException(e);
        }
    }

    /// <summary>The profile's model signers, built once per version of the profile; null signers when the trust policy is unusable.</summary>
    private Trust TrustOf(BaselineProfile profile) => trusts.GetValue(profile, p =>
    {
        var trust = p.Spec.Models.Trust!;
        var json = k8s.KubernetesJson.Serialize(trust);
        var fingerprint = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(json)))[..32];
        try
        {
            return new Trust(ModelSignatureCheck.SignersOf(trust), fingerprint, json);
        }
        catch (FormatException e)
        {
            // The engine then reports the model signatures as not checked; the profile's author sees why in the log.
            logger.LogWarning("Cannot verify model signatures with BaselineProfile {Profile}: {Reason}", p.Metadata?.Name, e.Message);
            return new Trust(null, fingerprint, json);
        }
    });

    private sealed record Trust(ImmutableArray<ModelSigner>? Signers, string Fingerprint, string Json);

    private readonly record struct CacheKey(string Source, string Signature, string IgnorePaths, string Trust, bool WithCredentials);

    private sealed class Entry
    {
        private int started;

        public TaskCompletionSource<ArtifactVerification> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public DateTimeOffset ExpiresAt { get; set; } = DateTimeOffset.MaxValue;

        /// <summary>True for the one caller that runs the verification.</summary>
        public bool Start() => Interlocked.Exchange(ref started, 1) == 0;
    }
}
