using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Runtime.InteropServices;
using AiBaseline.Api.V1Alpha1;
using AiBaseline.Controller;
using AiBaseline.Controller.Informers;
using Prometheus;

namespace AiBaseline.Operator;

/// <summary>
/// The product's own metrics. They count deployments per result, computed at scrape time from the last evaluation
/// of each deployment; labels are bounded (control names, provision ids, results), never object names.
/// </summary>
internal sealed class ProductMetrics
{
    private readonly Lock gate = new();
    private const int MaxShapes = 16;
    private const int MaxSharedResults = 4096;
    private readonly Dictionary<ObjectKey, Verdict> verdicts = [];
    private readonly List<Shape> shapes = [];
    private readonly Dictionary<string, string> sharedResults = new(StringComparer.Ordinal);
    private readonly Gauge deployments;
    private readonly Gauge controlResults;
    private readonly Gauge provisionResults;
    private readonly Gauge informerSynced;
    private readonly Gauge undeclaredWorkloads;
    private Func<IEnumerable<Engine.Inventory.UndeclaredWorkload>> undeclared = () => [];
    private ImmutableArray<IInformer> informers = [];

    public ProductMetrics(CollectorRegistry registry)
    {
        var factory = Metrics.WithCustomRegistry(registry);
        deployments = factory.CreateGauge("aibaseline_deployments", "AIModelDeployments by the status of their Ready condition.", "ready");
        controlResults = factory.CreateGauge("aibaseline_control_results", "AIModelDeployments per control and result.", "control", "result");
        provisionResults = factory.CreateGauge("aibaseline_provision_results", "AIModelDeployments per EN 304 223 provision and result.", "provision", "result");
        informerSynced = factory.CreateGauge("aibaseline_informer_synced", "1 when the cache of a watched resource has synced.", "resource");
        undeclaredWorkloads = factory.CreateGauge("aibaseline_undeclared_workloads", "Model servers (serving images, accelerator requests, serving kinds) that no AIModelDeployment declares (EN 304 223 5.2.1-1), by kind.", "kind");
        registry.AddBeforeCollectCallback(Publish);
    }

    public void Watch(IEnumerable<IInformer> watched) => informers = [.. watched];

    /// <summary>Where the undeclared model servers come from (the inventory reconciler).</summary>
    public void WatchInventory(Func<IEnumerable<Engine.Inventory.UndeclaredWorkload>> source) => undeclared = source;

    public void Record(ObjectKey key, AIModelDeploymentStatus status)
    {
        var ready = status.Conditions?.FirstOrDefault(c => c.Type == ConditionTypes.Ready)?.Status ?? "Unknown";
        var controls = status.Controls ?? [];
        var provisions = status.EachProvision().ToList();
        var results = string.Create(controls.Count + provisions.Count, (controls, provisions), static (span, lists) =>
        {
            for (var i = 0; i < lists.controls.Count; i++)
            {
                span[i] = (char)lists.controls[i].Result;
            }

            for (var i = 0; i < lists.provisions.Count; i++)
            {
                span[lists.controls.Count + i] = (char)lists.provisions[i].Result;
            }
        });
        lock (gate)
        {
            verdicts[key] = new Verdict(ready, ShapeOf(controls, provisions), SharedResults(results));
        }
    }

    public void Forget(ObjectKey key)
    {
        lock (gate)
        {
            verdicts.Remove(key);
        }
    }

    private void Publish()
    {
        foreach (var informer in informers)
        {
            informerSynced.WithLabels(informer.Name).Set(informer.HasSynced ? 1 : 0);
        }

        // Counted without a label array per entry: a scrape of 10,000 deployments would otherwise make 800,000.
        var ready = new Dictionary<string, int>(StringComparer.Ordinal);
        var controls = new Dictionary<(string, ControlResult), int>();
        var provisions = new Dictionary<(string, ProvisionResult), int>();
        lock (gate)
        {
            foreach (var verdict in verdicts.Values)
            {
                Count(ready, verdict.Ready);
                var (shape, results) = (verdict.Shape, verdict.Results);
                for (var i = 0; i < shape.Controls.Length; i++)
                {
                    Count(controls, (shape.Controls[i], (ControlResult)results[i]));
                }

                for (var i = 0; i < shape.Provisions.Length; i++)
                {
                    Count(provisions, (shape.Provisions[i], (ProvisionResult)results[shape.Controls.Length + i]));
                }
            }
        }

        Set(deployments, ready.Select(pair => (new[] { pair.Key }, pair.Value)));
        Set(undeclaredWorkloads, undeclared().GroupBy(u => u.Kind).Select(g => (new[] { g.Key.ToString() }, g.Count())));
        Set(controlResults, controls.Select(pair => (new[] { pair.Key.Item1, ResultLabel(pair.Key.Item2) }, pair.Value)));
        Set(provisionResults, provisions.Select(pair => (new[] { pair.Key.Item1, ResultLabel(pair.Key.Item2) }, pair.Value)));
    }

    private static void Count<TKey>(Dictionary<TKey, int> counts, TKey key)
        where TKey : notnull => CollectionsMarshal.GetValueRefOrAddDefault(counts, key, out _)++;

    /// <summary>Sets each label set to its count, and series no deployment has any more to zero.</summary>
    private static void Set(Gauge gauge, IEnumerable<(string[] Labels, int Count)> counted)
    {
        var counts = counted.ToDictionary(c => string.Join('\u001f', c.Labels), c => c);
        foreach (var existing in gauge.GetAllLabelValues())
        {
            if (!counts.ContainsKey(string.Join('\u001f', existing)))
            {
                gauge.WithLabels(existing).Set(0);
            }
        }

        foreach (var (labels, count) in counts.Values)
        {
            gauge.WithLabels(labels).Set(count);
        }
    }

    /// <summary>Result names as label values, made once rather than per deployment and scrape.</summary>
    private static string ResultLabel<T>(T result)
        where T : struct, Enum => ResultLabels<T>.Names[result];

    /// <summary>The shape of these control and provision lists: one already seen, or a new one.</summary>
    private Shape ShapeOf(List<ControlStatus> controls, List<ProvisionStatus> provisions)
    {
        foreach (var shape in shapes)
        {
            if (shape.Matches(controls, provisions))
            {
                return shape;
            }
        }

        var added = new Shape([.. controls.Select(c => c.Name)], [.. provisions.Select(p => p.Id)]);
        if (shapes.Count < MaxShapes)
        {
            shapes.Add(added);
        }

        return added;
    }

    /// <summary>The one instance of these results that deployments with the same results share.</summary>
    private string SharedResults(string results)
    {
        if (sharedResults.TryGetValue(results, out var shared))
        {
            return shared;
        }

        if (sharedResults.Count >= MaxSharedResults)
        {
            sharedResults.Clear();
        }

        sharedResults.Add(results, results);
        return results;
    }

    /// <summary>
    /// What the gauges need of one evaluation: its Ready status, the names of its controls and provisions in order (a
    /// shape, which every deployment judged against the same catalog shares) and their results, one character each in
    /// that order, shared by every deployment with the same results. At 10,000 deployments a verdict of its own per
    /// deployment, 80 names and results, was 10 MB (docs/scale.md).
    /// </summary>
    private sealed record Verdict(string Ready, Shape Shape, string Results);

    private sealed class Shape(ImmutableArray<string> controls, ImmutableArray<string> provisions)
    {
        public ImmutableArray<string> Controls { get; } = controls;

        public ImmutableArray<string> Provisions { get; } = provisions;

        public bool Matches(List<ControlStatus> controls, List<ProvisionStatus> provisions)
        {
            if (controls.Count != Controls.Length || provisions.Count != Provisions.Length)
            {
                return false;
            }

            for (var i = 0; i < controls.Count; i++)
            {
                if (!string.Equals(controls[i].Name, Controls[i], StringComparison.Ordinal))
                {
                    return false;
                }
            }

            for (var i = 0; i < provisions.Count; i++)
            {
                if (!string.Equals(provisions[i].Id, Provisions[i], StringComparison.Ordinal))
                {
                    return false;
                }
            }

            return true;
        }
    }

    private static class ResultLabels<T>
        where T : struct, Enum
    {
        public static readonly FrozenDictionary<T, string> Names = Enum.GetValues<T>().ToFrozenDictionary(v => v, v => v.ToString());
    }
}
