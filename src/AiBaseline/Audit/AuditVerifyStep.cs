using AiBaseline.Api.V1Alpha1;
using AiBaseline.Engine;
using AiBaseline.Engine.Gathering;
using AiBaseline.Provenance;
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
    private readonly RegistryClientOptions clientOptions;
    private readonly TimeProvider clock;

    private AuditVerifyStep(IReadOnlyList<VerificationWork?> work, RegistryClientOptions clientOptions, TimeProvider clock) =>
        (this.work, this.clientOptions, this.clock) = (work, clientOptions, clock);

    /// <summary>
    /// Decides what each deployment needs verified: nothing when its profile asks for no signature keys or
    /// attestations (or is not found), else its images and oci:// models under the profile's trust policy.
    /// </summary>
    public static AuditVerifyStep Prepare(ManifestSet set, BaselineProfile? fallback, VerifyOptions options, TimeProvider clock, List<InputProblem> problems)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(problems);
        var policies = new Dictionary<BaselineProfile, TrustPolicy?>(ReferenceEqualityComparer.Instance);
        var work = new List<VerificationWork?>(set.Deployments.Count);
        foreach (var located in set.Deployments)
        {
            var (_, profile, _) = AuditRun.ProfileOf(set, fallback, located.Object);
            var images = profile?.Spec?.Images;
            if (profile is null || images is null || (images.SignatureKeys is not { Count: > 0 } && images.RequiredAttestations is not { Count: > 0 }))
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

        var client = AuditVerification.ClientOptions(options, work.SelectMany(w => w?.References ?? []), problems);
        return new AuditVerifyStep(work, client, clock);
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

    private static TrustPolicy? PolicyOf(BaselineProfile profile, ImagePolicy images, List<InputProblem> problems)
    {
        try
        {
            return TrustPolicy.FromProfile(profile.Metadata?.Name ?? "(no name)", images);
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            problems.Add(new InputProblem("--verify", 0, $"{ApiGroup.BaselineProfileKind}/{profile.Metadata?.Name}", "spec.images.signatureKeys", e.Message));
            return null;
        }
    }
}
