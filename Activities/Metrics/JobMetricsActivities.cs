using RunsFleet.Activities.Common;
using Temporalio.Activities;

namespace RunsFleet.Activities.Metrics;

/// <summary>Publishes a termination's metrics through the configured sink.</summary>
public sealed class JobMetricsActivities
{
    private readonly IMetricsSink _sink;

    /// <summary>Creates the activities.</summary>
    public JobMetricsActivities(IMetricsSink sink) =>
        _sink = sink ?? throw new ArgumentNullException(nameof(sink));

    /// <summary>Sends JobDuration (when above zero) and JobSuccess or JobFailure; returns how many values were
    /// sent.</summary>
    [Activity]
    public Task<int> PublishJobMetricsAsync(JobMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        return _sink.PublishAsync(metrics.ToData(), CurrentActivity.CancellationToken);
    }

    /// <summary>
    /// Sends RunnerConfirmed, InstanceProvisionSeconds and AgentBootstrapSeconds; returns how many values were sent.
    /// </summary>
    [Activity]
    public Task<int> PublishRunnerConfirmedMetricsAsync(RunnerConfirmedMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        return _sink.PublishAsync(metrics.ToData(), CurrentActivity.CancellationToken);
    }

    /// <summary>Sends JobFailure and JobsRequeued or SchedulingFailure; returns how many values were sent.</summary>
    [Activity]
    public Task<int> PublishBootstrapFailureMetricsAsync(BootstrapFailureMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        return _sink.PublishAsync(metrics.ToData(), CurrentActivity.CancellationToken);
    }
}
