using System.Text.Json.Serialization;

namespace RunsFleet.Activities.Metrics;

/// <summary>What became of the job of an instance whose runner failed to bootstrap.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<BootstrapRequeueMetric>))]
public enum BootstrapRequeueMetric
{
    /// <summary>
    /// No requeue was sent and none is counted (no job, no queue, another actor owned it, the send failed).
    /// </summary>
    None,

    /// <summary>The job was requeued: one JobsRequeued with Reason bootstrap_failed.</summary>
    Requeued,

    /// <summary>The job is at runs-fleet's requeue cap: one SchedulingFailure with TaskType bootstrap_failed.</summary>
    GaveUp,
}

/// <summary>A failed bootstrap's metrics: one JobFailure without dimensions (as before requeues existed),
/// and runs-fleet's JobsRequeued or SchedulingFailure (pkg/metrics/cloudwatch.go:75,266;
/// pkg/termination/handler.go:407,434, reason "bootstrap_failed").</summary>
/// <param name="Requeue">Which requeue counter, if any, goes with it.</param>
public sealed record BootstrapFailureMetrics(BootstrapRequeueMetric Requeue)
{
    /// <summary>Count of requeued jobs (runs-fleet's name).</summary>
    public const string JobsRequeued = "JobsRequeued";

    /// <summary>Count of jobs runs-fleet gave up scheduling (runs-fleet's name).</summary>
    public const string SchedulingFailure = "SchedulingFailure";

    /// <summary>The reason / task type label of both (handler.go:88 reasonBootstrapFailed).</summary>
    public const string ReasonBootstrapFailed = "bootstrap_failed";

    /// <summary>The metric values to send.</summary>
    public IReadOnlyList<MetricDatum> ToData()
    {
        var data = new List<MetricDatum> { MetricDatum.Plain(JobMetrics.JobFailure, 1, "Count") };
        switch (Requeue)
        {
            case BootstrapRequeueMetric.Requeued:
                data.Add(MetricDatum.With(JobsRequeued, 1, "Count", "Reason", ReasonBootstrapFailed));
                break;
            case BootstrapRequeueMetric.GaveUp:
                data.Add(MetricDatum.With(SchedulingFailure, 1, "Count", "TaskType", ReasonBootstrapFailed));
                break;
        }

        return data;
    }
}
