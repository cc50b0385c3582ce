using System.Text;
using AiBaseline.Provenance.Oci;

namespace AiBaseline.Provenance.Tests;

/// <summary>Image reference parsing and pull-secret credentials.</summary>
public sealed class ReferenceAndCredentialTests
{
    public static TheoryData<string, string, string, string?, string?> References => new()
    {
        // reference, registry, repository, tag, digest
        { "nginx", "docker.io", "library/nginx", null, null },                              // Docker Hub official image
        { "acme/scorer:1.2", "docker.io", "acme/scorer", "1.2", null },                     // Docker Hub user image
        { "ghcr.io/acme/scorer:1.2", "ghcr.io", "acme/scorer", "1.2", null },               // a dotted host is a registry
        { "localhost:5000/a/b@sha256:" + new string('a', 64), "localhost:5000", "a/b", null, "sha256:" + new string('a', 64) },
        { "127.0.0.1:5000/demo/hello:v1@sha256:" + new string('b', 64), "127.0.0.1:5000", "demo/hello", "v1", "sha256:" + new string('b', 64) },
        { "index.docker.io/library/redis", "docker.io", "library/redis", null, null },     // Docker Hub's other names
    };

    [Theory]
    [MemberData(nameof(References))]
    public void Reference_is_split_with_docker_defaults(string text, string registry, string repository, string? tag, string? digest)
    {
        var reference = ImageReference.TryParse(text);
        Assert.Equal(new ImageReference(registry, repository, tag, digest), reference);
    }

    [Theory]
    [InlineData("ghcr.io/acme/scorer@sha256:abc")]   // digest too short
    [InlineData("ghcr.io/Acme/scorer")]              // upper-case repository
    [InlineData("ghcr.io/acme/scorer:bad tag")]      // space in tag
    public void Invalid_reference_is_rejected(string text) => Assert.Null(ImageReference.TryParse(text));

    [Fact]
    public void Docker_config_json_logins_are_found_by_host_including_docker_hub_aliases()
    {
        var config = Encoding.UTF8.GetBytes("""
            {"auths":{
              "https://index.docker.io/v1/":{"auth":"aHViOmh1YnBhc3M="},
              "ghcr.io":{"username":"bot","password":"pw"}}}
            """);
        var credentials = RegistryCredentials.FromDockerConfigJson(config);

        Assert.Equal(new RegistryLogin("hub", "hubpass"), credentials.Find("docker.io"));
        Assert.Equal(new RegistryLogin("bot", "pw"), credentials.Find("ghcr.io"));
        Assert.Null(credentials.Find("quay.io"));
        Assert.DoesNotContain("pw", credentials.Find("ghcr.io")!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Broken_pull_secret_names_which_secret()
    {
        var credentials = RegistryCredentials.FromDockerConfigJson(Encoding.UTF8.GetBytes("{\"auths\":{}}"), Encoding.UTF8.GetBytes("not json"));
        var error = Assert.Throws<FormatException>(() => credentials.Find("ghcr.io"));
        Assert.Equal("image pull secret 1: .dockerconfigjson is not valid JSON", error.Message);
    }
}
