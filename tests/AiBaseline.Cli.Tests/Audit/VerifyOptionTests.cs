using AiBaseline.Audit;
using AiBaseline.Verification;
using k8s.Models;

namespace AiBaseline.Cli.Tests.Audit;

/// <summary>What <c>audit --verify</c> decides before it contacts any registry: inputs, credentials, and options.</summary>
public sealed class VerifyOptionTests
{
    private const string Login = "robot:pull-s3cret-value";

    [Fact]
    public void Images_of_init_regular_and_ephemeral_containers_are_collected_once_each()
    {
        var pod = new V1PodSpec
        {
            InitContainers = [new V1Container { Name = "fetch", Image = "r.example/puller@sha256:1" }],
            Containers = [new V1Container { Name = "a", Image = "r.example/app:1" }, new V1Container { Name = "b", Image = "r.example/puller@sha256:1" }],
            EphemeralContainers = [new V1EphemeralContainer { Name = "debug", Image = "r.example/debug:2" }],
        };

        Assert.Equal(["r.example/puller@sha256:1", "r.example/app:1", "r.example/debug:2"], ProvenanceRun.ImagesOf(pod));
    }

    [Fact]
    public void Pull_secret_logins_are_kept_only_with_verify_and_found_for_the_pods_registry()
    {
        using var temp = new TempManifests();
        var path = temp.Write("pull.yaml", PullSecret(Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(DockerConfig()))));
        var pod = new V1PodSpec { ImagePullSecrets = [new V1LocalObjectReference { Name = "pull" }] };

        var kept = AuditRun.Load([path], "default", TextReader.Null, [], keepPullSecrets: true);
        var login = AuditVerification.CredentialsOf("llm-serving", pod, kept.Index)?.Find("registry.acme.example");
        Assert.Equal("robot", login?.Username);
        Assert.DoesNotContain("s3cret", login?.ToString() ?? "", StringComparison.Ordinal);

        var dropped = AuditRun.Load([path], "default", TextReader.Null, [], keepPullSecrets: false);
        Assert.Null(AuditVerification.CredentialsOf("llm-serving", pod, dropped.Index));
    }

    [Fact]
    public void Unusable_pull_secret_is_bad_input_with_verify_and_its_value_is_never_printed()
    {
        using var temp = new TempManifests();
        var path = temp.Write("pull.yaml", PullSecret(Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("{\"not-auths\":\"" + Login + "\"}"))));
        string[] input = [AuditHarness.Examples("llm-inference-compliant"), AuditHarness.Examples("profiles"), path];

        var run = AuditHarness.Run([.. input, "--verify"]);
        Assert.Equal(2, run.Exit);
        Assert.Contains(path + ":1: Secret/pull: data..dockerconfigjson: is not a docker config", run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", run.All, StringComparison.Ordinal);

        Assert.Equal(0, AuditHarness.Run(input).Exit); // without --verify the data is dropped unread
    }

    [Fact]
    public void Missing_registry_ca_file_is_bad_input_naming_the_file()
    {
        var run = AuditHarness.Run(AuditHarness.Examples("llm-inference-compliant"), AuditHarness.Examples("profiles"), "--verify", "--registry-ca", "/nonexistent/ca.pem");

        Assert.Equal(2, run.Exit);
        Assert.Contains("/nonexistent/ca.pem: --registry-ca: cannot be used as a CA bundle", run.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("127.0.0.1:5000/app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "127.0.0.1:5000", true)]   // loopback defaults to plain HTTP, as cosign does
    [InlineData("oci://localhost:5001/model:v1", "localhost:5001", true)] // model sources too
    [InlineData("registry.acme.example/app:1", "registry.acme.example", false)] // remote registries need TLS
    [InlineData("mirror.internal:8080/app:1", "mirror.internal:8080", true)] // named by --insecure-registry
    public void Plain_http_is_used_for_loopback_and_insecure_registries_only(string reference, string host, bool plain)
    {
        var options = AuditVerification.ClientOptions(new VerifyOptions(InsecureRegistries: ["mirror.internal:8080"]), [reference], []);

        Assert.Equal(plain, options.PlainHttpRegistries.Contains(host));
    }

    private static string DockerConfig() =>
        "{\"auths\":{\"registry.acme.example\":{\"auth\":\"" + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(Login)) + "\"}}}";

    private static string PullSecret(string data) =>
        $"apiVersion: v1\nkind: Secret\nmetadata:\n  name: pull\n  namespace: llm-serving\ntype: kubernetes.io/dockerconfigjson\ndata:\n  .dockerconfigjson: {data}\n";
}
