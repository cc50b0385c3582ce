using System.Security.Cryptography;
using System.Text.Json;
using AiBaseline.Api.V1Alpha1;
using k8s;
using k8s.Models;

namespace AiBaseline.Operator.Tests.Scenarios;

/// <summary>
/// A namespace of its own for one scenario (random suffix), with a profile of its own, the operators started for it,
/// and a clean-up that leaves nothing behind even when the scenario fails.
/// </summary>
internal sealed class ScenarioNamespace : IAsyncDisposable
{
    private readonly List<OperatorRun> operators = [];

    private ScenarioNamespace(ClusterTarget target, string name)
    {
        Target = target;
        Name = name;
        Profile = name;
        Client = new Kubernetes(target.Configuration());

        // The user's own calls are not what fault scenarios test: on the emulator they are spared its injected failures.
        Client.HttpClient.DefaultRequestHeaders.Add(KubeEmulator.EmulatorFaults.SpareHeader, "true");
    }

    public ClusterTarget Target { get; }

    /// <summary>The namespace, such as <c>aib-e2e-k3x9q2</c>; the scenario's profile has the same name.</summary>
    public string Name { get; }

    public string Profile { get; }

    /// <summary>The client a user would use (not the operator's).</summary>
    public Kubernetes Client { get; }

    /// <summary>
    /// Sets the image of one container of a Deployment by JSON patch, as <c>kubectl set image</c> does: a read and a
    /// replace would race the controller manager's status writes on a real cluster and fail with 409.
    /// </summary>
    public async Task SetImageAsync(string deployment, string container, string image)
    {
        var current = await Client.AppsV1.ReadNamespacedDeploymentAsync(deployment, Name, cancellationToken: TestContext.Current.CancellationToken);
        var index = current.Spec.Template.Spec.Containers.Select(c => c.Name).ToList().IndexOf(container);
        Assert.True(index >= 0, $"Deployment {deployment} has no container {container}");
        var patch = $$"""[{"op":"replace","path":"/spec/template/spec/containers/{{index}}/image","value":"{{image}}"}]""";
        await Client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch(patch, V1Patch.PatchType.JsonPatch), deployment, Name, cancellationToken: TestContext.Current.CancellationToken);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static async Task<ScenarioNamespace> CreateAsync(ClusterTarget target)
    {
        Assert.SkipWhen(target.SkipReason is not null, target.SkipReason ?? "");
        var name = "aib-e2e-" + RandomNumberGenerator.GetString("abcdefghijklmnopqrstuvwxyz0123456789", 6);
        var scenario = new ScenarioNamespace(target, name);
        await scenario.Client.CoreV1.CreateNamespaceAsync(
            new V1Namespace { Metadata = new V1ObjectMeta { Name = name, Labels = new Dictionary<string, string> { ["app.kubernetes.io/created-by"] = "aibaseline-scenarios" } } },
            cancellationToken: Ct);
        return scenario;
    }

    /// <summary>Creates the objects of the example folders here; the example profile becomes this scenario's profile.</summary>
    public async Task ApplyExampleAsync(params string[] folders)
    {
        foreach (var obj in folders.Prepend("profiles").SelectMany(f => Manifests.Example(f, Name, Profile)))
        {
            await Manifests.CreateAsync(Client, obj, Ct);
        }
    }

    /// <summary>Creates the objects of the example folders for which <paramref name="include"/> holds; the example profile becomes this scenario's profile.</summary>
    public async Task ApplyExampleAsync(Func<IKubernetesObject<V1ObjectMeta>, bool> include, params string[] folders)
    {
        foreach (var obj in folders.Prepend("profiles").SelectMany(f => Manifests.Example(f, Name, Profile)).Where(include))
        {
            await Manifests.CreateAsync(Client, obj, Ct);
        }
    }

    /// <summary>Creates <paramref name="count"/> copies of the compliant example, named <c>model-0000</c> and on, eight at a time.</summary>
    public async Task<IReadOnlyList<string>> ApplyCopiesOfCompliantExampleAsync(int count)
    {
        var names = Enumerable.Range(0, count).Select(i => $"model-{i:0000}").ToList();
        await CreateAsync(Manifests.Example("profiles", Name, Profile));
        await Parallel.ForEachAsync(
            names,
            new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = Ct },
            async (copy, ct) =>
            {
                foreach (var obj in Manifests.Example("llm-inference-compliant", Name, Profile, text => text.Replace("llama-chat", copy, StringComparison.Ordinal)))
                {
                    await Manifests.CreateAsync(Client, obj, ct);
                }
            });
        return names;
    }

    public async Task CreateAsync(IEnumerable<IKubernetesObject<V1ObjectMeta>> objects)
    {
        foreach (var obj in objects)
        {
            await Manifests.CreateAsync(Client, obj, Ct);
        }
    }

    /// <summary>Starts an operator watching this namespace, and waits until its caches have synced.</summary>
    public async Task<OperatorRun> StartOperatorAsync(string identity = "operator-0", bool leaderElect = false)
    {
        var run = OperatorRun.Start(Target, Name, identity, leaderElect);
        operators.Add(run);
        // A first sync lists every watched resource: with many deployments on a loaded machine, it takes longer than a change.
        await Waiting.UntilAsync(() => Task.FromResult(run.Host.Manager.IsReady), Target.Patience * 3, $"{identity} synced its caches");
        return run;
    }

    /// <summary>The deployment as stored, its status checked against <see cref="StatusInvariants"/>.</summary>
    public async Task<AIModelDeployment?> GetAsync(string name)
    {
        try
        {
            var json = (JsonElement)await Client.CustomObjects.GetNamespacedCustomObjectAsync(ApiGroup.Group, ApiGroup.Version, Name, ApiGroup.AIModelDeploymentPlural, name, cancellationToken: Ct);
            return StatusInvariants.Checked(KubernetesJson.Deserialize<AIModelDeployment>(json.GetRawText()));
        }
        catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>The deployments here, each status checked against <see cref="StatusInvariants"/>.</summary>
    public async Task<IReadOnlyList<AIModelDeployment>> ListAsync() => [.. (await ListUncheckedAsync(Ct)).Select(d => StatusInvariants.Checked(d)!)];

    private async Task<IReadOnlyList<AIModelDeployment>> ListUncheckedAsync(CancellationToken cancellationToken)
    {
        var json = (JsonElement)await Client.CustomObjects.ListNamespacedCustomObjectAsync(ApiGroup.Group, ApiGroup.Version, Name, ApiGroup.AIModelDeploymentPlural, cancellationToken: cancellationToken);
        return [.. json.GetProperty("items").EnumerateArray().Select(item => KubernetesJson.Deserialize<AIModelDeployment>(item.GetRawText()))];
    }

    public async Task<V1Condition?> ConditionAsync(string name, string type) =>
        (await GetAsync(name))?.Status?.Conditions?.FirstOrDefault(c => c.Type == type);

    /// <summary>Waits until a condition of a deployment has the status (True/False/Unknown).</summary>
    public Task ConditionBecomesAsync(string name, string type, string status) =>
        EventuallyAsync(async () => (await ConditionAsync(name, type))?.Status == status, $"{Name}/{name} {type}={status}");

    /// <summary>Waits until a condition follows a change the operator is already watching: within seconds, on any cluster.</summary>
    public Task ConditionFollowsAsync(string name, string type, string status) =>
        Waiting.UntilAsync(async () => (await ConditionAsync(name, type))?.Status == status, ClusterTarget.ChangePatience, $"{Name}/{name} {type}={status} after the change");

    public async Task<IReadOnlyList<Eventsv1Event>> EventsAsync() =>
        (await Client.EventsV1.ListNamespacedEventAsync(Name, cancellationToken: Ct)).Items.ToList();

    public Task EventuallyAsync(Func<Task<bool>> condition, string what) => Waiting.UntilAsync(condition, Target.Patience, what);

    /// <summary>
    /// Stops the operators, lets go of the retirement holds they left, and deletes the namespace and the profile.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var run in operators)
        {
            await run.DisposeAsync();
        }

        // A fresh token: clean-up must run even when the test was cancelled.
        using var timeout = new CancellationTokenSource(Target.Patience);
        foreach (var held in (await ListUncheckedAsync(timeout.Token)).Where(d => d.Metadata.Finalizers?.Count > 0))
        {
            var patch = new V1Patch("{\"metadata\":{\"finalizers\":null}}", V1Patch.PatchType.MergePatch);
            await IgnoreNotFoundAsync(() => Client.CustomObjects.PatchNamespacedCustomObjectAsync(patch, ApiGroup.Group, ApiGroup.Version, Name, ApiGroup.AIModelDeploymentPlural, held.Metadata.Name, cancellationToken: timeout.Token));
        }

        await IgnoreNotFoundAsync(() => Client.CoreV1.DeleteNamespaceAsync(Name, cancellationToken: timeout.Token));
        await IgnoreNotFoundAsync(() => Client.CustomObjects.DeleteClusterCustomObjectAsync(ApiGroup.Group, ApiGroup.Version, ApiGroup.BaselineProfilePlural, Profile, cancellationToken: timeout.Token));
        Client.Dispose();
    }

    private static async Task IgnoreNotFoundAsync(Func<Task> call)
    {
        try
        {
            await call();
        }
        catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
        }
    }
}
