using System.Collections.Immutable;
using k8s;
using k8s.Models;

namespace AiBaseline.Controller.Informers;

/// <summary>
/// One resource watched by several informers, one per namespace, that fill one cache and call the same handlers:
/// a few namespaces then need a Role in each instead of a cluster-wide grant, and cost one list and watch each.
/// A cluster-wide watch, or a watch of one namespace, is a set of one.
/// </summary>
public sealed class InformerSet<T>
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    /// <param name="cache">The cache every member writes to (each member's <see cref="Informer{T}.Cache"/>).</param>
    /// <param name="members">The informers, one per namespace.</param>
    public InformerSet(InformerCache<T> cache, IEnumerable<Informer<T>> members)
    {
        ArgumentNullException.ThrowIfNull(cache);
        Cache = cache;
        Members = [.. members];
        if (Members.IsEmpty || Members.Any(m => !ReferenceEquals(m.Cache, cache)))
        {
            throw new ArgumentException("A set needs at least one informer, and all of them writing to its cache.", nameof(members));
        }
    }

    /// <summary>The objects of every member's namespace, with indexes.</summary>
    public InformerCache<T> Cache { get; }

    /// <summary>The informers, for the manager to run and readiness to name.</summary>
    public ImmutableArray<Informer<T>> Members { get; }

    /// <summary>Calls <paramref name="handler"/> for every change in any member's namespace; see <see cref="Informer{T}.AddHandler"/>.</summary>
    public void AddHandler(Action<InformerEvent<T>> handler)
    {
        foreach (var member in Members)
        {
            member.AddHandler(handler);
        }
    }
}
