using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace AiBaseline.KubeEmulator.Tests;

/// <summary>The namespaced test kind from Fixtures/crds.yaml, as an operator would model it.</summary>
[KubernetesEntity(Group = Widget.Group, ApiVersion = Widget.Version, Kind = "Widget", PluralName = "widgets")]
public sealed class Widget : IKubernetesObject<V1ObjectMeta>
{
    public const string Group = "example.aibaseline.io";
    public const string Version = "v1alpha1";

    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = $"{Group}/{Version}";

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = "Widget";

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("spec")]
    public WidgetSpec? Spec { get; set; }

    [JsonPropertyName("status")]
    public WidgetStatus? Status { get; set; }
}

public sealed class WidgetSpec
{
    [JsonPropertyName("stage")]
    public string? Stage { get; set; }

    [JsonPropertyName("replicas")]
    public int? Replicas { get; set; }

    [JsonPropertyName("tags")]
    public IList<string>? Tags { get; set; }
}

public sealed class WidgetStatus
{
    [JsonPropertyName("phase")]
    public string? Phase { get; set; }

    [JsonPropertyName("observedGeneration")]
    public long? ObservedGeneration { get; set; }
}

/// <summary>Builders and a started emulator with the test CRDs loaded.</summary>
internal static class TestCluster
{
    public static async Task<KubeEmulator> StartAsync(KubeEmulatorOptions? options = null)
    {
        var api = await KubeEmulator.StartAsync(options);
        api.ApplyCrdsFrom(Path.Combine(AppContext.BaseDirectory, "Fixtures"));
        return api;
    }

    public static GenericClient Widgets(IKubernetes client) => new(client, Widget.Group, Widget.Version, "widgets", disposeClient: false);

    public static Widget NewWidget(string name, string stage = "Design", string ns = "default", IDictionary<string, string>? labels = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, Labels = labels },
        Spec = new WidgetSpec { Stage = stage },
    };

    public static V1ConfigMap ConfigMap(string name, string ns = "default", IDictionary<string, string>? labels = null, string value = "v") => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, Labels = labels },
        Data = new Dictionary<string, string> { ["key"] = value },
    };

    public static async Task<int> StatusCodeOf(Func<Task> call)
    {
        var error = await Assert.ThrowsAsync<k8s.Autorest.HttpOperationException>(call);
        return (int)error.Response.StatusCode;
    }
}
