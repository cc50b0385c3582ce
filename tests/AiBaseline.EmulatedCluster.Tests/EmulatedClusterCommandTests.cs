using System.Text.Json;
using k8s;

namespace AiBaseline.EmulatedCluster.Tests;

/// <summary>
/// The README's "run the operator against the API emulator" command, run as a user runs it: the examples converge,
/// and stopping it (or killing it) leaves no operator process behind.
/// </summary>
public sealed class EmulatedClusterCommandTests : IDisposable
{
    private readonly string kubeconfig = Path.Combine(Path.GetTempPath(), $"emulated-cluster-{Guid.NewGuid():N}.kubeconfig");

    [Fact]
    public async Task The_examples_get_their_verdicts_and_SIGTERM_stops_the_command_and_its_operator()
    {
        await using var command = ClusterCommand.Start("--kubeconfig", kubeconfig);
        var operatorPid = await command.WaitUntilReadyAsync() ?? throw new InvalidOperationException("no operator pid in the ready block:\n" + command.Output);

        using var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig));
        await ClusterCommand.EventuallyAsync(() => Ready(client, "llm-serving", "llama-chat") == "True", "llm-serving/llama-chat Ready=True", 60);
        await ClusterCommand.EventuallyAsync(() => Ready(client, "chat-playground", "support-bot") == "False", "chat-playground/support-bot Ready=False", 60);
        Assert.True(ClusterCommand.IsRunning(operatorPid), "the operator runs while the command runs");

        await command.SignalAsync("TERM");

        Assert.Equal(0, await command.WaitForExitAsync(15));
        Assert.False(ClusterCommand.IsRunning(operatorPid), "the operator still runs after the command stopped:\n" + command.Output);
        Assert.Contains("Operator stopped (exit code 0).", command.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Killing_the_command_outright_takes_its_operator_with_it()
    {
        await using var command = ClusterCommand.Start("--kubeconfig", kubeconfig, "--no-examples");
        var operatorPid = await command.WaitUntilReadyAsync() ?? throw new InvalidOperationException("no operator pid in the ready block:\n" + command.Output);

        await command.SignalAsync("KILL");
        await command.WaitForExitAsync(15);

        await ClusterCommand.EventuallyAsync(() => !ClusterCommand.IsRunning(operatorPid), $"operator pid {operatorPid} gone after its parent was killed", 5);
    }

    [Fact]
    public async Task With_no_operator_the_cluster_serves_the_examples_and_says_how_to_run_the_operator()
    {
        await using var command = ClusterCommand.Start("--kubeconfig", kubeconfig, "--no-operator");
        Assert.Null(await command.WaitUntilReadyAsync());

        using var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig));
        var found = await client.CustomObjects.GetNamespacedCustomObjectAsync<JsonElement>(
            "aibaseline.io", "v1alpha1", "llm-serving", "aimodeldeployments", "llama-chat", TestContext.Current.CancellationToken);
        Assert.False(found.TryGetProperty("status", out _), "no operator runs, so nothing writes a status");
        Assert.Contains($"dotnet run --project src/AiBaseline -- operator --kubeconfig {kubeconfig}", command.Output, StringComparison.Ordinal);

        await command.SignalAsync("TERM");
        Assert.Equal(0, await command.WaitForExitAsync(15));
    }

    public void Dispose() => File.Delete(kubeconfig);

    /// <summary>The status of the deployment's Ready condition, or null while it has none.</summary>
    private static string? Ready(Kubernetes client, string ns, string name)
    {
        var found = client.CustomObjects.GetNamespacedCustomObject<JsonElement>("aibaseline.io", "v1alpha1", ns, "aimodeldeployments", name);
        if (!found.TryGetProperty("status", out var status) || !status.TryGetProperty("conditions", out var conditions))
        {
            return null;
        }

        return conditions.EnumerateArray().Where(c => c.GetProperty("type").GetString() == "Ready").Select(c => c.GetProperty("status").GetString()).FirstOrDefault();
    }
}
