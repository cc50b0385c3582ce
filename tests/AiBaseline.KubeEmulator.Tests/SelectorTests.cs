using k8s;
using k8s.Models;

namespace AiBaseline.KubeEmulator.Tests;

public sealed class SelectorTests
{
    private static async Task<KubeEmulator> Seeded()
    {
        var api = await TestCluster.StartAsync(new KubeEmulatorOptions { InitialNamespaces = ["default", "other"] });
        api.Create(TestCluster.ConfigMap("a", labels: new Dictionary<string, string> { ["env"] = "prod", ["tier"] = "web" }));
        api.Create(TestCluster.ConfigMap("b", labels: new Dictionary<string, string> { ["env"] = "dev", ["tier"] = "web" }));
        api.Create(TestCluster.ConfigMap("c", labels: new Dictionary<string, string> { ["env"] = "prod" }));
        api.Create(TestCluster.ConfigMap("d"));
        api.Create(TestCluster.ConfigMap("e", "other", labels: new Dictionary<string, string> { ["env"] = "prod" }));
        return api;
    }

    [Theory]
    [InlineData("env=prod", "a,c", "equality")]
    [InlineData("env==prod", "a,c", "double equals is equality too")]
    [InlineData("env!=prod", "b,d", "inequality includes objects without the label")]
    [InlineData("env in (prod, dev)", "a,b,c", "set membership")]
    [InlineData("env notin (prod)", "b,d", "set exclusion includes objects without the label")]
    [InlineData("tier", "a,b", "exists")]
    [InlineData("!tier", "c,d", "does not exist")]
    [InlineData("env=prod,tier=web", "a", "terms are ANDed")]
    [InlineData("env in (prod),!tier", "c", "commas inside parentheses do not split terms")]
    public async Task Label_selectors_filter_lists(string selector, string expected, string reason)
    {
        await using var api = await Seeded();

        var list = await api.CreateClient().CoreV1.ListNamespacedConfigMapAsync("default", labelSelector: selector);

        Assert.True(expected == string.Join(",", list.Items.Select(i => i.Metadata.Name)), $"{reason}: got {string.Join(",", list.Items.Select(i => i.Metadata.Name))}");
    }

    [Theory]
    [InlineData("metadata.name=b", "default/b", "by name")]
    [InlineData("metadata.namespace=other", "other/e", "by namespace across all namespaces")]
    [InlineData("metadata.namespace!=default,metadata.name!=x", "other/e", "inequality")]
    public async Task Field_selectors_filter_lists_across_namespaces(string selector, string expected, string reason)
    {
        await using var api = await Seeded();

        var list = await api.CreateClient().CoreV1.ListConfigMapForAllNamespacesAsync(fieldSelector: selector);

        var got = string.Join(",", list.Items.Select(i => $"{i.Metadata.NamespaceProperty}/{i.Metadata.Name}"));
        Assert.True(expected == got, $"{reason}: got {got}");
    }

    [Fact]
    public async Task An_unsupported_field_selector_is_400()
    {
        await using var api = await Seeded();

        Assert.Equal(400, await TestCluster.StatusCodeOf(() => api.CreateClient().CoreV1.ListNamespacedConfigMapAsync("default", fieldSelector: "data.key=v")));
    }

    [Fact]
    public async Task Limit_and_continue_page_through_every_object_once_in_order()
    {
        await using var api = await Seeded();
        var client = api.CreateClient();
        var names = new List<string>();
        string? token = null;
        var pages = 0;

        do
        {
            var page = await client.CoreV1.ListConfigMapForAllNamespacesAsync(limit: 2, continueParameter: token);
            names.AddRange(page.Items.Select(i => i.Metadata.Name));
            token = page.Metadata.ContinueProperty;
            pages++;
        }
        while (!string.IsNullOrEmpty(token));

        Assert.Equal(["a", "b", "c", "d", "e"], names);
        Assert.Equal(3, pages);
    }

    [Fact]
    public async Task A_continue_token_from_before_a_compaction_is_410_Gone()
    {
        await using var api = await Seeded();
        var client = api.CreateClient();
        var first = await client.CoreV1.ListNamespacedConfigMapAsync("default", limit: 2);

        api.Compact();

        Assert.Equal(410, await TestCluster.StatusCodeOf(() => client.CoreV1.ListNamespacedConfigMapAsync("default", limit: 2, continueParameter: first.Metadata.ContinueProperty)));
    }
}
