namespace AiBaseline.Deploy.Tests.Infrastructure;

/// <summary>The metric names the operator exports: the only names dashboards and alerts may query.</summary>
internal static class OperatorMetrics
{
    /// <summary>
    /// The single source of metric names for the dashboard and alert tests. Today it is the list the operator
    /// promises (controller-runtime's names plus the product gauges); once the operator runs in the test suite,
    /// this method should return the names scraped from its /metrics endpoint instead.
    /// </summary>
    public static IReadOnlySet<string> Names() => new HashSet<string>(StringComparer.Ordinal)
    {
        "controller_runtime_reconcile_total",
        "controller_runtime_reconcile_errors_total",
        "controller_runtime_reconcile_time_seconds_bucket",
        "workqueue_depth",
        "workqueue_adds_total",
        "workqueue_queue_duration_seconds_bucket",
        "workqueue_retries_total",
        "leader_election_master_status",
        "aibaseline_deployments",
        "aibaseline_control_results",
        "aibaseline_provision_results",
        "aibaseline_informer_synced",
    };
}
