using System.Text.Json.Nodes;

namespace AiBaseline.KubeEmulator.Tests;

public sealed class AggregatedDiscoveryTests
{
    /// <summary>What kubectl 1.33 sends to /api and /apis.</summary>
    private const string KubectlAccept =
        "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json";

    [Fact]
    public async Task Apis_lists_every_group_version_and_resource_in_one_document()
    {
        await using var api = await TestCluster.StartAsync();

        var (contentType, body) = await GetAsync(api, "/apis", KubectlAccept);

        Assert.Equal("application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList", contentType);
        Assert.Equal("apidiscovery.k8s.io/v2", body["apiVersion"]!.GetValue<string>());
        var group = body["items"]!.AsArray().Single(g => g!["metadata"]!["name"]?.GetValue<string>() == Widget.Group)!;
        var version = group["versions"]![0]!;
        Assert.Equal(Widget.Version, version["version"]!.GetValue<string>());
        var widgets = version["resources"]!.AsArray().Single(r => r!["resource"]!.GetValue<string>() == "widgets")!;
        Assert.Equal("Namespaced", widgets["scope"]!.GetValue<string>());
        Assert.Equal("Widget", widgets["responseKind"]!["kind"]!.GetValue<string>());
        Assert.Equal(["wdg"], widgets["shortNames"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.Equal("status", widgets["subresources"]![0]!["subresource"]!.GetValue<string>());
        Assert.DoesNotContain(body["items"]!.AsArray(), g => g!["metadata"]!["name"] is null);
    }

    [Fact]
    public async Task Api_lists_the_core_group_without_a_name()
    {
        await using var api = await TestCluster.StartAsync();

        var (_, body) = await GetAsync(api, "/api", KubectlAccept);

        var core = Assert.Single(body["items"]!.AsArray())!;
        Assert.Null(core["metadata"]!["name"]);
        Assert.Contains("namespaces", core["versions"]![0]!["resources"]!.AsArray().Select(r => r!["resource"]!.GetValue<string>()));
        var pods = core["versions"]![0]!["resources"]!.AsArray().Single(r => r!["resource"]!.GetValue<string>() == "pods")!;
        Assert.Equal(["all"], pods["categories"]!.AsArray().Select(c => c!.GetValue<string>()));
    }

    [Theory]
    [InlineData("application/json", "APIGroupList", "plain JSON gets the legacy group list")]
    [InlineData("application/json, application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList", "APIGroupList", "the first acceptable type wins")]
    [InlineData("application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList", "APIGroupDiscoveryList", "the beta version is still served")]
    public async Task The_first_acceptable_format_decides(string accept, string kind, string reason)
    {
        await using var api = await TestCluster.StartAsync();

        var (_, body) = await GetAsync(api, "/apis", accept);

        Assert.True(kind == body["kind"]!.GetValue<string>(), $"{reason}: got {body["kind"]}");
    }

    private static async Task<(string? ContentType, JsonNode Body)> GetAsync(KubeEmulator api, string path, string accept)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(api.Url + path));
        request.Headers.TryAddWithoutValidation("Accept", accept);
        using var response = await http.SendAsync(request);
        var contentType = response.Content.Headers.NonValidated.TryGetValues("Content-Type", out var values) ? values.ToString() : null;
        return (contentType, JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }
}
