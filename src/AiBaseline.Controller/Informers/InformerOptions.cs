using AiBaseline.Controller.Api;

namespace AiBaseline.Controller.Informers;

/// <summary>What an informer watches and how it recovers.</summary>
public sealed record InformerOptions(ResourceType Resource)
{
    /// <summary>Name used in logs, metrics and readiness; defaults to the resource.</summary>
    public string Name { get; init; } = Resource.ToString();

    /// <summary>Watch one namespace only; null watches all namespaces (and is required for cluster-scoped resources).</summary>
    public string? Namespace { get; init; }

    /// <summary>
    /// List and watch as <c>PartialObjectMetadata</c>: the server sends metadata only, so the process never holds
    /// the payload (Secret values, for one).
    /// </summary>
    public bool MetadataOnly { get; init; }

    /// <summary>List and watch only objects with these labels (a label selector, such as <c>app=x,tier=y</c>); null lists all.</summary>
    public string? LabelSelector { get; init; }

    /// <summary>What to leave out of every listed or watched object before it is decoded; null decodes all of it.</summary>
    public DecodeFilter? Decode { get; init; }

    /// <summary>
    /// How often to list the whole collection again and deliver every object as an update, which repairs any event
    /// the watch may have lost. Zero turns it off.
    /// </summary>
    public TimeSpan ResyncPeriod { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>The server closes each watch after this long (randomised up to twice as long); the informer then resumes.</summary>
    public TimeSpan WatchTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>First wait after a failed list or watch; doubles per consecutive failure, with jitter.</summary>
    public TimeSpan MinBackoff { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Longest wait between attempts.</summary>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Without a connected watch and without a successful list or watch for this long, the informer reports itself
    /// unhealthy (see <see cref="IInformer.IsHealthy"/>).
    /// </summary>
    public TimeSpan UnhealthyAfter { get; init; } = TimeSpan.FromMinutes(2);
}
