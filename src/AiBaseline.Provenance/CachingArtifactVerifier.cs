using System.Collections.Concurrent;
using AiBaseline.Engine;
using AiBaseline.Provenance.Oci;

namespace AiBaseline.Provenance;

/// <summary>How long results live and how many verifications may talk to one registry at once.</summary>
public sealed record VerificationCacheOptions
{
    /// <summary>Lifetime of a Verified result.</summary>
    public TimeSpan VerifiedTtl { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Lifetime of a Failed or Unavailable result: shorter, so a fixed signature or a recovered registry is seen soon.</summary>
    public TimeSpan FailureTtl { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Verifications running against one registry at the same time.</summary>
    public int MaxConcurrentPerRegistry { get; init; } = 4;
}

/// <summary>
/// Caches verifications by repository + digest (or the tag as written, when unpinned) and trust policy, so many
/// pods on few images cost one verification per image. Callers asking for the same key while it runs share
/// that one verification; a caller's cancellation stops only its own wait. Credentials are not part of the key (a
/// Verified result holds whoever asked), but a failure found without credentials is not served to a caller that has
/// some: that caller verifies again, so one anonymous pod cannot hide a private image from pods that can log in.
/// </summary>
public sealed class CachingArtifactVerifier(IArtifactVerifier inner, TimeProvider time, VerificationCacheOptions? options = null) : IArtifactVerifier
{
    private readonly VerificationCacheOptions options = options ?? new VerificationCacheOptions();
    private readonly ConcurrentDictionary<CacheKey, Entry> entries = new();
    private readonly ConcurrentDictionary<(string Reference, string Policy), Entry> aliases = new();
    private readonly ConcurrentDictionary<string, SemaphoreSlim> registryGates = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Verifications actually run (cache misses), for metrics and tests.</summary>
    public long Misses => Interlocked.Read(ref misses);

    private long misses;

    /// <inheritdoc />
    public Task<ArtifactVerification> VerifyAsync(string reference, TrustPolicy policy, RegistryCredentials? credentials, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(policy);

        // Hot path for a reference seen before: no parsing, no allocation, the cached task itself is returned.
        if (aliases.TryGetValue((reference, policy.Fingerprint), out var hit)
            && hit.Completion.Task.IsCompletedSuccessfully
            && time.GetUtcNow() < hit.ExpiresAt
            && string.Equals(hit.Completion.Task.Result.Reference, reference, StringComparison.Ordinal)
            && Serves(hit, credentials))
        {
            return hit.Completion.Task;
        }

        return VerifyOrWaitAsync(reference, policy, credentials, ct);
    }

    private async Task<ArtifactVerification> VerifyOrWaitAsync(string reference, TrustPolicy policy, RegistryCredentials? credentials, CancellationToken ct)
    {
        var image = ImageReference.TryParse(reference);
        if (image is null)
        {
            return await inner.VerifyAsync(reference, policy, credentials, ct).ConfigureAwait(false);
        }

        var key = new CacheKey(image.Name, image.Digest ?? ":" + (image.Tag ?? "latest"), policy.Fingerprint);
        var retried = false;
        while (true)
        {
            if (!entries.TryGetValue(key, out var entry))
            {
                var candidate = new Entry(Anonymous: credentials is null);
                entry = entries.GetOrAdd(key, candidate);
                if (ReferenceEquals(entry, candidate))
                {
                    // Only the caller whose entry was stored starts the work, so a key never runs twice at once.
                    Interlocked.Increment(ref misses);
                    _ = RunAsync(candidate, key, reference, policy, credentials, image.Registry);
                }
            }
            else if (entry.Completion.Task.IsCompleted && time.GetUtcNow() >= entry.ExpiresAt)
            {
                entries.TryRemove(new KeyValuePair<CacheKey, Entry>(key, entry));
                continue;
            }
            else if (!retried && entry.Completion.Task.IsCompleted && !Serves(entry, credentials))
            {
                // An anonymous failure, and this caller has logins: its own run replaces the entry, once.
                retried = true;
                entries.TryRemove(new KeyValuePair<CacheKey, Entry>(key, entry));
                continue;
            }

            // An expired or failed entry stays referenced here only until this caller replaces it.
            aliases[(reference, policy.Fingerprint)] = entry;
            var result = await entry.Completion.Task.WaitAsync(ct).ConfigureAwait(false);
            if (!retried && !Serves(entry, credentials))
            {
                // The run this caller waited for was anonymous and failed: its logins get their own run, once.
                retried = true;
                entries.TryRemove(new KeyValuePair<CacheKey, Entry>(key, entry));
                continue;
            }

            return result.Reference == reference ? result : result with { Reference = reference };
        }
    }

    private async Task RunAsync(Entry entry, CacheKey key, string reference, TrustPolicy policy, RegistryCredentials? credentials, string registry)
    {
        var gate = registryGates.GetOrAdd(registry, _ => new SemaphoreSlim(options.MaxConcurrentPerRegistry));
        await gate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            var result = await inner.VerifyAsync(reference, policy, credentials, CancellationToken.None).ConfigureAwait(false);
            entry.ExpiresAt = time.GetUtcNow() + (result.Outcome == VerificationOutcome.Verified ? options.VerifiedTtl : options.FailureTtl);
            entry.Completion.SetResult(result);
        }
        catch (Exception e)
        {
            // An unexpected error must not stay cached: the waiting callers see it, the next caller tries again.
            entries.TryRemove(new KeyValuePair<CacheKey, Entry>(key, entry));
            entry.Completion.SetException(e);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Whether <paramref name="entry"/>'s result answers a caller with <paramref name="credentials"/>.</summary>
    private static bool Serves(Entry entry, RegistryCredentials? credentials) =>
        credentials is null || !entry.Anonymous || !entry.Completion.Task.IsCompletedSuccessfully
        || entry.Completion.Task.Result.Outcome == VerificationOutcome.Verified;

    private readonly record struct CacheKey(string Repository, string DigestOrTag, string Policy);

    /// <param name="Anonymous">Whether the verification ran without credentials.</param>
    private sealed class Entry(bool Anonymous)
    {
        public bool Anonymous { get; } = Anonymous;

        public TaskCompletionSource<ArtifactVerification> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public DateTimeOffset ExpiresAt { get; set; } = DateTimeOffset.MaxValue;
    }
}
