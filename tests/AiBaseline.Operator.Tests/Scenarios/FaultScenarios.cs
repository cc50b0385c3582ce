using AiBaseline.Api.V1Alpha1;
using k8s;
using k8s.Models;

namespace AiBaseline.Operator.Tests.Scenarios;

/// <summary>
/// The operator under the failures real API servers produce: errors, conflicts, dropped watch streams and 410 Gone.
/// These need the emulator's fault injection, so they run on the emulator only.
/// </summary>
public sealed class FaultScenarios(EmulatedCluster cluster) : IClassFixture<EmulatedCluster>
{
    private const string Pinned = "registry.acme.example/mirror/vllm/vllm-openai@sha256:c4a8e2f6b0d3a7c1e5f9b2d6a0c4e8f1b5d9a3c7e0f4b8d2a6c1e5f9b3d7a0c4";
    private const string Unpinned = "registry.acme.example/mirror/vllm/vllm-openai:latest";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task With_one_call_in_ten_failing_and_conflicts_injected_every_deployment_converges_and_the_operator_keeps_running()
    {
        await using var ns = await ScenarioNamespace.CreateAsync(cluster);
        var names = await ns.ApplyCopiesOfCompliantExampleAsync(40);
        var faults = cluster.Emulator.Faults;
        faults.UseSeed(3);
        faults.ErrorRate = 0.1;
        faults.ConflictRate = 0.3;
        try
        {
            var run = await ns.StartOperatorAsync();
            await ns.EventuallyAsync(
                async () => (await ns.ListAsync()).Count(d => d.Status?.Conditions?.Any(c => c.Type == ConditionTypes.Ready && c.Status == "True") == true) == names.Count,
                "every deployment Ready despite the faults");

            // Still working, not just done once: a later change is reflected through the same faults.
            await ns.Client.CoreV1.DeleteNamespacedSecretAsync($"{names[7]}-hf-token", ns.Name, cancellationToken: Ct);
            await ns.ConditionBecomesAsync(names[7], ConditionTypes.SecretsProtected, "False");

            Assert.False(run.Exited, "the operator is still running");
            // The operator really met the faults. About 15 errors and 12 conflicts are expected here; fewer than 3 of
            // either would happen about once in 10,000 runs, since the order of concurrent calls varies.
            Assert.True(faults.InjectedErrors >= 3, $"only {faults.InjectedErrors} errors were injected");
            Assert.True(faults.InjectedConflicts >= 3, $"only {faults.InjectedConflicts} conflicts were injected");
        }
        finally
        {
            faults.Reset();
        }

        // Retried errors left no duplicate events behind: one first-verdict event per deployment. Each follows the
        // status it announces, and a retried one follows it by its backoff: wait for all, then look for repeats.
        var announced = names.Where(n => n != names[7]).ToList();
        await ns.EventuallyAsync(async () => announced.All((await ns.EventsAsync()).Where(e => e.Type == "Normal").Select(e => e.Regarding.Name).ToHashSet().Contains), "a first-verdict event for every deployment");
        await Task.Delay(1000, Ct);
        var events = await ns.EventsAsync();
        Assert.All(announced, n => Assert.Single(events, e => e.Regarding.Name == n && e.Type == "Normal"));
    }

    [Fact]
    public async Task With_watches_dropped_every_two_seconds_and_forced_410s_every_change_is_still_reflected()
    {
        await using var ns = await ScenarioNamespace.CreateAsync(cluster);
        var names = await ns.ApplyCopiesOfCompliantExampleAsync(12);
        var run = await ns.StartOperatorAsync();
        await ns.EventuallyAsync(async () => (await ns.ListAsync()).All(d => d.Status is not null), "first verdicts");
        var faults = cluster.Emulator.Faults;
        var watchesBefore = run.Calls.Count(c => c.Verb == "watch");
        faults.DropWatchesEvery(TimeSpan.FromSeconds(2));
        var expectedImage = names.ToDictionary(n => n, _ => Pinned);
        var expectedSecret = names.ToDictionary(n => n, _ => true);
        try
        {
            var random = new Random(11);
            for (var round = 0; round < 30; round++)
            {
                var name = names[random.Next(names.Count)];
                if (round % 2 == 0)
                {
                    expectedImage[name] = expectedImage[name] == Pinned ? Unpinned : Pinned;
                    await SetImageAsync(ns, name, expectedImage[name]);
                }
                else
                {
                    expectedSecret[name] = !expectedSecret[name];
                    await SetSecretAsync(ns, name, expectedSecret[name]);
                }

                if (round % 5 == 4)
                {
                    // Every resourceVersion handed out so far becomes too old: resuming watches get 410 and must relist.
                    cluster.Emulator.Compact();
                    faults.ForceGoneOnNextWatches(3);
                    faults.DropWatchesNow();
                }

                await Task.Delay(200, Ct);
            }

            foreach (var name in names)
            {
                await ns.ConditionBecomesAsync(name, ConditionTypes.ImageProvenanceVerified, expectedImage[name] == Pinned ? "True" : "False");
                await ns.ConditionBecomesAsync(name, ConditionTypes.SecretsProtected, expectedSecret[name] ? "True" : "False");
            }
        }
        finally
        {
            faults.Reset();
        }

        Assert.True(faults.WatchDrops >= 3 && faults.InjectedGone >= 3, $"{faults.WatchDrops} drops and {faults.InjectedGone} forced 410s");
        Assert.True(run.Calls.Count(c => c.Verb == "watch") > watchesBefore + 14, "the informers re-opened their watches");
        Assert.False(run.Exited, "the operator is still running");
    }

    private static Task SetImageAsync(ScenarioNamespace ns, string name, string image) => ns.SetImageAsync(name, "vllm", image);

    private static async Task SetSecretAsync(ScenarioNamespace ns, string name, bool present)
    {
        if (present)
        {
            await ns.Client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = $"{name}-hf-token" }, Type = "Opaque" }, ns.Name, cancellationToken: Ct);
        }
        else
        {
            await ns.Client.CoreV1.DeleteNamespacedSecretAsync($"{name}-hf-token", ns.Name, cancellationToken: Ct);
        }
    }
}
