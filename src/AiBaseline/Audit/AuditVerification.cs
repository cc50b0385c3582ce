using System.Collections.Immutable;
using System.Net;
using AiBaseline.Api.V1Alpha1;
using AiBaseline.Engine;
using AiBaseline.Provenance;
using AiBaseline.Provenance.Oci;
using k8s.Models;

namespace AiBaseline.Audit;

/// <summary>How <c>audit --verify</c> reaches registries.</summary>
/// <param name="RegistryCaFile">A PEM bundle of extra CAs to trust, or null.</param>
/// <param name="InsecureRegistries">Registries ("host[:port]") spoken to over plain HTTP.</param>
/// <param name="Timeout">How long to wait for each registry request.</param>
public sealed record VerifyOptions(string? RegistryCaFile = null, IReadOnlyList<string>? InsecureRegistries = null, TimeSpan? Timeout = null);

/// <summary>
/// Checks signatures and attestations of every deployment's images and <c>oci://</c> models at their
/// registries, so the engine judges them with evidence instead of reporting them unchecked. Each distinct
/// artifact is verified once per trust policy; a bounded number run at once.
/// </summary>
public static class AuditVerification
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

    /// <summary>
    /// Registry client settings: the CA bundle, the insecure registries, and plain HTTP for loopback
    /// registries of <paramref name="references"/>, as cosign does. Unreadable CA files are input problems.
    /// </summary>
    public static RegistryClientOptions ClientOptions(VerifyOptions options, IEnumerable<string> references, List<InputProblem> problems)
    {
        ArgumentNullException.ThrowIfNull(options);
        var plain = new HashSet<string>(options.InsecureRegistries ?? [], StringComparer.OrdinalIgnoreCase);
        foreach (var reference in references)
        {
            var bare = reference.StartsWith(OciScheme, StringComparison.OrdinalIgnoreCase) ? reference[OciScheme.Length..] : reference;
            if (ImageReference.TryParse(bare) is { } image && IsLoopback(image.Registry))
            {
                plain.Add(image.Registry);
            }
        }

        var client = new RegistryClientOptions { PlainHttpRegistries = plain, RequestTimeout = options.Timeout ?? TimeSpan.FromSeconds(10) };
        if (options.RegistryCaFile is { } caFile)
        {
            try
            {
                client = client with { ExtraTrustedCertificates = RegistryClientOptions.LoadPemBundle(File.ReadAllText(caFile)) };
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or System.Security.Cryptography.CryptographicException)
            {
                problems.Add(new InputProblem(caFile, 0, null, "--registry-ca", $"cannot be used as a CA bundle: {e.Message}"));
            }
        }

        return client;
    }

    /// <summary>The references of one deployment to verify: its workload's images and its oci:// model sources.</summary>
    public static ImmutableArray<string> ReferencesOf(AIModelDeployment deployment, WorkloadState? workload) =>
        [.. ImagesOf(workload?.Template.Spec), .. (deployment.Spec?.Models ?? []).Select(m => m.Source)
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

    /// <summary>Logins from the pod's imagePullSecrets and its ServiceAccount's, as the kubelet uses them; null when none are in the input.</summary>
    public static RegistryCredentials? CredentialsOf(string ns, V1PodSpec? pod, ManifestIndex index)
    {
        ArgumentNullException.ThrowIfNull(index);
        var names = (pod?.ImagePullSecrets ?? []).Select(s => s.Name)
            .Concat(index.ServiceAccount(ns, Engine.Gathering.SnapshotAssembler.ServiceAccountName(pod))?.ImagePullSecrets?.Select(s => s.Name) ?? []);
        var configs = names.Where(n => n is not null).Distinct(StringComparer.Ordinal)
            .Select(n => index.PullSecret(ns, n)).OfType<ReadOnlyMemory<byte>>().ToList();
        return configs.Count == 0 ? null : RegistryCredentials.FromDockerConfigJson(configs);
    }

    private static bool IsLoopback(string registry)
    {
        var host = registry.StartsWith('[') ? registry[1..registry.IndexOf(']', StringComparison.Ordinal)]
            : registry.Contains(':', StringComparison.Ordinal) ? registry[..registry.LastIndexOf(':')] : registry;
        return host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip));
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
