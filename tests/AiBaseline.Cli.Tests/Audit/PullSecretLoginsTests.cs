using System.Text;
using AiBaseline.Verification;
using k8s.Models;

namespace AiBaseline.Cli.Tests.Audit;

/// <summary>Which pull secrets give registry logins, shared by <c>audit --verify</c> and the operator's <c>--read-pull-secrets</c>.</summary>
public sealed class PullSecretLoginsTests
{
    private const string Registry = "registry.acme.example";
    private static readonly string Auth = Convert.ToBase64String(Encoding.UTF8.GetBytes("robot:pull-s3cret"));

    public static TheoryData<string, string, string, string?> Secrets => new()
    {
        // type, key, contents, the login found for the registry (null: the secret gives none)
        { "kubernetes.io/dockerconfigjson", ".dockerconfigjson", $"{{\"auths\":{{\"{Registry}\":{{\"auth\":\"{Auth}\"}}}}}}", "robot" },
        { "kubernetes.io/dockercfg", ".dockercfg", $"{{\"https://{Registry}/v1/\":{{\"auth\":\"{Auth}\"}}}}", "robot" },
        { "Opaque", ".dockerconfigjson", $"{{\"auths\":{{\"{Registry}\":{{\"auth\":\"{Auth}\"}}}}}}", null },
        { "kubernetes.io/dockerconfigjson", ".dockercfg", $"{{\"auths\":{{\"{Registry}\":{{\"auth\":\"{Auth}\"}}}}}}", null },
        { "kubernetes.io/dockerconfigjson", ".dockerconfigjson", "{\"registry\":\"no auths object\"}", null },
        { "kubernetes.io/dockercfg", ".dockercfg", "not json", null },
        { "kubernetes.io/dockerconfigjson", ".dockerconfigjson", $"{{\"auths\":{{\"{Registry}\":{{\"auth\":\"%not base64%\"}}}}}}", null },
        { "kubernetes.io/dockerconfigjson", ".dockerconfigjson", $"{{\"auths\":{{\"{Registry}\":{{\"auth\":42}}}}}}", null },
    };

    [Theory]
    [MemberData(nameof(Secrets))]
    public void A_pull_secret_read_from_the_api_gives_logins_only_when_its_type_and_key_hold_a_docker_config(string type, string key, string contents, string? user)
    {
        var secret = new V1Secret { Type = type, Data = new Dictionary<string, byte[]> { [key] = Encoding.UTF8.GetBytes(contents) } };

        var credentials = PullSecretLogins.CredentialsOf([PullSecretLogins.DockerConfigOf(secret)]);

        Assert.Equal(user, credentials?.Find(Registry)?.Username);
    }

    [Fact]
    public void The_pods_pull_secrets_come_before_the_service_accounts_and_each_is_named_once()
    {
        var pod = new V1PodSpec { ImagePullSecrets = [new V1LocalObjectReference { Name = "team" }, new V1LocalObjectReference { Name = "shared" }] };
        var account = new V1ServiceAccount { ImagePullSecrets = [new V1LocalObjectReference { Name = "shared" }, new V1LocalObjectReference { Name = "mirror" }] };

        Assert.Equal(["team", "shared", "mirror"], PullSecretLogins.NamesOf(pod, account));
        Assert.Empty(PullSecretLogins.NamesOf(null, null));
    }

    [Fact]
    public void Without_any_usable_pull_secret_there_are_no_credentials()
    {
        Assert.Null(PullSecretLogins.CredentialsOf([null, null]));
    }
}
