using k8s.Models;

namespace AiBaseline.Controller;

/// <summary>Identifies one object: namespace (null for cluster-scoped objects) and name.</summary>
public readonly record struct ObjectKey(string? Namespace, string Name)
{
    /// <summary>The key of an object, read from its metadata.</summary>
    public static ObjectKey Of(IMetadata<V1ObjectMeta> obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var meta = obj.Metadata ?? throw new ArgumentException("The object has no metadata.", nameof(obj));
        return new ObjectKey(string.IsNullOrEmpty(meta.NamespaceProperty) ? null : meta.NamespaceProperty, meta.Name);
    }

    /// <summary><c>namespace/name</c>, or <c>name</c> for cluster-scoped objects, as kubectl prints it.</summary>
    public override string ToString() => Namespace is null ? Name : $"{Namespace}/{Name}";
}
