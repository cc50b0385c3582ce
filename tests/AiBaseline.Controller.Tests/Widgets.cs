using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using AiBaseline.Controller.Api;
using Emulator = AiBaseline.KubeEmulator.KubeEmulator;
using k8s;
using k8s.Models;

namespace AiBaseline.Controller.Tests;

/// <summary>A small custom resource with a status subresource, to exercise the runtime on a kind it has never heard of.</summary>
[KubernetesEntity(Group = "test.example", ApiVersion = "v1", Kind = "Widget", PluralName = "widgets")]
public sealed class Widget : IKubernetesObject<V1ObjectMeta>
{
    public static readonly ResourceType Type = new("test.example", "v1", "widgets", Namespaced: true);

    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = "test.example/v1";

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = "Widget";

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("spec")]
    public WidgetSpec Spec { get; set; } = new();

    [JsonPropertyName("status")]
    public WidgetStatus? Status { get; set; }

    public static void Install(Emulator emulator) => emulator.ApplyCrd(JsonNode.Parse("""
        {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition","metadata":{"name":"widgets.test.example"},
         "spec":{"group":"test.example","scope":"Namespaced","names":{"plural":"widgets","singular":"widget","kind":"Widget","listKind":"WidgetList"},
          "versions":[{"name":"v1","served":true,"storage":true,"subresources":{"status":{}},
           "schema":{"openAPIV3Schema":{"type":"object","properties":{
             "spec":{"type":"object","properties":{"value":{"type":"integer"}}},
             "status":{"type":"object","properties":{"observedValue":{"type":"integer"}}}}}}}]}}
        """)!.AsObject());

    public static Widget New(string ns, string name, int value) => new()
    {
        Metadata = new V1ObjectMeta { NamespaceProperty = ns, Name = name },
        Spec = new WidgetSpec { Value = value },
    };
}

public sealed class WidgetSpec
{
    [JsonPropertyName("value")]
    public int Value { get; set; }
}

public sealed class WidgetStatus
{
    [JsonPropertyName("observedValue")]
    public int? ObservedValue { get; set; }
}
