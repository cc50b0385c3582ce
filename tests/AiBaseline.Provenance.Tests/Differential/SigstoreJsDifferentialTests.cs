using AiBaseline.Provenance.Tests.Support;

namespace AiBaseline.Provenance.Tests.Differential;

/// <summary>
/// The keyless vectors and seeded mutations of them get the same accept/reject from this verifier and from
/// sigstore-js (@sigstore/verify 4.1.3, installed by tests/setup.d/40-sigstore-js.sh) under the same trusted
/// root and identity. Skips, saying why, when node or sigstore-js is not installed.
/// </summary>
public sealed class SigstoreJsDifferentialTests : IDisposable
{
    private const int MutationsPerBundle = 150;
    private readonly DirectoryInfo dir = Directory.CreateTempSubdirectory("sigstore-differential-");

    [Fact]
    public void The_vectors_and_300_mutations_get_the_same_verdict_from_both_verifiers()
    {
        SigstoreJs.Directory();
        var v0 = SigstoreVectors.Bundle("v1.0.0-sigstore");
        var v1 = SigstoreVectors.Bundle("v1.0.1-sigstore");
        List<(string Name, byte[] Bundle)> cases =
        [
            ("v1.0.0-sigstore as signed", v0),
            ("v1.0.1-sigstore as signed", v1),
            .. BundleMutations.Of(v0, v1, seed: 13, MutationsPerBundle).Select(m => ("v1.0.0 " + m.Name, m.Bundle)),
            .. BundleMutations.Of(v1, v0, seed: 31, MutationsPerBundle).Select(m => ("v1.0.1 " + m.Name, m.Bundle)),
        ];

        var theirs = SigstoreJs.Verify(dir.FullName, [.. cases.Select(c => c.Bundle)],
            Path.Combine(SigstoreVectors.Dir, "public-good-trusted_root.json"), SigstoreVectors.Identity, SigstoreVectors.Issuer);
        var disagreements = SigstoreJs.Disagreements(cases, theirs, SigstoreVectors.KeylessPolicy());

        Assert.True(disagreements.Count == 0, $"{disagreements.Count} of {cases.Count} disagree:\n" + string.Join('\n', disagreements));
        Assert.True(theirs[0].Ok && theirs[1].Ok, "sigstore-js must accept the unchanged vectors");
        Assert.True(theirs.Skip(2).Count(t => !t.Ok) > MutationsPerBundle, "most mutations must be rejected, or the mutations test nothing");
    }

    public void Dispose() => dir.Delete(recursive: true);
}
