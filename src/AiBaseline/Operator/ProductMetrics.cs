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
    private readonly Dictionary<ObjectKey, Verdict> verdicts = [];
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
        var verdict = new Verdict(
            status.Conditions?.FirstOrDefault(c => c.Type == ConditionTypes.Ready)?.Status ?? "Unknown",
            [.. (status.Controls ?? []).Select(c => (c.Name, c.Result))],
            [.. status.EachProvision().Select(p => (p.Id, p.Result))]);
        lock (gate)
        {
            verdicts[key] = verdict;
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
                foreach (var control in verdict.Controls)
                {
                    Count(controls, control);
                }

                foreach (var provision in verdict.Provisions)
                {
                    Count(provisions, provision);
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

    /// <summary>
    /// What the gauges need of one evaluation: results as enums, so the 80 entries of each deployment hold no strings
    /// of their own (with the label counting below, this took the operator's peak at 10,000 deployments from about
    /// 410 to 306 MiB: docs/scale.md).
    /// </summary>
    private sealed record Verdict(string Ready, ImmutableArray<(string Name, ControlResult Result)> Controls, ImmutableArray<(string Id, ProvisionResult Result)> Provisions);

    private static class ResultLabels<T>
        where T : struct, Enum
    {
        public static readonly FrozenDictionary<T, string> Names = Enum.GetValues<T>().ToFrozenDictionary(v => v, v => v.ToString());
    }
}
