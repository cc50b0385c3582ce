using System.Diagnostics;
using System.Text.Json;
using AiBaseline.Provenance.Sigstore;
using AiBaseline.Provenance.Tests.Support;

namespace AiBaseline.Provenance.Tests.Differential;

/// <summary>
/// sigstore-js (@sigstore/verify 4.1.3, installed by tests/setup.d/40-sigstore-js.sh) as a reference verifier, run
/// once over many bundles through sigstore-js-verify.cjs, and the comparison of its verdicts with ours.
/// </summary>
internal static class SigstoreJs
{
    /// <summary>Where sigstore-js is installed; the test skips, saying why, when it is not.</summary>
    public static string Directory()
    {
        var dir = Environment.GetEnvironmentVariable("AIBASELINE_SIGSTORE_JS") is { Length: > 0 } set
            ? set
            : Path.Combine(Tools.RepositoryRoot(), ".tools", "sigstore-js");
        Assert.SkipWhen(!File.Exists(Path.Combine(dir, "node_modules", "@sigstore", "verify", "package.json")),
            $"sigstore-js is not installed at {dir}: run tests/setup.d/40-sigstore-js.sh (needs node and npm)");
        return dir;
    }

    /// <summary>sigstore-js's verdict on each bundle, under the root and identity; null thresholds are sigstore-js's defaults.</summary>
    public static List<(bool Ok, string? Error)> Verify(string workDir, IReadOnlyList<byte[]> bundles, string rootFile, string identity, string issuer,
        int? tlogThreshold = null, int? ctlogThreshold = null)
    {
        var files = new List<string>();
        for (var i = 0; i < bundles.Count; i++)
        {
            var file = Path.Combine(workDir, $"bundle-{i:D3}.json");
            File.WriteAllBytes(file, bundles[i]);
            files.Add(file);
        }

        var request = Path.Combine(workDir, "request.json");
        File.WriteAllText(request, JsonSerializer.Serialize(new { root = rootFile, identity, issuer, bundles = files, tlogThreshold, ctlogThreshold }));
        var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Differential", "sigstore-js-verify.cjs"));
        start.ArgumentList.Add(Directory());
        start.ArgumentList.Add(request);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, "sigstore-js-verify.cjs failed: " + stderr);
        using var results = JsonDocument.Parse(stdout.Result);
        return [.. results.RootElement.EnumerateArray().Select(r => (r.GetProperty("ok").GetBoolean(), r.TryGetProperty("error", out var e) ? e.GetString() : null))];
    }

    /// <summary>The cases on which this verifier and sigstore-js disagree, each saying what both said.</summary>
    public static List<string> Disagreements(IReadOnlyList<(string Name, byte[] Bundle)> cases, IReadOnlyList<(bool Ok, string? Error)> theirs, SigstorePolicy policy)
    {
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

        return disagreements;
    }
}
