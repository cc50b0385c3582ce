namespace AiBaseline.Cli.Tests.Audit;

/// <summary>
/// The audit reads YAML as kubectl does (sigs.k8s.io/yaml over go-yaml v2, YAML 1.1): merge keys are merged and
/// yes/no/on/off/y/n are booleans. Each row edits the compliant example, so a misread shows as a changed verdict.
/// The merge order was checked with kubectl 1.x offline (<c>kubectl create --dry-run=client --validate=false</c>
/// reports a decode error for a merged value that wins); kubectl needs a server to print what it parsed.
/// </summary>
public sealed class KubectlYamlTests
{
    private const string VllmSecurityContext = "        securityContext:\n          allowPrivilegeEscalation: false\n          capabilities:\n            drop: [\"ALL\"]\n        volumeMounts:\n        - name: models\n          mountPath: /models\n          readOnly: true";
    private const string VllmAllowPrivilegeEscalation = "          allowPrivilegeEscalation: false\n";
    private const string InitSecurityContext = "        securityContext:\n          allowPrivilegeEscalation: false\n          readOnlyRootFilesystem: true";

    public static TheoryData<string, string, string, int> Edits => new()
    {
        { "no is false, as kubectl reads automountServiceAccountToken: no", "automountServiceAccountToken: false", "automountServiceAccountToken: no", 0 },
        { "No is false", "automountServiceAccountToken: false", "automountServiceAccountToken: No", 0 },
        { "OFF is false", "automountServiceAccountToken: false", "automountServiceAccountToken: OFF", 0 },
        { "n is false", "automountServiceAccountToken: false", "automountServiceAccountToken: n", 0 },
        { "yes is true: the token is mounted and least privilege is not met", "automountServiceAccountToken: false", "automountServiceAccountToken: yes", 1 },
        { "On is true", "automountServiceAccountToken: false", "automountServiceAccountToken: On", 1 },
        { "a quoted \"no\" is a string, the wrong type for a boolean", "automountServiceAccountToken: false", "automountServiceAccountToken: \"no\"", 2 },
        { "yEs is not a YAML 1.1 boolean, so it is a string, the wrong type", "automountServiceAccountToken: false", "automountServiceAccountToken: yEs", 2 },
    };

    [Theory]
    [MemberData(nameof(Edits))]
    public void The_verdict_follows_what_kubectl_reads(string reason, string find, string replace, int exit)
    {
        using var temp = CompliantExampleWith(find, replace);

        var run = AuditHarness.Run(temp.Dir);

        Assert.True(run.Exit == exit, $"{reason}: exit {run.Exit}\n{run.All}");
        Assert.DoesNotContain("   at ", run.All, StringComparison.Ordinal);
    }

    public static TheoryData<string, string, bool> MergeOrders => new()
    {
        { "without the merge the server container may escalate privileges: the restricted level is not met", "", false },
        { "the merge key brings in the anchored allowPrivilegeEscalation: false", "          <<: *hardened\n", true },
        { "a key written after the merge wins over the merged one", "          <<: *hardened\n          allowPrivilegeEscalation: true\n", false },
        { "a merged key wins over one written before the merge (go-yaml v2, checked with kubectl)", "          allowPrivilegeEscalation: true\n          <<: *hardened\n", true },
        { "of a merged list the first mapping wins", "          <<: [*hardened, {allowPrivilegeEscalation: true}]\n", true },
        { "of a merged list the first mapping wins, whichever it is", "          <<: [{allowPrivilegeEscalation: true}, *hardened]\n", false },
    };

    [Theory]
    [MemberData(nameof(MergeOrders))]
    public void Merge_keys_resolve_in_kubectls_order(string reason, string lines, bool compliant)
    {
        using var temp = CompliantExampleWith(InitSecurityContext, InitSecurityContext.Replace("securityContext:", "securityContext: &hardened", StringComparison.Ordinal));
        Edit(temp, VllmSecurityContext, VllmSecurityContext.Replace(VllmAllowPrivilegeEscalation, lines, StringComparison.Ordinal));

        var run = AuditHarness.Run(temp.Dir);

        Assert.True(run.Exit == (compliant ? 0 : 1), $"{reason}: exit {run.Exit}\n{run.All}");
    }

    private static TempManifests CompliantExampleWith(string find, string replace)
    {
        var temp = new TempManifests();
        foreach (var file in Directory.GetFiles(AuditHarness.Examples("llm-inference-compliant")))
        {
            temp.Write(Path.GetFileName(file), File.ReadAllText(file));
        }

        Edit(temp, find, replace);
        return temp;
    }

    private static void Edit(TempManifests temp, string find, string replace)
    {
        var path = Path.Combine(temp.Dir, "deployment.yaml");
        var text = File.ReadAllText(path);
        Assert.Contains(find, text, StringComparison.Ordinal);
        File.WriteAllText(path, text.Replace(find, replace, StringComparison.Ordinal));
    }
}
