using System.Collections.Immutable;
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
    private ImmutableArray<IInformer> informers = [];

    public ProductMetrics(CollectorRegistry registry)
    {
        var factory = Metrics.WithCustomRegistry(registry);
        deployments = factory.CreateGauge("aibaseline_deployments", "AIModelDeployments by the status of their Ready condition.", "ready");
        controlResults = factory.CreateGauge("aibaseline_control_results", "AIModelDeployments per control and result.", "control", "result");
        provisionResults = factory.CreateGauge("aibaseline_provision_results", "AIModelDeployments per EN 304 223 provision and result.", "provision", "result");
        informerSynced = factory.CreateGauge("aibaseline_informer_synced", "1 when the cache of a watched resource has synced.", "resource");
        registry.AddBeforeCollectCallback(Publish);
    }

    public void Watch(IEnumerable<IInformer> watched) => informers = [.. watched];

    public void Record(ObjectKey key, AIModelDeploymentStatus status)
    {
        var verdict = new Verdict(
            status.Conditions?.FirstOrDefault(c => c.Type == ConditionTypes.Ready)?.Status ?? "Unknown",
            [.. (status.Controls ?? []).Select(c => (c.Name, c.Result.ToString()))],
            [.. (status.Provisions ?? []).Select(p => (p.Id, p.Result.ToString()))]);
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

        lock (gate)
        {
            Set(deployments, verdicts.Values.Select(v => new[] { v.Ready }));
            Set(controlResults, verdicts.Values.SelectMany(v => v.Controls.Select(c => new[] { c.Name, c.Result })));
            Set(provisionResults, verdicts.Values.SelectMany(v => v.Provisions.Select(p => new[] { p.Id, p.Result })));
        }
    }

    /// <summary>Sets each label set to its count, and series no deployment has any more to zero.</summary>
    private static void Set(Gauge gauge, IEnumerable<string[]> labelSets)
    {
        var counts = labelSets.GroupBy(labels => string.Join('\u001f', labels)).ToDictionary(g => g.Key, g => (g.First(), g.Count()));
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

    private sealed record Verdict(string Ready, ImmutableArray<(string Name, string Result)> Controls, ImmutableArray<(string Id, string Result)> Provisions);
}
