using System.Diagnostics;
using System.Text.Json;
using AiBaseline.Provenance.Sigstore;
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
        var sigstoreJs = Environment.GetEnvironmentVariable("AIBASELINE_SIGSTORE_JS") is { Length: > 0 } set
            ? set
            : Path.Combine(Tools.RepositoryRoot(), ".tools", "sigstore-js");
        Assert.SkipWhen(!File.Exists(Path.Combine(sigstoreJs, "node_modules", "@sigstore", "verify", "package.json")),
            $"sigstore-js is not installed at {sigstoreJs}: run tests/setup.d/40-sigstore-js.sh (needs node and npm)");

        var v0 = SigstoreVectors.Bundle("v1.0.0-sigstore");
        var v1 = SigstoreVectors.Bundle("v1.0.1-sigstore");
        List<(string Name, byte[] Bundle)> cases =
        [
            ("v1.0.0-sigstore as signed", v0),
            ("v1.0.1-sigstore as signed", v1),
            .. BundleMutations.Of(v0, v1, seed: 13, MutationsPerBundle).Select(m => ("v1.0.0 " + m.Name, m.Bundle)),
            .. BundleMutations.Of(v1, v0, seed: 31, MutationsPerBundle).Select(m => ("v1.0.1 " + m.Name, m.Bundle)),
        ];

        var theirs = RunSigstoreJs(sigstoreJs, cases.Select(c => c.Bundle).ToList());
        var policy = SigstoreVectors.KeylessPolicy();
        var disagreements = new List<string>();
        for (var i = 0; i < cases.Count; i++)
        {
            string? ours = null;
            try
            {
                SigstoreVerifier.Verify(SigstoreBundle.Parse(cases[i].Bundle), policy, null, DateTimeOffset.UtcNow);
            }
            catch (SigstoreVerificationException e)
            {
                ours = $"{e.Reason}: {e.Message}";
            }

            if ((ours is null) != theirs[i].Ok)
            {
                disagreements.Add($"{cases[i].Name}: ours {(ours is null ? "accepts" : "rejects (" + ours + ")")}, sigstore-js {(theirs[i].Ok ? "accepts" : "rejects (" + theirs[i].Error + ")")}");
            }
        }

        Assert.True(disagreements.Count == 0, $"{disagreements.Count} of {cases.Count} disagree:\n" + string.Join('\n', disagreements));
        Assert.True(theirs[0].Ok && theirs[1].Ok, "sigstore-js must accept the unchanged vectors");
        Assert.True(theirs.Skip(2).Count(t => !t.Ok) > MutationsPerBundle, "most mutations must be rejected, or the mutations test nothing");
    }

    public void Dispose() => dir.Delete(recursive: true);

    private List<(bool Ok, string? Error)> RunSigstoreJs(string sigstoreJs, List<byte[]> bundles)
    {
        var files = new List<string>();
        for (var i = 0; i < bundles.Count; i++)
        {
            var file = Path.Combine(dir.FullName, $"bundle-{i:D3}.json");
            File.WriteAllBytes(file, bundles[i]);
            files.Add(file);
        }

        var request = Path.Combine(dir.FullName, "request.json");
        File.WriteAllText(request, JsonSerializer.Serialize(new
        {
            root = Path.Combine(SigstoreVectors.Dir, "public-good-trusted_root.json"),
            identity = SigstoreVectors.Identity,
            issuer = SigstoreVectors.Issuer,
            bundles = files,
        }));
        var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Differential", "sigstore-js-verify.cjs"));
        start.ArgumentList.Add(sigstoreJs);
        start.ArgumentList.Add(request);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, "sigstore-js-verify.cjs failed: " + stderr);
        using var results = JsonDocument.Parse(stdout.Result);
        return [.. results.RootElement.EnumerateArray().Select(r => (r.GetProperty("ok").GetBoolean(), r.TryGetProperty("error", out var e) ? e.GetString() : null))];
    }
}
