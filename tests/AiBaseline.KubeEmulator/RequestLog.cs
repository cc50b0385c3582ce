using System.Collections.Concurrent;

namespace AiBaseline.KubeEmulator;

/// <summary>One API call as the server saw it.</summary>
/// <param name="Verb">Kubernetes verb: get, list, watch, create, update, patch or delete.</param>
/// <param name="Resource">RBAC-style resource: <c>secrets</c>, <c>leases.coordination.k8s.io</c>, <c>x.group/status</c>.</param>
/// <param name="Namespace">Namespace in the path, empty for cluster-wide calls.</param>
/// <param name="Name">Object name in the path, empty for collection calls.</param>
/// <param name="StatusCode">HTTP status answered.</param>
public sealed record ApiCall(string Verb, string Resource, string Namespace, string Name, int StatusCode);

/// <summary>Counts calls per verb and resource (all of them) and keeps the most recent calls for inspection.</summary>
public sealed class RequestLog
{
    private const int Kept = 10_000;
    private readonly ConcurrentDictionary<(string Verb, string Resource), int> _counts = new();
    private readonly ConcurrentQueue<ApiCall> _recent = new();

    /// <summary>The most recent calls (up to 10,000), oldest first.</summary>
    public IReadOnlyList<ApiCall> Recent => [.. _recent];

    /// <summary>Calls with this verb on this resource (for example <c>("list", "secrets")</c>).</summary>
    public int Count(string verb, string resource) => _counts.GetValueOrDefault((verb, resource));

    /// <summary>Calls with this verb on any resource.</summary>
    public int Count(string verb) => _counts.Where(c => c.Key.Verb == verb).Sum(c => c.Value);

    /// <summary>Every verb and resource called so far with its count, for breakdowns.</summary>
    public IReadOnlyDictionary<(string Verb, string Resource), int> Counts => new Dictionary<(string Verb, string Resource), int>(_counts);

    /// <summary>All calls counted so far.</summary>
    public int Total => _counts.Values.Sum();

    /// <summary>Forgets all counts and calls, for example after seeding.</summary>
    public void Clear()
    {
        _counts.Clear();
        _recent.Clear();
    }

    internal void Record(ApiCall call)
    {
        _counts.AddOrUpdate((call.Verb, call.Resource), 1, (_, n) => n + 1);
        _recent.Enqueue(call);
        while (_recent.Count > Kept && _recent.TryDequeue(out _))
        {
        }
    }
}
