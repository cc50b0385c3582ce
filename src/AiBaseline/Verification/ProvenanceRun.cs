using System.Collections.Immutable;
using AiBaseline.Api.V1Alpha1;
using AiBaseline.Engine;
using AiBaseline.Provenance;
using k8s.Models;

namespace AiBaseline.Verification;

/// <summary>
/// Checks signatures and attestations of deployments' images and <c>oci://</c> models at their registries, so
/// the engine judges them with evidence instead of reporting them unchecked. Shared by <c>audit --verify</c>
/// and the operator; a bounded number of verifications run at once.
/// </summary>
public static class ProvenanceRun
{
    private const string OciScheme = "oci://";
    private const int Parallelism = 8;

    /// <summary>The distinct images of the pod: init, regular and ephemeral containers, in that order.</summary>
    public static ImmutableArray<string> ImagesOf(V1PodSpec? pod)
    {
        if (pod is null)
        {
            return [];
        }

        var images = (pod.InitContainers ?? []).Select(c => c.Image)
            .Concat((pod.Containers ?? []).Select(c => c.Image))
            .Concat((pod.EphemeralContainers ?? []).Select(c => c.Image));
        return [.. images.Where(i => !string.IsNullOrWhiteSpace(i)).Distinct(StringComparer.Ordinal)];
    }

    /// <summary>The references of one deployment to verify: its workload's images and its oci:// model sources.</summary>
    public static ImmutableArray<string> ReferencesOf(AIModelDeployment deployment, WorkloadState? workload) =>
        [.. (workload?.AllTemplates ?? []).SelectMany(t => ImagesOf(t.Template.Spec)).Distinct(StringComparer.Ordinal), .. (deployment.Spec?.Models ?? []).Select(m => m.Source)
            .Where(s => s is not null && s.StartsWith(OciScheme, StringComparison.OrdinalIgnoreCase)).Distinct(StringComparer.Ordinal)];

    /// <summary>Verifies the work items; returns the evidence per item, keyed by the reference as written.</summary>
    public static async Task<ImmutableArray<ImmutableDictionary<string, ArtifactVerification>>> RunAsync(
        IReadOnlyList<VerificationWork> work, IArtifactVerifier verifier, TimeProvider time, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(work);
        var models = new ModelArtifactVerifier(verifier, time);
        var jobs = work.SelectMany((w, i) => w.References.Select(r => (Index: i, Reference: r, Work: w))).ToList();
        var results = new ArtifactVerification[jobs.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, jobs.Count), new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = ct }, async (j, token) =>
        {
            var (_, reference, item) = jobs[j];
            results[j] = reference.StartsWith(OciScheme, StringComparison.OrdinalIgnoreCase)
                ? await models.VerifyAsync(reference, item.DeclaredDigest(reference), item.Policy, item.Credentials, token).ConfigureAwait(false)
                : await verifier.VerifyAsync(reference, item.Policy, item.Credentials, token).ConfigureAwait(false);
        }).ConfigureAwait(false);

        var maps = work.Select(_ => ImmutableDictionary.CreateBuilder<string, ArtifactVerification>(StringComparer.Ordinal)).ToList();
        for (var j = 0; j < jobs.Count; j++)
        {
            maps[jobs[j].Index][jobs[j].Reference] = results[j];
        }

        return [.. maps.Select(m => m.ToImmutable())];
    }
}

/// <summary>What to verify for one deployment, and whom to trust.</summary>
/// <param name="References">Images and oci:// model sources as written.</param>
/// <param name="Policy">The trust policy from the deployment's profile.</param>
/// <param name="Credentials">Registry logins from pull secrets, or null.</param>
/// <param name="Models">The deployment's declared models, for their digests.</param>
public sealed record VerificationWork(ImmutableArray<string> References, TrustPolicy Policy, RegistryCredentials? Credentials, IReadOnlyList<ModelArtifact> Models)
{
    /// <summary>The digest the deployment declares for the model at <paramref name="source"/>, if any.</summary>
    public string? DeclaredDigest(string source) =>
        Models.FirstOrDefault(m => m.Source == source)?.Digest is { Length: > 0 } digest ? digest.Trim() : null;
}
