using System.Collections.Immutable;
using AiBaseline.Api.V1Alpha1;
using AiBaseline.Engine;
using AiBaseline.Engine.Gathering;
using AiBaseline.Provenance;
using AiBaseline.Provenance.ModelSigning;
using AiBaseline.Provenance.Oci;
using AiBaseline.Verification;

namespace AiBaseline.Audit;

/// <summary>
/// The <c>--verify</c> step of one audit: prepared (and its input problems reported) before anything is
/// judged, run once before evaluation.
/// </summary>
public sealed class AuditVerifyStep
{
    private readonly IReadOnlyList<VerificationWork?> work;
    private readonly IReadOnlyList<IReadOnlyList<ModelWork>?> modelWork;
    private readonly RegistryClientOptions clientOptions;
    private readonly TimeProvider clock;

    private AuditVerifyStep(IReadOnlyList<VerificationWork?> work, IReadOnlyList<IReadOnlyList<ModelWork>?> modelWork, RegistryClientOptions clientOptions, TimeProvider clock) =>
        (this.work, this.modelWork, this.clientOptions, this.clock) = (work, modelWork, clientOptions, clock);

    /// <summary>
    /// Decides what each deployment needs verified: nothing when its profile asks for no signature keys or
    /// attestations (or is not found), else its images and oci:// models under the profile's trust policy; and,
    /// when the profile trusts model signers, the files of each model that names a signature, where
    /// <see cref="VerifyOptions.ModelRoots"/> maps its source.
    /// </summary>
    public static AuditVerifyStep Prepare(ManifestSet set, BaselineProfile? fallback, VerifyOptions options, TimeProvider clock, List<InputProblem> problems)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(problems);
        ArgumentNullException.ThrowIfNull(options);
        var policies = new Dictionary<BaselineProfile, TrustPolicy?>(ReferenceEqualityComparer.Instance);
        var signers = new Dictionary<BaselineProfile, ImmutableArray<ModelSigner>?>(ReferenceEqualityComparer.Instance);
        var roots = ModelRoots.Parse(options.ModelRoots ?? [], problems);
        var work = new List<VerificationWork?>(set.Deployments.Count);
        var modelWork = new List<IReadOnlyList<ModelWork>?>(set.Deployments.Count);
        foreach (var located in set.Deployments)
        {
            var (_, profile, _) = AuditRun.ProfileOf(set, fallback, located.Object);
            modelWork.Add(ModelWorkOf(located.Object, profile, roots, signers, () => CredentialsOf(located.Object, set), problems));
            var images = profile?.Spec?.Images;
            if (profile is null || images is null || !images.RequiresProvenance())
            {
                work.Add(null);
                continue;
            }

            if (!policies.TryGetValue(profile, out var policy))
            {
                policy = PolicyOf(profile, images, problems);
                policies[profile] = policy;
            }

            if (policy is null)
            {
                work.Add(null);
                continue;
            }

            var deployment = located.Object;
            var workload = SnapshotAssembler.Assemble(deployment, set.Index).Workload;
            var ns = deployment.Metadata?.NamespaceProperty ?? "default";
            work.Add(new VerificationWork(ProvenanceRun.ReferencesOf(deployment, workload), policy,
                AuditVerification.CredentialsOf(ns, workload?.Template.Spec, set.Index), deployment.Spec?.Models ?? []));
        }

        var modelSources = modelWork.SelectMany(m => m ?? []).Where(m => m.AtRegistry).Select(m => m.Model.Source);
        var client = AuditVerification.ClientOptions(options, work.SelectMany(w => w?.References ?? []).Concat(modelSources), problems);
        return new AuditVerifyStep(work, modelWork, client, clock);
    }

    /// <summary>
    /// Verifies the files of each model that names a signature against the profile's model signers: from the local copy
    /// --model-root maps, or for oci:// models without one, at the registry (manifest and signature, not the weights).
    /// The evidence per deployment in input order, by model name.
    /// </summary>
    public IReadOnlyList<ImmutableDictionary<string, ArtifactVerification>?> RunModels()
    {
        var now = clock.GetUtcNow();
        using var registry = modelWork.Any(m => m?.Any(w => w.AtRegistry) == true) ? new RegistryClient(clientOptions, TimeProvider.System) : null;
        var oci = registry is null ? null : new OciModelVerifier(registry, clock);
        return [.. modelWork.Select(models => models?.ToImmutableDictionary(m => m.Model.Name, m => Verify(m, oci, now), StringComparer.Ordinal))];
    }

    private static ArtifactVerification Verify(ModelWork work, OciModelVerifier? oci, DateTimeOffset now)
    {
        if (work.AtRegistry && oci is not null)
        {
            var request = new OciModelRequest(work.Model.Source, work.Model.Signature!, [.. work.Model.IgnorePaths ?? []], work.Signers);
            return oci.VerifyAsync(request, work.Credentials, CancellationToken.None).GetAwaiter().GetResult();
        }

        return work.Path is null || work.Signature is null
            ? ModelSignatureCheck.NotReachable(work.Model, $"{work.Model.Source}: {work.WhyNot}", now)
            : ModelSignatureCheck.VerifyAsync(work.Model, work.Path, work.Signature, work.Signers, now, CancellationToken.None).GetAwaiter().GetResult();
    }

    /// <summary>Verifies everything; the evidence per deployment in input order (null where nothing was asked).</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, ArtifactVerification>?> Run()
    {
        using var registry = new RegistryClient(clientOptions, TimeProvider.System);
        var verifier = new CachingArtifactVerifier(new CosignVerifier(registry, clock), clock);
        var items = work.OfType<VerificationWork>().ToList();
        var results = ProvenanceRun.RunAsync(items, verifier, clock, CancellationToken.None).GetAwaiter().GetResult();
        var next = 0;
        return [.. work.Select(w => w is null ? null : (IReadOnlyDictionary<string, ArtifactVerification>)results[next++])];
    }

    /// <summary>The models of a deployment that name a signature, where their files and signature are here; null when the profile trusts no model signers.</summary>
    private static List<ModelWork>? ModelWorkOf(AIModelDeployment deployment, BaselineProfile? profile, ModelRoots roots,
        Dictionary<BaselineProfile, ImmutableArray<ModelSigner>?> signers, Func<RegistryCredentials?> credentials, List<InputProblem> problems)
    {
        if (profile?.Spec?.Models?.Trust is not { } trust || !trust.HasSigners())
        {
            return null;
        }

        if (!signers.TryGetValue(profile, out var trusted))
        {
            try
            {
                trusted = ModelSignatureCheck.SignersOf(trust);
            }
            catch (FormatException e)
            {
                problems.Add(new InputProblem("--verify", 0, $"{ApiGroup.BaselineProfileKind}/{profile.Metadata?.Name}", null, e.Message));
                trusted = null;
            }

            signers[profile] = trusted;
        }

        if (trusted is not { } policy)
        {
            return null;
        }

        var list = new List<ModelWork>();
        var byName = new HashSet<string>(StringComparer.Ordinal);
        foreach (var model in deployment.Spec?.Models ?? [])
        {
            if (string.IsNullOrWhiteSpace(model.Signature) || !byName.Add(model.Name))
            {
                continue;
            }

            var (path, whyNot) = roots.Resolve(model.Source ?? "");
            var (signature, sigWhyNot) = path is null ? (null, null) : roots.SignaturePath(model.Signature.Trim(), path);
            var atRegistry = path is null && (model.Source ?? "").StartsWith("oci://", StringComparison.OrdinalIgnoreCase);
            list.Add(new ModelWork(model, path, signature, whyNot ?? sigWhyNot, policy, atRegistry, atRegistry ? credentials() : null));
        }

        return list.Count == 0 ? null : list;
    }

    /// <summary>One model to verify: its local path and signature, or why it has none here; or at its registry (an oci:// model no --model-root maps), with the workload's logins.</summary>
    private sealed record ModelWork(ModelArtifact Model, string? Path, string? Signature, string? WhyNot, ImmutableArray<ModelSigner> Signers, bool AtRegistry, RegistryCredentials? Credentials);

    /// <summary>The logins of the deployment's workload's pull secrets in the input, as for its images.</summary>
    private static RegistryCredentials? CredentialsOf(AIModelDeployment deployment, ManifestSet set)
    {
        var workload = SnapshotAssembler.Assemble(deployment, set.Index).Workload;
        return AuditVerification.CredentialsOf(deployment.Metadata?.NamespaceProperty ?? "default", workload?.Template.Spec, set.Index);
    }

    private static TrustPolicy? PolicyOf(BaselineProfile profile, ImagePolicy images, List<InputProblem> problems)
    {
        try
        {
            return TrustPolicy.FromProfile(profile.Metadata?.Name ?? "(no name)", images);
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            problems.Add(new InputProblem("--verify", 0, $"{ApiGroup.BaselineProfileKind}/{profile.Metadata?.Name}", "spec.images", e.Message));
            return null;
        }
    }
}
