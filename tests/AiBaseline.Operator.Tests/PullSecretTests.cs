using System.Text;
using System.Text.Json.Nodes;
using AiBaseline.Api.V1Alpha1;
using AiBaseline.Provenance;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace AiBaseline.Operator.Tests;

/// <summary>
/// With <c>--read-pull-secrets</c> the operator logs in to private registries with the workload's image pull secrets
/// (the pod's and its ServiceAccount's); without it, it never reads a Secret.
/// </summary>
public sealed class PullSecretTests
{
    private const string Serving = "llm-serving";
    private const string Chat = "llama-chat";
    private const string Registry = "registry.acme.example";
    private const string Password = "pull-s3cret-value";
    private const string Server = "registry.acme.example/mirror/vllm/vllm-openai@sha256:c4a8e2f6b0d3a7c1e5f9b2d6a0c4e8f1b5d9a3c7e0f4b8d2a6c1e5f9b3d7a0c4";

    [Fact]
    public async Task The_pods_pull_secret_reaches_the_verifier()
    {
        await using var cluster = await OperatorFixture.StartSignedAsync();
        using var client = new Kubernetes(cluster.Server.CreateClientConfiguration());
        await CreatePullSecretAsync(client, "acme-pull", "kubernetes.io/dockerconfigjson", ".dockerconfigjson", DockerConfigJson("pod-puller"));
        await SetPodPullSecretsAsync(client, "acme-pull");
        var registry = new FakeVerifier(FakeVerifier.Verified);

        await StartOperatorAsync(cluster, registry, readPullSecrets: true);

        await OperatorFixture.EventuallyAsync(() => registry.Calls(Server) > 0, "the server image verified");
        Assert.Equal("pod-puller", registry.CredentialsFor(Server)?.Find(Registry)?.Username);

        // Only the pull secret is read; the model's token Secret the pod also uses is not.
        Assert.All(cluster.Server.Requests.Recent.Where(c => c is { Verb: "get", Resource: "secrets" }), c => Assert.Equal("acme-pull", c.Name));
        await OperatorFixture.EventuallyAsync(() => cluster.Condition(Serving, Chat, ConditionTypes.ImageProvenanceVerified)?.Status == "True", "ImageProvenanceVerified True");
    }

    [Fact]
    public async Task The_service_accounts_legacy_dockercfg_pull_secret_reaches_the_verifier()
    {
        await using var cluster = await OperatorFixture.StartSignedAsync();
        using var client = new Kubernetes(cluster.Server.CreateClientConfiguration());
        await CreatePullSecretAsync(client, "acme-legacy", "kubernetes.io/dockercfg", ".dockercfg", LegacyDockerCfg("sa-puller"));
        var account = await client.CoreV1.ReadNamespacedServiceAccountAsync(Chat, Serving, cancellationToken: TestContext.Current.CancellationToken);
        account.ImagePullSecrets = [new V1LocalObjectReference { Name = "acme-legacy" }];
        await client.CoreV1.ReplaceNamespacedServiceAccountAsync(account, Chat, Serving, cancellationToken: TestContext.Current.CancellationToken);
        var registry = new FakeVerifier(FakeVerifier.Verified);

        await StartOperatorAsync(cluster, registry, readPullSecrets: true);

        await OperatorFixture.EventuallyAsync(() => registry.Calls(Server) > 0, "the server image verified");
        Assert.Equal("sa-puller", registry.CredentialsFor(Server)?.Find(Registry)?.Username);
        Assert.All(cluster.Server.Requests.Recent.Where(c => c is { Verb: "get", Resource: "secrets" }), c => Assert.Equal("acme-legacy", c.Name));
    }

    [Fact]
    public async Task Without_the_flag_no_Secret_is_read_and_registries_are_reached_anonymously()
    {
        await using var cluster = await OperatorFixture.StartSignedAsync();
        using var client = new Kubernetes(cluster.Server.CreateClientConfiguration());
        await CreatePullSecretAsync(client, "acme-pull", "kubernetes.io/dockerconfigjson", ".dockerconfigjson", DockerConfigJson("pod-puller"));
        await SetPodPullSecretsAsync(client, "acme-pull");
        var registry = new FakeVerifier(FakeVerifier.Verified);

        await StartOperatorAsync(cluster, registry, readPullSecrets: false);

        await OperatorFixture.EventuallyAsync(() => cluster.Condition(Serving, Chat, ConditionTypes.ImageProvenanceVerified)?.Status == "True", "ImageProvenanceVerified True");
        Assert.True(registry.Calls(Server) > 0);
        Assert.Null(registry.CredentialsFor(Server));
        Assert.Equal(0, cluster.Server.Requests.Count("get", "secrets"));
    }

    [Fact]
    public async Task With_the_flag_a_profile_that_asks_for_no_signatures_reads_no_Secret()
    {
        await using var cluster = await OperatorFixture.StartAsync();
        cluster.Apply("profiles", "llm-inference-compliant");
        using var client = new Kubernetes(cluster.Server.CreateClientConfiguration());
        await CreatePullSecretAsync(client, "acme-pull", "kubernetes.io/dockerconfigjson", ".dockerconfigjson", DockerConfigJson("pod-puller"));
        await SetPodPullSecretsAsync(client, "acme-pull");
        var registry = new FakeVerifier(FakeVerifier.Verified);

        await StartOperatorAsync(cluster, registry, readPullSecrets: true);

        await OperatorFixture.EventuallyAsync(() => cluster.Condition(Serving, Chat, ConditionTypes.Ready) is not null, "the deployment evaluated");
        Assert.Equal(0, registry.TotalCalls);
        Assert.Equal(0, cluster.Server.Requests.Count("get", "secrets"));
    }

    [Fact]
    public async Task A_missing_pull_secret_still_verifies_anonymously_and_the_log_names_it()
    {
        await using var cluster = await OperatorFixture.StartSignedAsync();
        using var client = new Kubernetes(cluster.Server.CreateClientConfiguration());
        await SetPodPullSecretsAsync(client, "deleted-pull");
        var registry = new FakeVerifier(FakeVerifier.Verified);
        var logs = new CapturedLogs();

        await StartOperatorAsync(cluster, registry, readPullSecrets: true, logs);

        await OperatorFixture.EventuallyAsync(() => cluster.Condition(Serving, Chat, ConditionTypes.ImageProvenanceVerified)?.Status == "True", "ImageProvenanceVerified True");
        Assert.Null(registry.CredentialsFor(Server));
        Assert.Contains(cluster.Server.Requests.Recent, c => c is { Verb: "get", Resource: "secrets", Name: "deleted-pull", StatusCode: 404 });
        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("llm-serving/deleted-pull", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_pull_secret_of_another_type_is_skipped_by_name_and_no_secret_value_reaches_the_log()
    {
        await using var cluster = await OperatorFixture.StartSignedAsync();
        using var client = new Kubernetes(cluster.Server.CreateClientConfiguration());
        await CreatePullSecretAsync(client, "opaque-pull", "Opaque", ".dockerconfigjson", DockerConfigJson("opaque-puller"));
        await CreatePullSecretAsync(client, "acme-pull", "kubernetes.io/dockerconfigjson", ".dockerconfigjson", DockerConfigJson("pod-puller"));
        await SetPodPullSecretsAsync(client, "opaque-pull", "acme-pull");
        var registry = new FakeVerifier(FakeVerifier.Verified);
        var logs = new CapturedLogs();

        await StartOperatorAsync(cluster, registry, readPullSecrets: true, logs);

        await OperatorFixture.EventuallyAsync(() => registry.Calls(Server) > 0, "the server image verified");
        Assert.Equal("pod-puller", registry.CredentialsFor(Server)?.Find(Registry)?.Username);
        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("llm-serving/opaque-pull", StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Entries, e => e.Message.Contains(Password, StringComparison.Ordinal) || e.Message.Contains("auths", StringComparison.Ordinal));
    }

    private static async Task CreatePullSecretAsync(Kubernetes client, string name, string type, string key, string config) =>
        await client.CoreV1.CreateNamespacedSecretAsync(
            new V1Secret
            {
                Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = Serving },
                Type = type,
                Data = new Dictionary<string, byte[]> { [key] = Encoding.UTF8.GetBytes(config) },
            },
            Serving,
            cancellationToken: TestContext.Current.CancellationToken);

    private static async Task SetPodPullSecretsAsync(Kubernetes client, params string[] names)
    {
        var deployment = await client.AppsV1.ReadNamespacedDeploymentAsync(Chat, Serving, cancellationToken: TestContext.Current.CancellationToken);
        deployment.Spec.Template.Spec.ImagePullSecrets = [.. names.Select(n => new V1LocalObjectReference { Name = n })];
        await client.AppsV1.ReplaceNamespacedDeploymentAsync(deployment, Chat, Serving, cancellationToken: TestContext.Current.CancellationToken);
    }

    /// <summary>A <c>.dockerconfigjson</c> with a base64 <c>auth</c> entry for the registry.</summary>
    private static string DockerConfigJson(string user) =>
        new JsonObject { ["auths"] = new JsonObject { [Registry] = new JsonObject { ["auth"] = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{Password}")) } } }.ToJsonString();

    /// <summary>A legacy <c>.dockercfg</c>: registries at the top level, written as URLs, with username and password.</summary>
    private static string LegacyDockerCfg(string user) =>
        new JsonObject { ["https://" + Registry] = new JsonObject { ["username"] = user, ["password"] = Password } }.ToJsonString();

    /// <summary>The compliant example with a signing key added to its profile, so the operator verifies its images.</summary>
    /// <summary>An operator with the given <c>--read-pull-secrets</c>; the emulator's request counts start from it.</summary>
    private static Task<OperatorHost> StartOperatorAsync(OperatorFixture cluster, IArtifactVerifier verifier, bool readPullSecrets, ILoggerFactory? logs = null)
    {
        cluster.Server.Requests.Clear();
        return cluster.StartOperatorAsync(verifier, readPullSecrets: readPullSecrets, logs: logs);
    }
}
