using System.Text.Json;
using k8s;

namespace AiBaseline.Audit;

/// <summary>The serializer options of the client library's <see cref="KubernetesJson"/>, for reading from and writing to UTF-8 directly.</summary>
internal static class KubernetesJsonOptions
{
    /// <summary>KubernetesJson's options themselves, not a copy, so the type information it has built is shared with it.</summary>
    public static JsonSerializerOptions Shared { get; } = Capture();

    private static JsonSerializerOptions Capture()
    {
        JsonSerializerOptions? options = null;
        KubernetesJson.AddJsonOptions(o => options = o);
        return options!;
    }
}
