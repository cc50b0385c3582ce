namespace AiBaseline.Controller.Informers;

/// <summary>What happened to an object.</summary>
public enum InformerEventType
{
    Added,
    Updated,
    Deleted,
}

/// <summary>
/// A change seen by an informer. <see cref="OldObject"/> is set for updates; a periodic resync delivers updates
/// whose old and new objects are the same resourceVersion.
/// </summary>
public sealed record InformerEvent<T>(InformerEventType Type, T Object, T? OldObject)
    where T : class;
