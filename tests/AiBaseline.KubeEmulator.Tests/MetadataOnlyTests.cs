using System.Net.Http.Headers;
using System.Text;
using k8s.Models;

namespace AiBaseline.KubeEmulator.Tests;

public sealed class MetadataOnlyTests
{
    private const string Accept = "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1";
    private const string SecretValue = "hunter2-do-not-leak";

    [Fact]
    public async Task A_metadata_only_list_of_secrets_carries_names_and_labels_but_never_values()
    {
        await using var api = await TestCluster.StartAsync();
        api.Create(new V1Secret
        {
            Metadata = new() { Name = "model-key", NamespaceProperty = "default", Labels = new Dictionary<string, string> { ["app"] = "m" } },
            Data = new Dictionary<string, byte[]> { ["key"] = Encoding.UTF8.GetBytes(SecretValue) },
            StringData = null,
        });
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"{api.Url}/api/v1/namespaces/default/secrets"));
        request.Headers.Accept.Add(MediaTypeWithQualityHeaderValue.Parse(Accept));

        using var response = await http.SendAsync(request);
        var raw = await response.Content.ReadAsStringAsync();
        var typed = await api.CreateClient().CoreV1.ListNamespacedSecretWithHttpMessagesAsync("default",
            customHeaders: new Dictionary<string, IReadOnlyList<string>> { ["Accept"] = [Accept] });

        Assert.Contains("\"kind\":\"PartialObjectMetadataList\"", raw, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes(SecretValue)), raw, StringComparison.Ordinal);
        Assert.DoesNotContain("\"data\"", raw, StringComparison.Ordinal);
        var item = Assert.Single(typed.Body.Items);
        Assert.Equal(("model-key", "m"), (item.Metadata.Name, item.Metadata.Labels["app"]));
        Assert.Null(item.Data);
    }

    [Fact]
    public async Task A_metadata_only_watch_streams_PartialObjectMetadata_without_values()
    {
        await using var api = await TestCluster.StartAsync();
        api.Create(new V1Secret { Metadata = new() { Name = "s", NamespaceProperty = "default" }, Data = new Dictionary<string, byte[]> { ["k"] = Encoding.UTF8.GetBytes(SecretValue) } });
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"{api.Url}/api/v1/namespaces/default/secrets?watch=true"));
        request.Headers.Accept.Add(MediaTypeWithQualityHeaderValue.Parse("application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1"));

        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var line = await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10));

        Assert.StartsWith("{\"type\":\"ADDED\",\"object\":{\"kind\":\"PartialObjectMetadata\"", line, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes(SecretValue)), line, StringComparison.Ordinal);
    }
}
