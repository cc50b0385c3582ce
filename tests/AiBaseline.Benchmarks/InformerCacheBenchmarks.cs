using System.Collections.Immutable;
using AiBaseline.Controller.Informers;
using BenchmarkDotNet.Attributes;
using k8s.Models;

namespace AiBaseline.Benchmarks;

/// <summary>
/// The cache reads each reconcile makes: a namespace's objects (NetworkPolicies, Secrets, Services and more, six
/// reads per reconcile) and every cluster-scoped binding. Shapes as in operator-scale: 100 namespaces of 300 objects.
/// </summary>
[MemoryDiagnoser]
public class InformerCacheBenchmarks
{
    private readonly InformerCache<V1ConfigMap> namespaced = new();
    private readonly InformerCache<V1ConfigMap> clusterScoped = new();

    [GlobalSetup]
    public void Setup()
    {
        for (var ns = 0; ns < 100; ns++)
        {
            for (var i = 0; i < 300; i++)
            {
                namespaced.Upsert(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = $"model-{i:0000}-policy", NamespaceProperty = $"team-{ns:000}", ResourceVersion = "1" } });
            }
        }

        for (var i = 0; i < 200; i++)
        {
            clusterScoped.Upsert(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = $"system:binding-{i:000}", ResourceVersion = "1" } });
        }
    }

    [Benchmark]
    public ImmutableArray<V1ConfigMap> OneNamespace() => namespaced.ListByNamespace("team-050");

    [Benchmark]
    public ImmutableArray<V1ConfigMap> AllClusterScoped() => clusterScoped.List();
}
