using AiBaseline.Api.V1Alpha1;

namespace AiBaseline.Audit;

/// <summary>An object of the input with the file and line it starts at.</summary>
public sealed record Located<T>(T Object, string File, int Line);

/// <summary>What the input held: the deployments to judge, the profiles, and the cluster objects around them.</summary>
public sealed class ManifestSet
{
    /// <summary>Every AIModelDeployment, in input order.</summary>
    public List<Located<AIModelDeployment>> Deployments { get; } = [];

    /// <summary>BaselineProfiles by name; the first one of a name wins.</summary>
    public Dictionary<string, BaselineProfile> Profiles { get; } = new(StringComparer.Ordinal);

    /// <summary>Every BaselineException, in input order.</summary>
    public List<Located<BaselineException>> Waivers { get; } = [];

    /// <summary>Every RetirementRecord (exported from a cluster), in input order; only the report reads them.</summary>
    public List<Located<RetirementRecord>> RetirementRecords { get; } = [];

    /// <summary>The other objects, indexed for the snapshot assembler.</summary>
    public ManifestIndex Index { get; } = new();
}

/// <summary>A workload of the input with its namespace.</summary>
/// <param name="Namespace">Its namespace.</param>
/// <param name="Workload">Its pod templates.</param>
/// <param name="Owned">Another object controls it (ownerReferences with controller: true).</param>
public sealed record NamespacedWorkload(string Namespace, Engine.WorkloadState Workload, bool Owned);
