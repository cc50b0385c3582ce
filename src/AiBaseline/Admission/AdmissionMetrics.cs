using System.Diagnostics;
using Prometheus;

namespace AiBaseline.Admission;

/// <summary>
/// aibaseline_admission_requests_total{operation,kind,decision,mode} and aibaseline_admission_duration_seconds{kind}: what
/// the webhook answered and how long it took, from the body read to the response written. Labels are bounded: the
/// operations, the judged kinds (others are counted too, by kind), allowed|warned|denied|error, and Audit|Enforce or empty
/// when the object is not governed.
/// </summary>
internal sealed class AdmissionMetrics
{
    private readonly Counter requests;
    private readonly Histogram duration;

    public AdmissionMetrics(CollectorRegistry registry)
    {
        var factory = Metrics.WithCustomRegistry(registry);
        requests = factory.CreateCounter(
            "aibaseline_admission_requests_total",
            "Admission requests answered by the webhook, by operation, kind, decision (allowed, warned, denied, error) and profile mode.",
            "operation", "kind", "decision", "mode");
        duration = factory.CreateHistogram(
            "aibaseline_admission_duration_seconds",
            "Time to answer an admission request, including any wait for a verification.",
            new HistogramConfiguration
            {
                LabelNames = ["kind"],
                Buckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
            });
    }

    public void Record(string operation, string kind, string decision, string mode, long startedTimestamp)
    {
        requests.WithLabels(operation, kind, decision, mode).Inc();
        duration.WithLabels(kind).Observe(Stopwatch.GetElapsedTime(startedTimestamp).TotalSeconds);
    }
}
