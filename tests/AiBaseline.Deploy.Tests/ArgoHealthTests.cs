using AiBaseline.Deploy.Tests.Infrastructure;

namespace AiBaseline.Deploy.Tests;

/// <summary>The Argo CD health script, run by the real Lua 5.4 interpreter on AIModelDeployments in each state.</summary>
public sealed class ArgoHealthTests
{
    private const string Script = "deploy/argocd/health-aimodeldeployment.lua";

    private sealed record Health(string Status, string Message);

    private static Dictionary<string, object?> Condition(string type, string status, string reason, string message) =>
        new() { ["type"] = type, ["status"] = status, ["reason"] = reason, ["message"] = message };

    private static Dictionary<string, object?> Deployment(long generation, long? observed, params Dictionary<string, object?>[] conditions)
    {
        var status = new Dictionary<string, object?> { ["conditions"] = conditions.Cast<object?>().ToList() };
        if (observed is not null)
        {
            status["observedGeneration"] = observed;
        }

        return new()
        {
            ["apiVersion"] = "aibaseline.io/v1alpha1",
            ["kind"] = "AIModelDeployment",
            ["metadata"] = new Dictionary<string, object?> { ["name"] = "scorer", ["namespace"] = "team-a", ["generation"] = generation },
            ["status"] = status,
        };
    }

    /// <summary>Runs the script as Argo CD does: a chunk with the global obj, returning a table with status and message.</summary>
    private static Health Evaluate(Dictionary<string, object?> obj)
    {
        var harness = Path.Combine(Path.GetTempPath(), $"aibaseline-argo-health-{Guid.NewGuid():N}.lua");
        File.WriteAllText(harness, $"""
            obj = {LuaTable.Literal(obj)}
            local hs = dofile({LuaTable.Literal(Repo.Path(Script))})
            io.write(hs.status, "\n", hs.message or "")
            """);
        try
        {
            var result = Tools.Run(Tools.Lua, harness).EnsureSuccess();
            var lines = result.Stdout.Split('\n', 2);
            return new Health(lines[0], lines.Length > 1 ? lines[1] : "");
        }
        finally
        {
            File.Delete(harness);
        }
    }

    public static TheoryData<string, string, string> States() => new()
    {
        { "ready", "Healthy", "every checked provision is met" },
        { "not compliant", "Degraded", "a provision is not met: the app is unhealthy until the team fixes it" },
        { "stalled", "Degraded", "the profile is missing: nothing changes until a person acts" },
        { "reconciling", "Progressing", "the operator is still gathering evidence" },
        { "generation not observed", "Progressing", "the status describes an older spec" },
        { "no observed generation", "Progressing", "a status written before observedGeneration exists is not trusted" },
        { "evidence unavailable", "Progressing", "Ready=Unknown: a registry was down, the verdict is pending, not failed" },
        { "retry scheduled", "Progressing", "as the operator writes it while a registry is down: the verdict waits on its next attempt" },
    };

    private static Dictionary<string, object?> Sample(string state) => state switch
    {
        "ready" => Deployment(3, 3, Condition("Ready", "True", "Compliant", "15 of 15 checked provisions met")),
        "not compliant" => Deployment(3, 3, Condition("Ready", "False", "NotCompliant", "1 of 15 checked provisions not met: 5.2.3-1")),
        "stalled" => Deployment(3, 3,
            Condition("Ready", "False", "ProfileNotFound", "BaselineProfile strict does not exist"),
            Condition("Stalled", "True", "ProfileNotFound", "BaselineProfile strict does not exist")),
        "reconciling" => Deployment(3, 3,
            Condition("Ready", "Unknown", "Reconciling", ""),
            Condition("Reconciling", "True", "Verifying", "Verifying image signatures")),
        "generation not observed" => Deployment(4, 3, Condition("Ready", "True", "Compliant", "15 of 15 checked provisions met")),
        "no observed generation" => Deployment(1, null, Condition("Ready", "True", "Compliant", "15 of 15 checked provisions met")),
        "evidence unavailable" => Deployment(2, 2, Condition("Ready", "Unknown", "EvidenceUnavailable", "registry ghcr.io unreachable")),
        "retry scheduled" => Deployment(2, 2,
            Condition("Ready", "Unknown", "EvidenceUnavailable", "3 of 15 checked provisions could not be checked: 5.2.1-2, 5.2.3-1, 5.2.3-2"),
            Condition("Reconciling", "True", "RetryScheduled", "Registry ghcr.io did not answer for 2 artifacts; next attempt within 30s"),
            Condition("ImageProvenanceVerified", "Unknown", "RegistryUnavailable", "registry ghcr.io did not answer (EN 304 223 5.2.1-2, 5.2.3-1, 5.2.3-2)")),
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, "unknown state"),
    };

    [Theory]
    [MemberData(nameof(States))]
    public void Health_follows_the_conditions(string state, string expected, string reason)
    {
        var health = Evaluate(Sample(state));
        Assert.True(expected == health.Status, $"{state} ({reason}): got {health.Status} \"{health.Message}\"");
        Assert.NotEqual("", health.Message);
    }

    [Fact]
    public void A_scheduled_retry_shows_what_is_awaited_and_when()
    {
        var health = Evaluate(Sample("retry scheduled"));
        Assert.Equal("Registry ghcr.io did not answer for 2 artifacts; next attempt within 30s", health.Message);
    }

    [Fact]
    public void Degraded_health_carries_the_condition_message()
    {
        var health = Evaluate(Sample("not compliant"));
        Assert.Equal("1 of 15 checked provisions not met: 5.2.3-1", health.Message);
        Assert.Equal("Waiting for generation 4 to be observed", Evaluate(Sample("generation not observed")).Message);
    }

    [Fact]
    public void Object_without_status_is_progressing()
    {
        var obj = Deployment(1, null);
        obj.Remove("status");
        Assert.Equal("Progressing", Evaluate(obj).Status);
    }

    [Fact]
    public void Argocd_cm_snippet_carries_the_same_script()
    {
        var snippet = KubeDocument.ParseAll("deploy/argocd/argocd-cm-snippet.yaml", Repo.Read("deploy/argocd/argocd-cm-snippet.yaml")).Single();
        Assert.Equal("argocd-cm", snippet.Name);
        var lua = Yaml.Scalar(snippet.Root, "data", "resource.customizations.health.aibaseline.io_AIModelDeployment");
        Assert.Equal(Repo.Read(Script), lua);
    }
}
