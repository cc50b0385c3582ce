using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace AiBaseline.Controller.Api;

/// <summary>
/// An object's metadata without its payload (meta.k8s.io/v1 <c>PartialObjectMetadata</c>). Informers with
/// <see cref="Informers.InformerOptions.MetadataOnly"/> hold these, so Secret values never enter the process.
/// </summary>
public sealed class PartialObjectMetadata : IKubernetesObject<V1ObjectMeta>
{
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = "meta.k8s.io/v1";

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = "PartialObjectMetadata";

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();
}
