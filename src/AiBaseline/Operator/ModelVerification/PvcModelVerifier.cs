using System.Collections.Concurrent;
using System.Net;
using AiBaseline.Api.V1Alpha1;
using AiBaseline.Controller;
using AiBaseline.Controller.Api;
using AiBaseline.Controller.Informers;
using AiBaseline.Engine;
using AiBaseline.Engine.Controls;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace AiBaseline.Operator.ModelVerification;

/// <summary>
/// Verifies pvc:// models with a Job per model and version of its claim (<see cref="VerificationJob"/>): finds the
/// Job for what is to be verified through an informer over the operator's verification Jobs, creates it when there
/// is none and no other Job of the claim is running, removes the model's finished Jobs that verified older inputs,
/// and reads the result of a finished one once. Verified and NotMet results are kept in memory by what was
/// verified; an Unknown one is read from its Job again, so it is retried when the Job is removed.
/// </summary>
internal sealed class PvcModelVerifier
{
    private readonly Kubernetes client;
    private readonly InformerCache<PartialObjectMetadata> claims;
    private readonly VerificationJobSettings settings;
    private readonly TimeProvider time;
    private readonly ILogger<PvcModelVerifier> logger;
    private readonly ConcurrentDictionary<string, ArtifactVerification> results = new(StringComparer.Ordinal);

    public PvcModelVerifier(Kubernetes client, KubeApiClient api, IReadOnlyList<string> namespaces, InformerCache<PartialObjectMetadata> claims, VerificationJobSettings settings, ILoggerFactory loggers, TimeProvider time)
    {
        this.client = client;
        this.claims = claims;
        this.settings = settings;
        this.time = time;
        logger = loggers.CreateLogger<PvcModelVerifier>();
        var cache = new InformerCache<V1Job>();
        IReadOnlyList<string?> scopes = namespaces.Count > 0 ? [.. namespaces] : [null];
        Jobs = new InformerSet<V1Job>(cache, scopes.Select(ns => new Informer<V1Job>(
            api,
            new InformerOptions(OperatorResources.Jobs)
            {
                Namespace = ns,
                LabelSelector = VerificationJob.Selector,
                Name = scopes.Count > 1 ? $"model verification jobs in {ns}" : "model verification jobs",
            },
            loggers.CreateLogger<Informer<V1Job>>(),
            time)
        {
            Cache = cache,
            Transform = j =>
            {
                j.Metadata.ManagedFields = null;
                return j;
            },
        }));
    }

    /// <summary>The operator's verification Jobs, with their status.</summary>
    public InformerSet<V1Job> Jobs { get; }

    /// <summary>The AIModelDeployments of a Job's namespace with a model on the Job's claim.</summary>
    public static IEnumerable<ObjectKey> DeploymentsOf(InformerEvent<V1Job> change, InformerCache<AIModelDeployment> deployments) =>
        change.Object.Metadata.Annotations is { } annotations && annotations.TryGetValue(VerificationJob.ClaimLabel, out var claim)
            ? OnClaim(change.Object.Metadata.NamespaceProperty, claim, deployments)
            : [];

    /// <summary>The AIModelDeployments with a model on a claim that changed: its contents may have.</summary>
    public static IEnumerable<ObjectKey> DeploymentsOf(InformerEvent<PartialObjectMetadata> change, InformerCache<AIModelDeployment> deployments) =>
        OnClaim(change.Object.Metadata.NamespaceProperty, change.Object.Metadata.Name, deployments);

    private static List<ObjectKey> OnClaim(string ns, string claim, InformerCache<AIModelDeployment> deployments) =>
        deployments.ListByNamespace(ns)
            .Where(d => (d.Spec?.Models ?? []).Any(m => !string.IsNullOrWhiteSpace(m.Signature) && VerificationTarget.SplitPvc(m.Source).Claim == claim))
            .Select(ObjectKey.Of)
            .ToList();

    public async Task<ArtifactVerification> VerifyAsync(AIModelDeployment deployment, ModelArtifact model, string trustJson, CancellationToken ct)
    {
        var ns = deployment.Metadata.NamespaceProperty;
        var now = time.GetUtcNow();
        var (claimName, _) = VerificationTarget.SplitPvc(model.Source);
        if (claimName is null || claims.Get(new ObjectKey(ns, claimName)) is not { } claim)
        {
            return NotReachable(model, $"{model.Source}: PersistentVolumeClaim {ns}/{claimName} does not exist", now);
        }

        var (target, why) = VerificationTarget.Of(model, $"{claim.Metadata.Uid}/{claim.Metadata.ResourceVersion}", trustJson);
        if (target is null)
        {
            return NotReachable(model, why!, now);
        }

        var hash = target.Hash();
        if (results.TryGetValue($"{ns}/{hash}", out var known))
        {
            return known;
        }

        var name = VerificationJob.NameOf(target);
        var ofClaim = Jobs.Cache.ListByNamespace(ns).Where(j => Annotation(j, VerificationJob.ClaimLabel) == target.Claim).ToList();
        if (ofClaim.FirstOrDefault(j => Annotation(j, VerificationJob.HashAnnotation) == hash) is { } mine)
        {
            return await ReadAsync(mine, model, ns, hash, ct).ConfigureAwait(false);
        }

        if (ofClaim.FirstOrDefault(j => !Finished(j)) is { } other)
        {
            return VerificationJobOutcome.Running(model.Source, $"{model.Source}: waiting for verification Job {ns}/{other.Metadata.Name} of claim {target.Claim} to finish before verifying its current contents", now);
        }

        // Only this model's own superseded Jobs: another model's on the same claim keeps its result until its TTL.
        foreach (var stale in ofClaim.Where(j => Annotation(j, VerificationJob.SourceAnnotation) == model.Source))
        {
            await DeleteAsync(stale, ct).ConfigureAwait(false);
        }

        try
        {
            await client.BatchV1.CreateNamespacedJobAsync(VerificationJob.Build(deployment, model, target, settings), ns, cancellationToken: ct).ConfigureAwait(false);
            logger.LogInformation("Created model verification Job {Namespace}/{Job} for {Source}", ns, name, model.Source);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Conflict)
        {
            // Created by an earlier pass whose event the cache has not delivered yet.
        }
        catch (HttpOperationException e) when (e.Response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.UnprocessableEntity)
        {
            return NotReachable(model, $"{model.Source}: cannot create verification Job {ns}/{name}: {e.Response.Content}", now);
        }

        return VerificationJobOutcome.Running(model.Source, $"{model.Source}: verification Job {ns}/{name} is running (deadline {(long)settings.Deadline.TotalSeconds}s)", now);
    }

    private async Task<ArtifactVerification> ReadAsync(V1Job job, ModelArtifact model, string ns, string hash, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (!Finished(job))
        {
            return VerificationJobOutcome.Running(model.Source, $"{model.Source}: verification Job {ns}/{job.Metadata.Name} is running (deadline {job.Spec?.ActiveDeadlineSeconds}s)", now);
        }

        // Read once, when the Job has finished: its Pod holds the verifier's result in the termination message.
        var pods = await client.CoreV1.ListNamespacedPodAsync(ns, labelSelector: $"batch.kubernetes.io/job-name={job.Metadata.Name}", cancellationToken: ct).ConfigureAwait(false);
        var result = VerificationJobOutcome.Read(job, [.. pods.Items], model.Source, now)!;
        if (result.Outcome != VerificationOutcome.Unavailable)
        {
            results[$"{ns}/{hash}"] = result;
        }

        return result;
    }

    private async Task DeleteAsync(V1Job job, CancellationToken ct)
    {
        try
        {
            await client.BatchV1.DeleteNamespacedJobAsync(job.Metadata.Name, job.Metadata.NamespaceProperty, propagationPolicy: "Background", cancellationToken: ct).ConfigureAwait(false);
            logger.LogInformation("Removed model verification Job {Namespace}/{Job}: its claim or signature changed", job.Metadata.NamespaceProperty, job.Metadata.Name);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            // Already gone.
        }
    }

    private static string? Annotation(V1Job job, string key) =>
        job.Metadata.Annotations is { } annotations && annotations.TryGetValue(key, out var value) ? value : null;

    private static bool Finished(V1Job job) =>
        job.Status?.Conditions?.Any(c => c.Type is "Complete" or "Failed" && c.Status == "True") == true;

    private static ArtifactVerification NotReachable(ModelArtifact model, string why, DateTimeOffset now) =>
        new(model.Source, null, VerificationOutcome.Unavailable, ModelIntegrityControl.ModelNotReachableReason, why, [], [], now);
}
